import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging.js';
import { LambdaApiServer } from '../lambda-api/server.js';
import { progressPrinter } from './progress.js';
import { openWorkbench, type WorkspaceOptions } from './workbench.js';

export interface ServeOptions extends WorkspaceOptions {
  port: number;
  host: string;
  build: boolean;
}

/** Serves the Lambda API for a workspace until interrupted. */
export async function serve(options: ServeOptions, logger: Logger): Promise<void> {
  const workbench = openWorkbench(options, logger);
  const { engine } = workbench;
  await engine.start();
  if (options.build) await engine.ensureImages(progressPrinter(logger));

  let server: LambdaApiServer;
  try {
    server = await LambdaApiServer.listen({ engine, logger }, options.port, options.host);
  } catch (error) {
    await workbench.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${options.port} on ${options.host} is already in use; pick another with --port.`, { cause: error });
    }
    throw error;
  }

  engine.on('report', (report) => {
    const outcome = report.status === 'success' ? 'ok' : `${report.status} ${report.errorType ?? ''}`.trim();
    const init = report.initDurationMs === undefined ? '' : `, init ${report.initDurationMs.toFixed(0)} ms`;
    logger.info(`${report.functionName} ${report.requestId}: ${outcome} in ${report.durationMs.toFixed(2)} ms${init}`);
  });

  const endpoint = `http://${options.host}:${server.port}`;
  logger.info(`Lambda API listening on ${endpoint} for ${workbench.workspace.templatePath}`);
  for (const fn of engine.functions())
    logger.info(`  ${fn.name} (${fn.runtime?.id ?? fn.packageType}, ${fn.memoryMb} MB, ${fn.timeoutSeconds} s)`);
  const example = engine.functions()[0]?.name;
  if (example) {
    logger.info(
      `Try: aws lambda invoke --endpoint-url ${endpoint} --function-name ${example} --payload '{}' --cli-binary-format raw-in-base64-out out.json`,
    );
  }

  // A bug in a request handler must not take the whole service down with it.
  process.on('uncaughtException', (error) => logger.error({ err: error, incident: randomUUID() }, 'Unexpected error; still serving'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'Unhandled promise rejection; still serving'));

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info(`${signal} received; stopping containers`);
      void server
        .close()
        .then(() => workbench.close())
        .catch((error) => logger.error({ err: error }, 'Shutdown did not complete'))
        .finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
