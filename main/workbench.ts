import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, type WorkbenchSettings } from './core/settings.js';
import { cacheDir, dataRoot, workspaceDataDir, workspaceKey } from './config/paths.js';
import { packageRoot } from './config/package-root.js';
import type { ContainerEngine } from './docker/engine.js';
import { DockerodeEngine } from './docker/dockerode-engine.js';
import { RuntimeImages } from './docker/runtime-images.js';
import type { AccountSettings } from './engine/blueprint.js';
import { LambdaEngine } from './engine/engine.js';
import { LayerStore } from './engine/layer-store.js';
import { SigningKeys } from './engine/code-signing.js';
import { WorkspaceService } from './engine/workspace-service.js';
import type { Logger } from './logging.js';
import { openWorkbenchDatabase, type WorkbenchDatabase } from './store/database.js';
import { LogStore } from './store/log-store.js';

export interface WorkbenchOptions {
  templatePath: string;
  account: AccountSettings;
  logger: Logger;
  parameterOverrides?: Record<string, string>;
  settings?: WorkbenchSettings;
  /** The workspace's data folder; by default one under the workbench's data root. */
  dataDir?: string;
  codeCacheDir?: string;
  /** Folder of the local signing profiles' keys; by default one under the data root. */
  signingKeysDir?: string;
  containers?: ContainerEngine;
  /** Reload the template when it changes on disk. */
  watch?: boolean;
}

export interface Workbench {
  engine: LambdaEngine;
  workspace: WorkspaceService;
  logs: LogStore;
  database: WorkbenchDatabase;
  images: RuntimeImages;
  dataDir: string;
  /** Identifies the workspace in container and image names. */
  key: string;
  close(): Promise<void>;
}

/**
 * Wires one workspace to Docker, the runtime images and its stores. The CLI, the browser mode,
 * the desktop app and the tests all start the workbench through here.
 */
export function openWorkbench(options: WorkbenchOptions): Workbench {
  const templatePath = path.resolve(options.templatePath);
  const dataDir = options.dataDir ?? workspaceDataDir(templatePath);
  mkdirSync(dataDir, { recursive: true });
  const database = openWorkbenchDatabase(path.join(dataDir, 'workbench.sqlite'));
  const layers = new LayerStore(database, path.join(dataDir, 'layers'));
  let workspace: WorkspaceService;
  try {
    workspace = new WorkspaceService(
      templatePath,
      {
        region: options.account.region,
        accountId: options.account.accountId,
        ...(options.parameterOverrides ? { parameterOverrides: options.parameterOverrides } : {}),
        layerVersion: (layer) => layers.publish(layer),
      },
      options.logger,
    );
  } catch (error) {
    database.close();
    throw error;
  }
  const containers = options.containers ?? new DockerodeEngine();
  const images = new RuntimeImages(containers, path.join(packageRoot(), 'runtime-images'), options.logger);
  const logs = new LogStore(path.join(dataDir, 'logs.sqlite'));
  const engine = new LambdaEngine({
    workspace,
    containers,
    images,
    logs,
    database,
    layers,
    signingKeys: new SigningKeys(options.signingKeysDir ?? path.join(dataRoot(), 'signing-keys')),
    logger: options.logger,
    account: options.account,
    settings: options.settings ?? DEFAULT_SETTINGS,
    dataDir,
    codeCacheDir: options.codeCacheDir ?? cacheDir('code'),
    workspaceKey: workspaceKey(templatePath),
  });
  if (options.watch) workspace.watch();
  return {
    engine,
    workspace,
    logs,
    database,
    images,
    dataDir,
    key: workspaceKey(templatePath),
    async close() {
      workspace.close();
      await engine.shutdown();
      logs.close();
      database.close();
    },
  };
}
