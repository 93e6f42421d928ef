import path from 'node:path';
import { loadSettings } from '../config/settings-file.js';
import { workspaceDataDir } from '../config/paths.js';
import type { WorkbenchSettings } from '../core/settings.js';
import { loadWorkspace, type Workspace } from '../core/template/workspace.js';
import type { AccountSettings } from '../engine/blueprint.js';
import type { Logger } from '../logging.js';
import { LogStore } from '../store/log-store.js';
import { openWorkbench as openWorkbenchCore, type Workbench } from '../workbench.js';

export interface WorkspaceOptions {
  template: string;
  region?: string;
  accountId?: string;
  parameterOverrides?: string[];
}

export interface SchedulerOptions {
  accountConcurrency?: number;
  workshop?: boolean;
  timeScale?: number;
  keepWarm?: number;
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

export function schedulerSettings(options: SchedulerOptions): WorkbenchSettings {
  const overrides: Partial<WorkbenchSettings> = {
    ...(options.accountConcurrency !== undefined ? { accountConcurrency: options.accountConcurrency } : {}),
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    ...(options.keepWarm !== undefined ? { keepWarmSeconds: options.keepWarm } : {}),
  };
  return loadSettings(overrides, options.workshop ?? false);
}

/** Opens the workspace of a CLI command with its settings. */
export function openWorkbench(options: WorkspaceOptions & SchedulerOptions, logger: Logger, watch = false): Workbench {
  return openWorkbenchCore({
    templatePath: options.template,
    account: accountSettings(options),
    logger,
    parameterOverrides: parseOverrides(options.parameterOverrides),
    settings: schedulerSettings(options),
    watch,
  });
}

export function logStoreFor(templatePath: string): LogStore {
  return new LogStore(path.join(workspaceDataDir(path.resolve(templatePath)), 'logs.sqlite'));
}
