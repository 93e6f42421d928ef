import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { destinationTarget } from '../core/arn.js';
import { DEFAULT_EVENT_INVOKE_SETTINGS } from '../core/scheduler/retry-policy.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import { parseLayerArn } from '../core/template/layer-config.js';
import type { DestinationInfo, FunctionDetail, FunctionSummary, TriggerInfo } from '../contract/types.js';
import { codeDigest } from '../engine/code-digest.js';
import type { LambdaEngine } from '../engine/engine.js';
import { functionArn } from '../core/lambda-format.js';

/** Builds the console's views of functions (list rows and function pages) from the engine's state. */
export class FunctionViews {
  /** Reason the last setup of each function failed (image missing, bad zip), kept until one succeeds. */
  readonly failures = new Map<string, string>();

  constructor(private readonly engine: LambdaEngine) {}

  summary(fn: FunctionConfig): FunctionSummary {
    const failure = this.failures.get(fn.name);
    return {
      name: fn.name,
      logicalId: fn.logicalId,
      runtime: fn.runtime?.id ?? 'Image',
      packageType: fn.packageType,
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      description: fn.description,
      lastModified: new Date(Math.max(this.engine.templateModifiedMs(), codeModifiedMs(fn))).toISOString(),
      state: failure ? 'Failed' : 'Active',
      ...(failure ? { stateReason: failure } : {}),
    };
  }

  async detail(fn: FunctionConfig): Promise<FunctionDetail> {
    const { engine } = this;
    const digest = await codeDigest(fn);
    const stored = engine.controlPlane.eventInvokeConfig(fn.name, '$LATEST')?.config;
    const check = engine.codeSigningChecks.get(fn.name);
    const signingConfig = fn.codeSigningConfigArn
      ? engine.workspace.codeSigningConfigs.find((config) => config.arn === fn.codeSigningConfigArn)
      : undefined;
    const provisioned = await Promise.all(
      engine.provisionedConfigs(fn.name).map(async (entry) => {
        const status = await engine.provisionedStatus(fn.name, entry.qualifier).catch(() => ({ status: 'FAILED', available: 0 }));
        return { qualifier: entry.qualifier, requested: entry.requested, status: status.status, available: status.available };
      }),
    );
    return {
      ...this.summary(fn),
      arn: functionArn(engine.account.region, engine.account.accountId, fn.name),
      handler: fn.handler ?? null,
      architecture: fn.architecture,
      ephemeralStorageMb: fn.ephemeralStorageMb,
      environment: fn.environment,
      tags: fn.tags,
      layers: await Promise.all(
        fn.layers.map(async (arn, index) => {
          const parsed = parseLayerArn(arn);
          const sizeBytes = (await engine.layerCodeSize(arn)) ?? null;
          return { order: index + 1, arn, name: parsed?.name ?? arn, version: parsed?.version ?? null, sizeBytes };
        }),
      ),
      triggers: triggersOf(fn),
      destinations: destinationsOf(fn),
      reservedConcurrency: engine.tracker.reservedFor(fn.name) ?? null,
      provisioned,
      asyncConfig: {
        maximumRetryAttempts:
          stored?.MaximumRetryAttempts ?? fn.eventInvoke?.maximumRetryAttempts ?? DEFAULT_EVENT_INVOKE_SETTINGS.maximumRetryAttempts,
        maximumEventAgeSeconds:
          stored?.MaximumEventAgeInSeconds ??
          fn.eventInvoke?.maximumEventAgeSeconds ??
          DEFAULT_EVENT_INVOKE_SETTINGS.maximumEventAgeSeconds,
      },
      codeSigning: signingConfig
        ? {
            configArn: signingConfig.arn,
            policy: signingConfig.policy,
            allowedPublishers: signingConfig.allowedProfileVersionArns,
            ...(check
              ? {
                  lastCheck: {
                    checkedAt: new Date(check.checkedAt).toISOString(),
                    trusted: check.verification.trusted,
                    message: check.verification.trusted
                      ? `Signed by ${check.verification.profileVersionArn}, valid until ${check.verification.expiresAt}`
                      : check.verification.message,
                  },
                }
              : {}),
          }
        : null,
      fileSystems: fn.fileSystems.map((fileSystem) => ({ localMountPath: fileSystem.localMountPath, hostPath: fileSystem.hostPath })),
      codeFolder: fn.code.kind === 'folder' ? fn.code.path : null,
      codeKind: fn.code.kind,
      codeSha256: digest.sha256,
      codeSize: digest.size,
      role: typeof fn.properties.Role === 'string' ? fn.properties.Role : `arn:aws:iam::${engine.account.accountId}:role/${fn.name}-role`,
      aliases: engine.controlPlane.aliases(fn.name).map((alias) => ({
        name: alias.name,
        functionVersion: alias.functionVersion,
        weights: alias.additionalVersionWeights ?? null,
        description: alias.description,
      })),
      versions: engine.controlPlane.versions(fn.name).map((version) => ({
        version: String(version.version),
        description: version.description,
        createdAt: new Date(version.createdMs).toISOString(),
        codeSha256: version.codeSha256,
      })),
      templateProperties: fn.properties,
    };
  }
}

function triggersOf(fn: FunctionConfig): TriggerInfo[] {
  const events = (fn.properties.Events ?? {}) as Record<string, { Type?: unknown; Properties?: Record<string, unknown> }>;
  return Object.entries(events).map(([name, event]) => {
    const properties = event.Properties ?? {};
    const type = String(event.Type ?? 'Unknown');
    const source =
      properties.Queue ??
      properties.Bucket ??
      properties.Topic ??
      properties.Schedule ??
      properties.Stream ??
      properties.EventBusName ??
      properties.Path ??
      properties.Pattern ??
      '';
    return { name, type, source: typeof source === 'string' ? source : JSON.stringify(source) };
  });
}

function destinationsOf(fn: FunctionConfig): DestinationInfo[] {
  const result: DestinationInfo[] = [];
  const add = (condition: DestinationInfo['condition'], arn: string | undefined): void => {
    if (arn) result.push({ condition, arn, kind: destinationTarget(arn)?.kind ?? 'unknown' });
  };
  add('OnSuccess', fn.eventInvoke?.onSuccess);
  add('OnFailure', fn.eventInvoke?.onFailure);
  add('DeadLetter', fn.deadLetterArn);
  return result;
}

/** Newest modification time among the first files of a code folder or package, in ms. */
function codeModifiedMs(fn: FunctionConfig): number {
  if (fn.code.kind === 'zip') return statSync(fn.code.path).mtimeMs;
  if (fn.code.kind !== 'folder' || !existsSync(fn.code.path)) return 0;
  let newest = 0;
  let seen = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (seen++ > 2_000 || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  walk(fn.code.path);
  return newest;
}
