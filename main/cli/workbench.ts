import path from 'node:path';
import { loadWorkspace, type Workspace } from '../core/template/workspace.js';
import { cacheDir, workspaceDataDir } from '../config/paths.js';
import { packageRoot } from '../config/package-root.js';
import { DockerodeEngine } from '../docker/dockerode-engine.js';
import { RuntimeImages } from '../docker/runtime-images.js';
import type { AccountSettings } from '../engine/blueprint.js';
import { LambdaEngine } from '../engine/engine.js';
import type { Logger } from '../logging.js';
import { LogStore } from '../store/log-store.js';

export interface WorkspaceOptions {
  template: string;
  region?: string;
  accountId?: string;
  parameterOverrides?: string[];
}

/** Builds the account settings from the options that every workspace command shares. */
export function accountSettings(options: WorkspaceOptions): AccountSettings {
  return {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    // Placeholders: functions see credentials as they would on Lambda, but nothing accepts them.
    credentials: {
      accessKeyId: 'ASIAWORKBENCHLOCAL00',
      secretAccessKey: 'lambda-workbench-local-secret-access-key',
      sessionToken: 'lambda-workbench-local-session-token',
    },
  };
}

export function parseOverrides(pairs: string[] | undefined): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new Error(`Invalid parameter override ${JSON.stringify(pair)}: use Name=Value.`);
    overrides[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return overrides;
}

export function openWorkspace(options: WorkspaceOptions, logger: Logger): Workspace {
  const account = accountSettings(options);
  const workspace = loadWorkspace(path.resolve(options.template), {
    region: account.region,
    accountId: account.accountId,
    parameterOverrides: parseOverrides(options.parameterOverrides),
  });
  for (const warning of workspace.warnings) logger.warn(warning);
  return workspace;
}

export interface OpenedWorkbench {
  workspace: Workspace;
  engine: LambdaEngine;
  logs: LogStore;
  images: RuntimeImages;
  close(): Promise<void>;
}

/** Loads the template and wires the engine to Docker, the runtime images and the log store. */
export function openWorkbench(options: WorkspaceOptions, logger: Logger): OpenedWorkbench {
  const workspace = openWorkspace(options, logger);
  const dataDir = workspaceDataDir(workspace.templatePath);
  const containers = new DockerodeEngine();
  const images = new RuntimeImages(containers, path.join(packageRoot(), 'runtime-images'), logger);
  const logs = new LogStore(path.join(dataDir, 'logs.sqlite'));
  const engine = new LambdaEngine({
    workspace,
    containers,
    images,
    logs,
    logger,
    account: accountSettings(options),
    codeCacheDir: cacheDir('code'),
    workspaceKey: path.basename(dataDir),
  });
  return {
    workspace,
    engine,
    logs,
    images,
    async close() {
      await engine.shutdown();
      logs.close();
    },
  };
}

export function logStoreFor(templatePath: string): LogStore {
  return new LogStore(path.join(workspaceDataDir(path.resolve(templatePath)), 'logs.sqlite'));
}
