import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { logGroupName, functionArn } from '../core/lambda-format.js';
import { executionEnvFor } from '../core/runtimes.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { Mount } from '../docker/engine.js';
import type { ResolvedImage } from '../docker/runtime-images.js';
import type { EnvironmentBlueprint } from './environment.js';

export interface AccountSettings {
  region: string;
  accountId: string;
  /** Placeholder credentials for functions, where a real function gets its role's session. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

/** Tells this process apart from an earlier one that had the same process id. */
export const PROCESS_INSTANCE = randomUUID();

/** Labels on every container, so a later start can find and remove what a dead process left. */
export function ownerLabels(workspaceKey: string): Record<string, string> {
  return {
    'dev.lambda-workbench': 'true',
    'dev.lambda-workbench.workspace': workspaceKey,
    'dev.lambda-workbench.owner-host': os.hostname(),
    'dev.lambda-workbench.owner-pid': String(process.pid),
    'dev.lambda-workbench.owner-instance': PROCESS_INSTANCE,
  };
}

/** Lambda's non-root sandbox user (sbx_user1051) and group, as the runtime images create them. */
const SANDBOX_USER = '993:990';

/** Where a function's code comes from: a folder for /var/task, or the image itself. */
export type CodeSource = { kind: 'folder'; codeDir: string; optDir?: string } | { kind: 'image'; cmd: string[] };

export function buildBlueprint(
  fn: FunctionConfig,
  image: ResolvedImage,
  source: CodeSource | string,
  account: AccountSettings,
  workspaceKey: string,
  version = '$LATEST',
  optDir?: string,
): EnvironmentBlueprint {
  const code: CodeSource = typeof source === 'string' ? { kind: 'folder', codeDir: source, ...(optDir ? { optDir } : {}) } : source;
  const group = logGroupName(fn.name);
  const executionEnv = fn.runtime ? executionEnvFor(fn.runtime) : undefined;
  const environment: Record<string, string> = {
    // Lambda's module path for Node.js, with the version folder of layers first. NODE_PATH is not
    // reserved, so the function's own value wins.
    ...(fn.runtime?.family === 'nodejs' && image.kind !== 'official' ? { NODE_PATH: nodePath(fn.runtime.languageVersion ?? '') } : {}),
    ...fn.environment,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: group,
    AWS_REGION: account.region,
    AWS_DEFAULT_REGION: account.region,
    // An image function's handler is the first word of its command, as Lambda passes it.
    _HANDLER: code.kind === 'image' ? ((fn.imageConfig?.command ?? code.cmd)[0] ?? '') : (fn.handler ?? ''),
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    TZ: ':UTC',
    AWS_ACCESS_KEY_ID: account.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: account.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: account.credentials.sessionToken,
    ...(executionEnv ? { AWS_EXECUTION_ENV: executionEnv } : {}),
  };
  // /tmp is added per environment by the TmpStorage, sized to EphemeralStorage where possible.
  const mounts: Mount[] = [];
  // FileSystemConfigs: a workspace folder, shared by every environment of the function and kept
  // across restarts, as an EFS access point is.
  for (const fileSystem of fn.fileSystems)
    mounts.push({ type: 'bind', source: fileSystem.hostPath, target: fileSystem.localMountPath, readOnly: false });
  if (code.kind === 'folder') {
    mounts.push({ type: 'bind', source: code.codeDir, target: '/var/task', readOnly: true });
    // Layers, merged in the function's order, are read-only at /opt as on Lambda.
    if (code.optDir) mounts.push({ type: 'bind', source: code.optDir, target: '/opt', readOnly: true });
  }
  return {
    functionName: fn.name,
    version,
    functionArn: functionArn(account.region, account.accountId, fn.name),
    logGroupName: group,
    image: image.reference,
    // The official AWS images start their runtime from /lambda-entrypoint.sh with the handler as argument.
    ...(code.kind === 'folder' && image.kind === 'official' && fn.handler ? { cmd: [fn.handler] } : {}),
    ...(code.kind === 'image' && fn.imageConfig?.entryPoint ? { entrypoint: fn.imageConfig.entryPoint } : {}),
    ...(code.kind === 'image' && fn.imageConfig?.command ? { cmd: fn.imageConfig.command } : {}),
    ...(code.kind === 'image' && fn.imageConfig?.workingDirectory ? { workingDir: fn.imageConfig.workingDirectory } : {}),
    user: SANDBOX_USER,
    environment,
    mounts,
    memoryMb: fn.memoryMb,
    timeoutSeconds: fn.timeoutSeconds,
    ephemeralStorageMb: fn.ephemeralStorageMb,
    labels: { ...ownerLabels(workspaceKey), 'dev.lambda-workbench.function': fn.name, 'dev.lambda-workbench.version': version },
    namePrefix: `lwb-${fn.name
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 40)}`,
  };
}

function nodePath(major: string): string {
  return [
    `/opt/nodejs/node${major}/node_modules`,
    '/opt/nodejs/node_modules',
    '/var/runtime/node_modules',
    '/var/runtime',
    '/var/task',
  ].join(':');
}
