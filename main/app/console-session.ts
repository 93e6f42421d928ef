import path from 'node:path';
import { packageRoot } from '../config/package-root.js';
import { errorMessage } from '../core/errors.js';
import { announce, startLambdaService, stopService, type RunningService, type ServeOptions } from '../cli/serve.js';
import { openWorkbench } from '../cli/workbench.js';
import type { Logger } from '../logging.js';
import { WorkbenchApp } from './app.js';

/**
 * The console's running workspace: the WorkbenchApp the console talks to, and the Lambda API and
 * event sources of the workspace it shows. `open` switches to another workspace (a lab) while the
 * console keeps running; browser mode and the desktop app's engine process both use it.
 */
export class ConsoleSession {
  readonly app: WorkbenchApp;
  private service: RunningService | undefined;
  private switching: Promise<void> = Promise.resolve();

  constructor(
    private options: ServeOptions,
    private readonly logger: Logger,
  ) {
    const workbench = openWorkbench(options, logger, true);
    this.app = new WorkbenchApp(workbench, path.join(packageRoot(), 'resources'), logger);
    this.app.setWorkspaceOpener((templatePath, prepare) => this.open(templatePath, prepare));
  }

  /** Starts the engine, the Lambda API and the event sources of the current workspace. */
  async start(): Promise<RunningService> {
    const starting = startLambdaService(this.app.workbench, { ...this.options, fallbackPort: true }, this.logger, (line) => {
      this.logger.info(line);
      this.app.progress(line);
    });
    this.app.waitFor(starting);
    this.service = await starting;
    this.app.attachSources(this.service.sources);
    this.app.setLambdaApi(this.service.endpoint);
    announce(this.service, this.logger);
    return this.service;
  }

  /** Stops the current workspace's containers and servers, runs `prepare`, and opens another in their place. */
  open(templatePath: string, prepare: () => void = () => undefined): Promise<void> {
    const next = this.switching.then(async () => {
      this.logger.info(`Opening ${templatePath}`);
      if (this.service) await stopService(this.service);
      this.service = undefined;
      this.app.setLambdaApi(undefined);
      prepare();
      this.options = { ...this.options, template: templatePath };
      const workbench = openWorkbench(this.options, this.logger, true);
      this.app.attach(workbench);
      try {
        await this.start();
      } catch (error) {
        this.logger.error(`The workspace ${templatePath} could not be started: ${errorMessage(error)}`);
        throw error;
      }
    });
    this.switching = next.catch(() => undefined);
    return next;
  }

  async stop(): Promise<void> {
    await this.switching;
    if (this.service) await stopService(this.service);
    else await this.app.workbench.close();
    this.service = undefined;
  }
}
