import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { DockerodeEngine } from '../../main/docker/dockerode-engine.js';
import { RuntimeImages } from '../../main/docker/runtime-images.js';
import { createLogger } from '../../main/logging.js';

/**
 * Runs once before the Docker tests: compiles the CLI, fails loudly when no engine answers, and
 * builds the runtime images that are missing or outdated, so every test file shares them.
 */
export default async function setup(): Promise<void> {
  // Tests that start the CLI run the compiled bin/, so compile the current sources first.
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  // The browser tests load the console's bundle from dist/renderer.
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  const engine = new DockerodeEngine();
  await engine.ping();
  const logger = createLogger('warn');
  const images = new RuntimeImages(engine, path.resolve('runtime-images'), logger);
  const outdated = await images.outdated(['nodejs', 'python', 'provided']);
  if (outdated.length > 0) {
    process.stdout.write(`Building runtime images for the Docker tests: ${outdated.join(', ')}\n`);
    await images.build(outdated, (line) => process.stdout.write(`  ${line}\n`));
  }
}
