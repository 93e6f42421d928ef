import { createHash } from 'node:crypto';
import { functionArn, logGroupName } from '../core/lambda-format.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import { codeDigest, type CodeDigest } from '../engine/code-digest.js';
import type { FunctionLifecycle, LambdaEngine } from '../engine/engine.js';

export interface AccountIdentity {
  region: string;
  accountId: string;
}

/** A published version's own figures, which the configuration reports instead of $LATEST's. */
export interface VersionFacts {
  version: string;
  codeSha256: string;
  codeSize: number;
  description: string;
  createdMs: number;
}

/** Lambda's FunctionConfiguration document for $LATEST, or for a published version. */
export function functionConfiguration(
  fn: FunctionConfig,
  account: AccountIdentity,
  lastModified: Date,
  version?: VersionFacts,
  layerSize?: (arn: string) => number | undefined,
  precomputed?: CodeDigest,
  lifecycle: FunctionLifecycle = { state: 'Active', lastUpdateStatus: 'Successful' },
): Record<string, unknown> {
  const digest = version ? { sha256: version.codeSha256, size: version.codeSize } : (precomputed ?? { sha256: '', size: 0 });
  const role = typeof fn.properties.Role === 'string' ? fn.properties.Role : `arn:aws:iam::${account.accountId}:role/${fn.name}-role`;
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(account.region, account.accountId, fn.name, version?.version),
    ...(fn.runtime ? { Runtime: fn.runtime.id } : {}),
    Role: role,
    ...(fn.handler ? { Handler: fn.handler } : {}),
    CodeSize: digest.size,
    Description: version ? version.description : fn.description,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    LastModified: formatLastModified(version ? new Date(version.createdMs) : lastModified),
    CodeSha256: digest.sha256,
    Version: version?.version ?? '$LATEST',
    ...(Object.keys(fn.environment).length > 0 ? { Environment: { Variables: fn.environment } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: revisionId(fn, digest),
    State: lifecycle.state,
    ...(lifecycle.stateReason ? { StateReason: lifecycle.stateReason } : {}),
    ...(lifecycle.stateReasonCode ? { StateReasonCode: lifecycle.stateReasonCode } : {}),
    LastUpdateStatus: lifecycle.lastUpdateStatus,
    ...(lifecycle.lastUpdateStatusReason ? { LastUpdateStatusReason: lifecycle.lastUpdateStatusReason } : {}),
    ...(lifecycle.lastUpdateStatusReasonCode ? { LastUpdateStatusReasonCode: lifecycle.lastUpdateStatusReasonCode } : {}),
    PackageType: fn.packageType,
    Architectures: [fn.architecture],
    EphemeralStorage: { Size: fn.ephemeralStorageMb },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: logGroupName(fn.name) },
    ...(fn.layers.length > 0 ? { Layers: fn.layers.map((arn) => ({ Arn: arn, CodeSize: layerSize?.(arn) ?? 0 })) } : {}),
    ...(fn.imageConfig
      ? {
          ImageConfigResponse: {
            ImageConfig: {
              ...(fn.imageConfig.entryPoint ? { EntryPoint: fn.imageConfig.entryPoint } : {}),
              ...(fn.imageConfig.command ? { Command: fn.imageConfig.command } : {}),
              ...(fn.imageConfig.workingDirectory ? { WorkingDirectory: fn.imageConfig.workingDirectory } : {}),
            },
          },
        }
      : {}),
  };
}

/** Lambda writes LastModified as 2026-12-04T20:13:11.000+0000. */
export function formatLastModified(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

function revisionId(fn: FunctionConfig, digest: CodeDigest): string {
  const hex = createHash('sha256').update(JSON.stringify(fn.properties)).update(digest.sha256).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The FunctionConfiguration of a function of the engine's workspace, with its code digest and its layers' sizes. */
export async function describeFunction(
  engine: LambdaEngine,
  fn: FunctionConfig,
  lastModified: Date,
  version?: VersionFacts,
  lifecycle: FunctionLifecycle = engine.lifecycle(fn.name),
): Promise<Record<string, unknown>> {
  // An image function's CodeSha256 is its image digest, and its CodeSize 0, as on Lambda.
  const image = fn.code.kind === 'image' ? await engine.imageOf(fn) : undefined;
  const digest = version ? undefined : image ? { sha256: image.digest ?? '', size: 0 } : await codeDigest(fn);
  const layerSizes = new Map(await Promise.all(fn.layers.map(async (arn) => [arn, await engine.layerCodeSize(arn)] as const)));
  const modified = version ? lastModified : new Date(engine.functionModifiedMs(fn.name));
  return functionConfiguration(
    fn,
    engine.account,
    modified,
    version,
    (arn) => layerSizes.get(arn),
    digest,
    version ? undefined : lifecycle,
  );
}
