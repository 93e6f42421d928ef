import path from 'node:path';
import type { RuntimeFamily } from '../core/runtimes.js';
import { packageRoot } from '../config/package-root.js';
import { DockerodeEngine } from '../docker/dockerode-engine.js';
import { BASE_IMAGE, RuntimeImages, workbenchImage } from '../docker/runtime-images.js';
import type { Logger } from '../logging.js';
import { progressPrinter } from './progress.js';

export const FAMILIES: readonly RuntimeFamily[] = ['nodejs', 'python', 'provided'];

function runtimeImages(logger: Logger): { images: RuntimeImages; engine: DockerodeEngine } {
  const engine = new DockerodeEngine();
  return { engine, images: new RuntimeImages(engine, path.join(packageRoot(), 'runtime-images'), logger) };
}

export async function buildImages(families: RuntimeFamily[], force: boolean, logger: Logger): Promise<void> {
  const { engine, images } = runtimeImages(logger);
  await engine.ping();
  const chosen = families.length > 0 ? families : [...FAMILIES];
  const started = Date.now();
  await images.build(chosen, progressPrinter(logger), { force });
  logger.info(`Runtime images ready (${chosen.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function listImages(logger: Logger): Promise<void> {
  const { engine, images } = runtimeImages(logger);
  await engine.ping();
  const outdated = new Set(await images.outdated(FAMILIES));
  const base = await engine.inspectImage(BASE_IMAGE);
  const baseState = !base ? 'missing' : (await images.baseUpToDate()) ? 'up to date' : 'outdated';
  process.stdout.write(`${BASE_IMAGE}\t${baseState}\n`);
  for (const family of FAMILIES) {
    const image = await engine.inspectImage(workbenchImage(family));
    const state = !image ? 'missing' : outdated.has(family) ? 'outdated' : 'up to date';
    process.stdout.write(`${workbenchImage(family)}\t${state}\n`);
  }
}
