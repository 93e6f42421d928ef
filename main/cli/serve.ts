import type { Logger } from '../logging.js';
import { LambdaApiServer } from '../lambda-api/server.js';
import { progressPrinter } from './progress.js';
import { openWorkbench, type SchedulerOptions, type WorkspaceOptions } from './workbench.js';

export interface ServeOptions extends WorkspaceOptions, SchedulerOptions {
  port: number;
  host: string;
  build: boolean;
}

/** Serves the Lambda API for a workspace until interrupted. */
export async function serve(options: ServeOptions, logger: Logger): Promise<void> {
  const workbench = openWorkbench(options, logger, true);
  const { engine } = workbench;
  let server: LambdaApiServer | undefined;
  try {
    await engine.start();
    if (options.build) await engine.ensureImages(progressPrinter(logger));
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
  engine.on('throttle', ({ functionName, reason }) => logger.info(`${functionName}: throttled (${reason})`));

  const endpoint = `http://${options.host}:${server.port}`;
  const { settings } = engine;
  logger.info(`Lambda API listening on ${endpoint} for ${workbench.workspace.templatePath}`);
  for (const fn of engine.functions()) {
    const reserved = fn.reservedConcurrency === undefined ? '' : `, reserved concurrency ${fn.reservedConcurrency}`;
    logger.info(`  ${fn.name} (${fn.runtime?.id ?? fn.packageType}, ${fn.memoryMb} MB, ${fn.timeoutSeconds} s${reserved})`);
  }
  logger.info(
    `Account concurrency ${settings.accountConcurrency} (unreserved minimum ${settings.unreservedMinimum}), idle environments kept ${keepWarmText(settings.keepWarmSeconds, settings.timeScale)}`,
  );
  if (settings.timeScale !== 1) {
    logger.warn(
      `Time scale ${settings.timeScale}x: retries, backoff, event ages and keep-warm periods pass ${settings.timeScale} times faster than on Lambda`,
    );
  }
  const example = engine.functions()[0]?.name;
  if (example) {
    logger.info(
      `Try: aws lambda invoke --endpoint-url ${endpoint} --function-name ${example} --payload '{}' --cli-binary-format raw-in-base64-out out.json`,
    );
  }

  // A bug in a request handler must not take the whole service down with it.
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'Unexpected error; still serving'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'Unhandled promise rejection; still serving'));

  const listening = server;
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info(`${signal} received; stopping the containers`);
      void listening
        .close()
        .then(() => workbench.close())
        .then(() => logger.info('Stopped'))
        .catch((error) => logger.error({ err: error }, 'Shutdown did not complete'))
        .finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

function keepWarmText(seconds: number, timeScale: number): string {
  if (timeScale === 1) return `${seconds} s`;
  return `${seconds} s of Lambda time (${(seconds / timeScale).toFixed(1)} s here)`;
}
