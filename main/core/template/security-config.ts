import path from 'node:path';
import type { TemplateProblem } from '../errors.js';
import { physicalId, type IntrinsicResolver, type StackContext } from './intrinsics.js';
import type { FunctionConfig } from './function-config.js';

/** A signing profile (AWS::Signer::SigningProfile), which the workbench backs with a local key pair. */
export interface SigningProfileConfig {
  logicalId: string;
  name: string;
  versionArn: string;
  validityDays: number;
}

/** An AWS::Lambda::CodeSigningConfig. */
/** An AWS::EFS::AccessPoint of the template, which a function can mount through FileSystemConfigs. */
export interface AccessPointConfig {
  logicalId: string;
  arn: string;
  /** Logical id (or id) of the file system, the folder under efs/. */
  fileSystem: string;
  root: string;
}

export interface CodeSigningConfig {
  logicalId: string;
  arn: string;
  allowedProfileVersionArns: string[];
  policy: 'Warn' | 'Enforce';
  description: string;
}

/** AWS Signer's default signature validity: 135 months. */
const DEFAULT_VALIDITY_DAYS = Math.round(135 * 30.44);
const DAYS_PER_UNIT: Readonly<Record<string, number>> = { DAYS: 1, MONTHS: 30.44, YEARS: 365.25 };

export function readCodeSigning(
  resources: Record<string, Record<string, unknown>>,
  resolver: IntrinsicResolver,
  stack: StackContext,
  problems: TemplateProblem[],
): { profiles: SigningProfileConfig[]; configs: CodeSigningConfig[] } {
  const profiles: SigningProfileConfig[] = [];
  const configs: CodeSigningConfig[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::Signer::SigningProfile' && resource?.Type !== 'AWS::Lambda::CodeSigningConfig') continue;
    const properties = resolver.resolve(resource.Properties ?? {}, `${logicalId}.Properties`) as Record<string, unknown>;
    const report = (property: string, message: string): void => {
      problems.push({ resource: logicalId, path: `Properties.${property}`, message });
    };
    if (resource.Type === 'AWS::Signer::SigningProfile') {
      const period = properties.SignatureValidityPeriod as { Value?: unknown; Type?: unknown } | undefined;
      let validityDays = DEFAULT_VALIDITY_DAYS;
      if (period) {
        const unit = DAYS_PER_UNIT[String(period.Type)];
        if (!unit || typeof period.Value !== 'number' || !Number.isInteger(period.Value) || period.Value < 1) {
          report(
            'SignatureValidityPeriod',
            `${JSON.stringify(period)} is not valid; give a whole Value of at least 1 and a Type of DAYS, MONTHS or YEARS.`,
          );
        } else {
          validityDays = Math.round(period.Value * unit);
        }
      }
      const name = physicalId(logicalId, resource as { Type?: unknown; Properties?: unknown }, stack);
      profiles.push({
        logicalId,
        name,
        versionArn: String(resolver.resolve({ 'Fn::GetAtt': [logicalId, 'ProfileVersionArn'] }, logicalId)),
        validityDays,
      });
      continue;
    }
    const publishers = (properties.AllowedPublishers as { SigningProfileVersionArns?: unknown } | undefined)?.SigningProfileVersionArns;
    if (!Array.isArray(publishers) || publishers.length === 0 || publishers.some((arn) => typeof arn !== 'string')) {
      report('AllowedPublishers.SigningProfileVersionArns', `${JSON.stringify(publishers)} is not a list of signing profile version ARNs.`);
      continue;
    }
    const policy =
      (properties.CodeSigningPolicies as { UntrustedArtifactOnDeployment?: unknown } | undefined)?.UntrustedArtifactOnDeployment ?? 'Warn';
    if (policy !== 'Warn' && policy !== 'Enforce') {
      report('CodeSigningPolicies.UntrustedArtifactOnDeployment', `${JSON.stringify(policy)} is not valid; use Warn or Enforce.`);
      continue;
    }
    configs.push({
      logicalId,
      arn: physicalId(logicalId, resource as { Type?: unknown; Properties?: unknown }, stack),
      allowedProfileVersionArns: publishers as string[],
      policy,
      description: typeof properties.Description === 'string' ? properties.Description : '',
    });
  }
  return { profiles, configs };
}

/**
 * Maps each function's FileSystemConfigs to a folder of the workspace: efs/<file system>/<access
 * point root>. Lambda mounts one file system per function, under /mnt.
 */
export function resolveFileSystems(
  functions: FunctionConfig[],
  resources: Record<string, Record<string, unknown>>,
  resolver: IntrinsicResolver,
  stack: StackContext,
  problems: TemplateProblem[],
): AccessPointConfig[] {
  const accessPoints = new Map<string, { fileSystem: string; root: string }>();
  const listed: AccessPointConfig[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::EFS::AccessPoint') continue;
    const properties = resolver.resolve(resource.Properties ?? {}, `${logicalId}.Properties`) as Record<string, unknown>;
    const arn = String(resolver.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }, logicalId));
    const fileSystemId = String(properties.FileSystemId ?? 'default');
    const fileSystem =
      Object.entries(resources).find(
        ([id, candidate]) => candidate?.Type === 'AWS::EFS::FileSystem' && physicalId(id, candidate, stack) === fileSystemId,
      )?.[0] ?? fileSystemId;
    const root = String((properties.RootDirectory as { Path?: unknown } | undefined)?.Path ?? '/');
    accessPoints.set(arn, { fileSystem, root });
    listed.push({ logicalId, arn, fileSystem, root });
  }
  for (const fn of functions) {
    const configs = fn.properties.FileSystemConfigs;
    if (configs === undefined) continue;
    const report = (property: string, message: string): void => {
      problems.push({ resource: fn.logicalId, path: `Properties.${property}`, message });
    };
    if (!Array.isArray(configs)) {
      report('FileSystemConfigs', 'is not a list.');
      continue;
    }
    if (configs.length > 1) report('FileSystemConfigs', `lists ${configs.length} file systems; a function can mount at most 1.`);
    configs.forEach((config: { Arn?: unknown; LocalMountPath?: unknown }, index) => {
      const mountPath = config.LocalMountPath;
      if (
        typeof mountPath !== 'string' ||
        !/^\/mnt\/[a-zA-Z0-9-_.]+$/.test(mountPath) ||
        mountPath === '/mnt/.' ||
        mountPath === '/mnt/..'
      ) {
        report(
          `FileSystemConfigs[${index}].LocalMountPath`,
          `${JSON.stringify(mountPath)} is not valid; use /mnt/ followed by a name of letters, digits, hyphens, underscores or dots (not . or ..).`,
        );
        return;
      }
      const accessPoint = typeof config.Arn === 'string' ? accessPoints.get(config.Arn) : undefined;
      if (!accessPoint) {
        report(
          `FileSystemConfigs[${index}].Arn`,
          `${JSON.stringify(config.Arn)} is not an AWS::EFS::AccessPoint of this template; only local file systems can be mounted.`,
        );
        return;
      }
      const hostPath = path.join(path.dirname(stack.templatePath), 'efs', accessPoint.fileSystem, path.normalize(`/${accessPoint.root}`));
      fn.fileSystems.push({ arn: config.Arn as string, localMountPath: mountPath, hostPath });
    });
  }
  return listed;
}
