import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { destinationTarget } from '../core/arn.js';
import { DEFAULT_EVENT_INVOKE_SETTINGS } from '../core/scheduler/retry-policy.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import { parseLayerArn } from '../core/template/layer-config.js';
import type { DestinationInfo, FunctionDetail, FunctionSummary, TriggerInfo } from '../contract/types.js';
import { Document, isMap, isScalar, YAMLMap } from 'yaml';
import { LIMITS } from '../core/limits.js';
import { codeDigest } from '../engine/code-digest.js';
import type { LambdaEngine } from '../engine/engine.js';
import { functionArn } from '../core/lambda-format.js';

/** Builds the console's views of functions (list rows and function pages) from the engine's state. */
export class FunctionViews {
  /** Reason the last setup of each function failed (image missing, bad zip), kept until one succeeds. */
  readonly failures = new Map<string, string>();

  constructor(
    private readonly engine: LambdaEngine,
    /** Every trigger of a function, from the workspace's wiring; its Events alone when not given. */
    private readonly triggers: (fn: FunctionConfig) => TriggerInfo[] = triggersOf,
  ) {}

  summary(fn: FunctionConfig): FunctionSummary {
    const lifecycle = this.engine.lifecycle(fn.name);
    const failure = this.failures.get(fn.name) ?? (lifecycle.state === 'Failed' ? lifecycle.stateReason : undefined);
    return {
      name: fn.name,
      logicalId: fn.logicalId,
      runtime: fn.runtime?.id ?? 'Image',
      packageType: fn.packageType,
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      description: fn.description,
      lastModified: new Date(Math.max(this.engine.functionModifiedMs(fn.name), codeModifiedMs(fn))).toISOString(),
      state: failure ? 'Failed' : lifecycle.state,
      ...(failure ? { stateReason: failure } : lifecycle.stateReason ? { stateReason: lifecycle.stateReason } : {}),
    };
  }

  async detail(fn: FunctionConfig): Promise<FunctionDetail> {
    const { engine } = this;
    // A code folder removed outside the workbench must not take the whole page down.
    const digest = await codeDigest(fn).catch(() => ({ sha256: '', size: 0 }));
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
      ...this.ownAndInherited(fn, 'environment', ['Environment', 'Variables'], fn.environment),
      ...this.ownAndInherited(fn, 'tags', ['Tags'], fn.tags),
      layers: await Promise.all(
        fn.layers.map(async (arn, index) => {
          const parsed = parseLayerArn(arn);
          const sizeBytes = (await engine.layerCodeSize(arn)) ?? null;
          return { order: index + 1, arn, name: parsed?.name ?? arn, version: parsed?.version ?? null, sizeBytes };
        }),
      ),
      triggers: this.triggers(fn),
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
      fileSystems: fn.fileSystems.map((fileSystem) => ({
        arn: fileSystem.arn,
        localMountPath: fileSystem.localMountPath,
        hostPath: fileSystem.hostPath,
      })),
      sizes: {
        packageBytes: digest.size,
        packageLimitBytes: LIMITS.zippedUploadBytes,
        unzippedBytes: (await engine.unzippedSize(fn).catch(() => undefined)) ?? null,
        unzippedLimitBytes: LIMITS.unzippedCodeBytes,
      },
      choices: {
        layers: engine.workspace.layers.map((layer) => ({
          name: layer.name,
          arn: layer.arn,
          version: layer.version,
          logicalId: layer.logicalId,
          compatibleRuntimes: layer.compatibleRuntimes ?? null,
        })),
        accessPoints: engine.workspace.accessPoints.map((point) => ({
          arn: point.arn,
          logicalId: point.logicalId,
          folder: path.join('efs', point.fileSystem, path.normalize(`/${point.root}`)),
        })),
        codeSigningConfigs: engine.workspace.codeSigningConfigs.map((config) => ({
          arn: config.arn,
          logicalId: config.logicalId,
          policy: config.policy,
          description: config.description,
        })),
      },
      image: fn.code.kind === 'image' ? await this.imageOf(fn) : null,
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
      templateSource: this.propertySource(fn),
    };
  }

  /**
   * Splits a merged map (variables, tags) into the function's own entries and those it inherits
   * from Globals.Function, so that an edit writes only the function's own and keeps the Globals.
   */
  private ownAndInherited<K extends 'environment' | 'tags'>(
    fn: FunctionConfig,
    kind: K,
    propertyPath: string[],
    merged: Record<string, string>,
  ): Record<K, Record<string, string>> &
    Record<K extends 'environment' ? 'inheritedEnvironment' : 'inheritedTags', Record<string, string>> {
    const inheritedKey = kind === 'environment' ? 'inheritedEnvironment' : 'inheritedTags';
    // Only SAM functions inherit from Globals.
    if (fn.resourceType !== 'AWS::Serverless::Function') return { [kind]: merged, [inheritedKey]: {} } as never;
    const document = this.engine.workspace.document;
    const ownNode = document.getIn(['Resources', fn.logicalId, 'Properties', ...propertyPath]);
    const ownKeys = new Set(isMap(ownNode) ? ownNode.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)) : []);
    const own: Record<string, string> = {};
    const inherited: Record<string, string> = {};
    for (const [key, value] of Object.entries(merged)) (ownKeys.has(key) ? own : inherited)[key] = value;
    return { [kind]: own, [inheritedKey]: inherited } as never;
  }

  /** Renders each of the function's own properties as the template writes it. */
  private propertySource(fn: FunctionConfig): Record<string, string> {
    const properties = this.engine.workspace.document.getIn(['Resources', fn.logicalId, 'Properties'], true);
    if (!isMap(properties)) return {};
    const source: Record<string, string> = {};
    for (const pair of properties.items) {
      const map = new YAMLMap();
      map.items.push(pair);
      const document = new Document();
      document.contents = map;
      source[String(isScalar(pair.key) ? pair.key.value : pair.key)] = document.toString({ lineWidth: 0 });
    }
    return source;
  }

  private async imageOf(fn: FunctionConfig): Promise<FunctionDetail['image']> {
    const { reference, digest } = await this.engine.imageOf(fn);
    return imageFacts(reference, digest, fn.code.kind === 'image' && fn.code.build !== undefined);
  }
}

function imageFacts(reference: string, digest: string | undefined, built: boolean): FunctionDetail['image'] {
  return { reference, digest: digest ?? null, built };
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
  if (fn.code.kind === 'zip') return existsSync(fn.code.path) ? statSync(fn.code.path).mtimeMs : 0;
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
