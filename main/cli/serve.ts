import { CodeWatcher } from '../engine/code-watcher.js';
import { EventSources } from '../engine/event-sources/event-sources.js';
import type { Logger } from '../logging.js';
import type { LambdaApiContext } from '../lambda-api/context.js';
import { LambdaApiServer } from '../lambda-api/server.js';
import type { Workbench } from '../workbench.js';
import { openWorkbench, type SchedulerOptions, type WorkspaceOptions } from './workbench.js';

export interface ServeOptions extends WorkspaceOptions, SchedulerOptions {
  port: number;
  host: string;
  build: boolean;
  /** The port of the Api and HttpApi routes, as `sam local start-api` serves them. */
  apiPort?: number;
}

export interface RunningService {
  workbench: Workbench;
  server: LambdaApiServer;
  endpoint: string;
  /** Buckets, queues, topics, rules and HTTP front ends, following the template. */
  sources: EventSources;
}

/** Serves the Lambda API for a workspace until interrupted. */
export async function serve(options: ServeOptions, logger: Logger): Promise<void> {
  const workbench = openWorkbench(options, logger, true);
  const service = await startLambdaService(workbench, options, logger, (line) => logger.info(line));
  // Edited code runs on the next call, without a restart: warm environments are replaced.
  const codeWatcher = new CodeWatcher(workbench.engine, logger);
  codeWatcher.sync();
  workbench.workspace.on('changed', () => codeWatcher.sync());
  announce(service, logger);
  await untilStopped(logger, async () => {
    codeWatcher.close();
    await stopService(service);
  });
}

/**
 * Starts the engine, builds missing images (reporting each line to `progress`) and listens for the
 * Lambda API. On failure the workbench is closed again.
 */
export async function startLambdaService(
  workbench: Workbench,
  options: Pick<ServeOptions, 'port' | 'host' | 'build'> & { fallbackPort?: boolean; apiPort?: number },
  logger: Logger,
  progress: (line: string) => void,
): Promise<RunningService> {
  const { engine } = workbench;
  const context: LambdaApiContext = { engine, logger };
  let server: LambdaApiServer;
  try {
    await engine.start();
    if (options.build) await engine.ensureImages(progress);
    server = await listenWithFallback(context, options, logger);
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
  const sources = new EventSources(engine, {
    dataDir: workbench.dataDir,
    workspaceKey: workbench.key,
    logger,
    ...(options.apiPort !== undefined ? { apiPort: options.apiPort } : {}),
  });
  context.sources = sources;
  await sources.apply(workbench.workspace.current.triggers);
  workbench.workspace.on('changed', (next) => {
    void sources.apply(next.triggers).catch((error: unknown) => logger.error({ err: error }, 'Applying the changed event sources failed'));
  });
  return { workbench, server, endpoint: `http://${options.host}:${server.port}`, sources };
}

async function listenWithFallback(
  context: LambdaApiContext,
  options: { port: number; host: string; fallbackPort?: boolean },
  logger: Logger,
): Promise<LambdaApiServer> {
  try {
    return await LambdaApiServer.listen(context, options.port, options.host);
  } catch (error) {
    if (!options.fallbackPort || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const server = await LambdaApiServer.listen(context, 0, options.host);
    logger.warn(`Port ${options.port} is in use; the Lambda API listens on port ${server.port} instead.`);
    return server;
  }
}

/** Prints where the API listens, the functions, the settings, and a command to try. */
export function announce({ workbench, endpoint }: RunningService, logger: Logger): void {
  const { engine } = workbench;
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
}

export async function stopService({ server, workbench, sources }: RunningService): Promise<void> {
  await sources.close();
  await server.close();
  await workbench.close();
}

/**
 * Keeps the process serving until SIGINT or SIGTERM, then runs `stop` once. A bug in a request
 * handler is logged rather than taking the whole service down.
 */
export async function untilStopped(logger: Logger, stop: () => Promise<void>): Promise<void> {
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'Unexpected error; still serving'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'Unhandled promise rejection; still serving'));
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info(`${signal} received; stopping the containers`);
      stop()
        .then(() => logger.info('Stopped'))
        .catch((error: unknown) => logger.error({ err: error }, 'Shutdown did not complete'))
        .finally(resolve);
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
}

function keepWarmText(seconds: number, timeScale: number): string {
  if (timeScale === 1) return `${seconds} s`;
  return `${seconds} s of Lambda time (${(seconds / timeScale).toFixed(1)} s here)`;
}
