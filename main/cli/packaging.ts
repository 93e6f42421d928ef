import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkbenchError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { packageFunction, packageLayer } from '../engine/packaging.js';
import type { Logger } from '../logging.js';
import { invokeOnce } from './invoke.js';
import { openWorkbench, type WorkspaceOptions } from './workbench.js';

/**
 * Writes a function's deployable .zip (and its layers' .zip files), or builds and tags its image
 * for an Image function.
 */
export async function packageCommand(functionName: string, options: WorkspaceOptions & { output: string }, logger: Logger): Promise<void> {
  const workbench = openWorkbench(options, logger);
  try {
    const fn = workbench.engine.findFunction(functionName);
    if (!fn)
      throw new WorkbenchError('FunctionNotFound', 'caller', `Function ${functionName} is not in ${workbench.workspace.templatePath}.`);
    if (fn.code.kind === 'image') {
      const { reference } = await workbench.engine.functionImages.ensure(fn);
      process.stdout.write(`${reference}\n`);
      return;
    }
    const outputDir = path.resolve(options.output);
    const written = [await packageFunction(fn, outputDir)];
    for (const arn of fn.layers) {
      const layer = workbench.workspace.current.layers.find((candidate) => candidate.arn === arn);
      if (layer) written.push(await packageLayer(layer, outputDir));
    }
    for (const file of written) process.stdout.write(`${file}\t${statSync(file).size} bytes\n`);
  } finally {
    await workbench.close();
  }
}

/**
 * Imports a .zip as a function's code, as the console's "Upload from .zip file" does: the archive
 * is checked against Lambda's limits and unpacked once to prove it is safe, then copied into the
 * workspace and named in CodeUri.
 */
export async function importZip(functionName: string, zipFile: string, options: WorkspaceOptions, logger: Logger): Promise<void> {
  const size = statSync(zipFile).size;
  if (size > LIMITS.zippedUploadBytes) {
    throw new WorkbenchError(
      'CodeTooLarge',
      'caller',
      `${zipFile} is ${size} bytes; Lambda accepts at most ${LIMITS.zippedUploadBytes} bytes for a .zip uploaded directly. Make the package smaller, or move dependencies into a layer.`,
    );
  }
  const workbench = openWorkbench(options, logger);
  try {
    if (!workbench.engine.findFunction(functionName)) {
      throw new WorkbenchError('FunctionNotFound', 'caller', `Function ${functionName} is not in ${workbench.workspace.templatePath}.`);
    }
    // A signature made by `lambda-workbench sign` sits beside the archive and is imported with it.
    const signature = existsSync(`${zipFile}.sig`) ? readFileSync(`${zipFile}.sig`) : undefined;
    const { relativePath } = await workbench.engine.admin.importZip(functionName, readFileSync(zipFile), signature, zipFile);
    if (signature) logger.info(`Imported its signature too (${path.basename(zipFile)}.sig)`);
    logger.info(`template.yaml names ${relativePath} in CodeUri`);
  } finally {
    await workbench.close();
  }
}

/** Invokes any local Lambda image once, without a template, through a temporary one-function workspace. */
export async function runImage(
  image: string,
  options: { event?: string; payload?: string; command?: string[]; memory: number; timeout: number; build: boolean },
  logger: Logger,
): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lwb-run-image-'));
  // The function is named after the image's repository, so logs and errors name the image that ran.
  const repository = (image.split('@')[0]!.split('/').pop() ?? '').split(':')[0]!;
  const functionName = repository.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'image';
  const lines = [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Function:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    `      FunctionName: ${JSON.stringify(functionName)}`,
    '      PackageType: Image',
    `      ImageUri: ${JSON.stringify(image)}`,
    `      MemorySize: ${options.memory}`,
    `      Timeout: ${options.timeout}`,
    ...(options.command ? ['      ImageConfig:', `        Command: ${JSON.stringify(options.command)}`] : []),
  ];
  writeFileSync(path.join(dir, 'template.yaml'), `${lines.join('\n')}\n`);
  try {
    return await invokeOnce(
      functionName,
      {
        template: path.join(dir, 'template.yaml'),
        build: false,
        ...(options.event ? { event: options.event } : {}),
        ...(options.payload ? { payload: options.payload } : {}),
      },
      logger,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
