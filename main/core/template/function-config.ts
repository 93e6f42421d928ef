import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TemplateProblem } from '../errors.js';
import { LIMITS } from '../limits.js';
import { findRuntime, type RuntimeInfo } from '../runtimes.js';
import {
  checkAliasName,
  checkMaximumEventAge,
  checkMaximumRetryAttempts,
  checkProvisionedConcurrency,
  checkReservedConcurrency,
  checkArchitectures,
  checkDescription,
  checkEnvironmentVariables,
  checkEphemeralStorage,
  checkFunctionName,
  checkHandler,
  checkMemorySize,
  checkRuntime,
  checkTimeout,
} from './function-rules.js';

export type FunctionCode =
  | { kind: 'folder'; path: string }
  | { kind: 'zip'; path: string }
  /** AWS::Lambda::Function Code.ZipFile: the source of one file, index.js or index.py on Lambda. */
  | { kind: 'inline'; source: string }
  | { kind: 'image'; imageUri?: string; build?: ImageBuild };

/** SAM's Metadata for an Image function that the workbench builds itself. */
export interface ImageBuild {
  /** The build context folder, absolute. */
  context: string;
  /** The Dockerfile, relative to the context. */
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
}

/** ImageConfig: overrides of the image's own entry point, command and working directory. */
export interface ImageOverrides {
  entryPoint?: string[];
  command?: string[];
  workingDirectory?: string;
}

/** Asynchronous invocation settings (SAM's EventInvokeConfig), with destination ARNs resolved. */
export interface EventInvokeSettings {
  maximumRetryAttempts?: number;
  maximumEventAgeSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
}

/** One function of the workspace, with Lambda's defaults filled in. */
export interface FunctionConfig {
  logicalId: string;
  /** The function name callers use: FunctionName when the template sets one, else the logical id. */
  name: string;
  resourceType: 'AWS::Serverless::Function' | 'AWS::Lambda::Function';
  packageType: 'Zip' | 'Image';
  runtime?: RuntimeInfo;
  handler?: string;
  code: FunctionCode;
  imageConfig?: ImageOverrides;
  memoryMb: number;
  timeoutSeconds: number;
  ephemeralStorageMb: number;
  architecture: 'x86_64' | 'arm64';
  description: string;
  environment: Record<string, string>;
  tags: Record<string, string>;
  /** Layer version ARNs, in the order they are merged into /opt. */
  layers: string[];
  /** FileSystemConfigs, each with the workspace folder that stands in for the EFS access point. */
  fileSystems: Array<{ arn: string; localMountPath: string; hostPath: string }>;
  codeSigningConfigArn?: string;
  reservedConcurrency?: number;
  eventInvoke?: EventInvokeSettings;
  /** ARN of the dead-letter queue or topic (DeadLetterQueue.TargetArn, DeadLetterConfig.TargetArn). */
  deadLetterArn?: string;
  /** SAM's AutoPublishAlias: publish a version when the function changes and point this alias at it. */
  autoPublishAlias?: string;
  /** Provisioned concurrency of the AutoPublishAlias (ProvisionedConcurrencyConfig). */
  provisionedConcurrency?: number;
  /** The merged and resolved Properties, including the ones the workbench does not read. */
  properties: Record<string, unknown>;
}

export const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);

/** Reads one function resource whose Properties are already merged with Globals and resolved. */
export function readFunction(
  logicalId: string,
  resourceType: FunctionConfig['resourceType'],
  properties: Record<string, unknown>,
  metadata: Record<string, unknown> | undefined,
  templateDir: string,
  problems: TemplateProblem[],
): FunctionConfig | undefined {
  const before = problems.length;
  const report = (property: string, message: string | undefined): void => {
    if (message) problems.push({ resource: logicalId, path: `Properties.${property}`, message });
  };

  const name = properties.FunctionName === undefined ? logicalId : properties.FunctionName;
  if (properties.FunctionName !== undefined) report('FunctionName', checkFunctionName(name));

  const packageType = properties.PackageType ?? 'Zip';
  if (packageType !== 'Zip' && packageType !== 'Image') {
    report('PackageType', `${JSON.stringify(packageType)} is not valid; use Zip or Image.`);
  }

  const memoryMb = properties.MemorySize ?? LIMITS.memoryMb.default;
  report('MemorySize', checkMemorySize(memoryMb));
  const timeoutSeconds = properties.Timeout ?? LIMITS.timeoutSeconds.default;
  report('Timeout', checkTimeout(timeoutSeconds));

  const storage = properties.EphemeralStorage as { Size?: unknown } | undefined;
  const ephemeralStorageMb = storage?.Size ?? LIMITS.ephemeralStorageMb.default;
  report('EphemeralStorage.Size', checkEphemeralStorage(ephemeralStorageMb));

  const architectures = properties.Architectures ?? ['x86_64'];
  report('Architectures', checkArchitectures(architectures));

  const description = properties.Description ?? '';
  report('Description', checkDescription(description));

  const environment = readStringMap(properties.Environment, 'Variables', 'Environment.Variables', report);
  for (const [key, message] of checkEnvironmentVariables(environment)) {
    report(key ? `Environment.Variables.${key}` : 'Environment.Variables', message);
  }
  const tags = readStringMap(properties, 'Tags', 'Tags', report);
  const layers = properties.Layers ?? [];
  if (!Array.isArray(layers) || layers.some((layer) => typeof layer !== 'string')) {
    report('Layers', `${JSON.stringify(layers)} is not a list of layer version ARNs.`);
  }

  let runtime: RuntimeInfo | undefined;
  let handler: string | undefined;
  let code: FunctionCode | undefined;
  let imageConfig: ImageOverrides | undefined;
  if (packageType === 'Image') {
    const build = readImageBuild(metadata, templateDir, report);
    code = {
      kind: 'image',
      ...(typeof properties.ImageUri === 'string' ? { imageUri: properties.ImageUri } : {}),
      ...(build ? { build } : {}),
    };
    if (typeof properties.ImageUri !== 'string' && !build) {
      report('ImageUri', 'is missing; an Image function needs ImageUri, or Metadata with a Dockerfile to build.');
    }
    if (Array.isArray(layers) && layers.length > 0)
      report('Layers', 'cannot be used with PackageType Image; add the layer content to the image instead.');
    imageConfig = readImageConfig(properties.ImageConfig, report);
  } else {
    report('Runtime', checkRuntime(properties.Runtime));
    runtime = findRuntime(String(properties.Runtime));
    report('Handler', checkHandler(properties.Handler));
    handler = typeof properties.Handler === 'string' ? properties.Handler : undefined;
    code = readZipCode(resourceType, properties, templateDir, report);
  }

  const scheduling = readScheduling(logicalId, resourceType, properties, report);

  if (problems.length > before || !code) return undefined;
  return {
    logicalId,
    name: String(name),
    resourceType,
    packageType: packageType as FunctionConfig['packageType'],
    ...(runtime ? { runtime } : {}),
    ...(handler ? { handler } : {}),
    code,
    ...(imageConfig ? { imageConfig } : {}),
    memoryMb: memoryMb as number,
    timeoutSeconds: timeoutSeconds as number,
    ephemeralStorageMb: ephemeralStorageMb as number,
    architecture: (architectures as string[])[0] as FunctionConfig['architecture'],
    description: description as string,
    environment,
    tags,
    layers: Array.isArray(layers) ? (layers as string[]) : [],
    fileSystems: [],
    ...(typeof properties.CodeSigningConfigArn === 'string' ? { codeSigningConfigArn: properties.CodeSigningConfigArn } : {}),
    ...scheduling,
    properties,
  };
}

/** Reads SAM's build Metadata (Dockerfile, DockerContext, DockerTag, DockerBuildArgs). */
function readImageBuild(
  metadata: Record<string, unknown> | undefined,
  templateDir: string,
  report: (property: string, message: string | undefined) => void,
): ImageBuild | undefined {
  if (!metadata || metadata.Dockerfile === undefined) return undefined;
  const problem = (key: string, message: string): undefined => {
    report(`(Metadata) ${key}`, message);
    return undefined;
  };
  if (typeof metadata.Dockerfile !== 'string') return problem('Dockerfile', `${JSON.stringify(metadata.Dockerfile)} is not a file name.`);
  const context = path.resolve(templateDir, typeof metadata.DockerContext === 'string' ? metadata.DockerContext : '.');
  if (!existsSync(context) || !statSync(context).isDirectory()) return problem('DockerContext', `${context} is not a folder.`);
  if (!existsSync(path.join(context, metadata.Dockerfile)))
    return problem('Dockerfile', `${metadata.Dockerfile} does not exist in ${context}.`);
  const buildArgs: Record<string, string> = {};
  for (const [key, value] of Object.entries((metadata.DockerBuildArgs as Record<string, unknown> | undefined) ?? {}))
    buildArgs[key] = String(value);
  const tag = typeof metadata.DockerTag === 'string' ? metadata.DockerTag : 'latest';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return problem('DockerTag', `${JSON.stringify(tag)} is not a valid image tag.`);
  return { context, dockerfile: metadata.Dockerfile, tag, buildArgs };
}

function readImageConfig(value: unknown, report: (property: string, message: string | undefined) => void): ImageOverrides | undefined {
  if (value === undefined) return undefined;
  const config = value as Record<string, unknown>;
  const list = (key: string): string[] | undefined => {
    const item = config[key];
    if (item === undefined) return undefined;
    if (!Array.isArray(item) || item.some((part) => typeof part !== 'string')) {
      report(`ImageConfig.${key}`, `${JSON.stringify(item)} is not a list of strings.`);
      return undefined;
    }
    return item as string[];
  };
  const entryPoint = list('EntryPoint');
  const command = list('Command');
  const workingDirectory = config.WorkingDirectory;
  if (workingDirectory !== undefined && (typeof workingDirectory !== 'string' || !workingDirectory.startsWith('/'))) {
    report('ImageConfig.WorkingDirectory', `${JSON.stringify(workingDirectory)} is not an absolute path.`);
  }
  return {
    ...(entryPoint ? { entryPoint } : {}),
    ...(command ? { command } : {}),
    ...(typeof workingDirectory === 'string' ? { workingDirectory } : {}),
  };
}

type Scheduling = Pick<
  FunctionConfig,
  'reservedConcurrency' | 'eventInvoke' | 'deadLetterArn' | 'autoPublishAlias' | 'provisionedConcurrency'
>;

/** Reads concurrency, versioning and asynchronous invocation settings. */
function readScheduling(
  logicalId: string,
  resourceType: FunctionConfig['resourceType'],
  properties: Record<string, unknown>,
  report: (property: string, message: string | undefined) => void,
): Scheduling {
  const result: Scheduling = {};
  if (properties.ReservedConcurrentExecutions !== undefined) {
    report('ReservedConcurrentExecutions', checkReservedConcurrency(properties.ReservedConcurrentExecutions));
    result.reservedConcurrency = properties.ReservedConcurrentExecutions as number;
  }

  const eventInvoke = properties.EventInvokeConfig as Record<string, unknown> | undefined;
  if (eventInvoke && typeof eventInvoke === 'object') {
    const settings: EventInvokeSettings = {};
    if (eventInvoke.MaximumRetryAttempts !== undefined) {
      report('EventInvokeConfig.MaximumRetryAttempts', checkMaximumRetryAttempts(eventInvoke.MaximumRetryAttempts));
      settings.maximumRetryAttempts = eventInvoke.MaximumRetryAttempts as number;
    }
    if (eventInvoke.MaximumEventAgeInSeconds !== undefined) {
      report('EventInvokeConfig.MaximumEventAgeInSeconds', checkMaximumEventAge(eventInvoke.MaximumEventAgeInSeconds));
      settings.maximumEventAgeSeconds = eventInvoke.MaximumEventAgeInSeconds as number;
    }
    const destinations = (eventInvoke.DestinationConfig ?? {}) as Record<string, { Type?: unknown; Destination?: unknown } | undefined>;
    for (const condition of ['OnSuccess', 'OnFailure'] as const) {
      const destination = destinations[condition];
      if (!destination) continue;
      const arn = destinationArn(logicalId, condition, destination);
      if (!arn) {
        report(
          `EventInvokeConfig.DestinationConfig.${condition}`,
          `${JSON.stringify(destination)} names no destination; give Destination (an ARN) or a Type of SQS or SNS.`,
        );
        continue;
      }
      if (condition === 'OnSuccess') settings.onSuccess = arn;
      else settings.onFailure = arn;
    }
    result.eventInvoke = settings;
  }

  const deadLetter =
    resourceType === 'AWS::Serverless::Function'
      ? (properties.DeadLetterQueue as { TargetArn?: unknown } | undefined)
      : (properties.DeadLetterConfig as { TargetArn?: unknown } | undefined);
  if (deadLetter && typeof deadLetter === 'object') {
    if (typeof deadLetter.TargetArn === 'string' && /^arn:[^:]*:(sqs|sns):/.test(deadLetter.TargetArn))
      result.deadLetterArn = deadLetter.TargetArn;
    else
      report(
        resourceType === 'AWS::Serverless::Function' ? 'DeadLetterQueue.TargetArn' : 'DeadLetterConfig.TargetArn',
        `${JSON.stringify(deadLetter.TargetArn)} is not the ARN of an SQS queue or an SNS topic.`,
      );
  }

  if (properties.AutoPublishAlias !== undefined) {
    report('AutoPublishAlias', checkAliasName(properties.AutoPublishAlias));
    result.autoPublishAlias = properties.AutoPublishAlias as string;
  }
  const provisioned = properties.ProvisionedConcurrencyConfig as { ProvisionedConcurrentExecutions?: unknown } | undefined;
  if (provisioned && typeof provisioned === 'object') {
    report(
      'ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions',
      checkProvisionedConcurrency(provisioned.ProvisionedConcurrentExecutions),
    );
    if (properties.AutoPublishAlias === undefined) {
      report('ProvisionedConcurrencyConfig', 'needs AutoPublishAlias: provisioned concurrency applies to a published version or alias.');
    }
    result.provisionedConcurrency = provisioned.ProvisionedConcurrentExecutions as number;
  }
  return result;
}

/** SAM accepts a Type without a Destination for SQS and SNS and creates one; locally it is named after the function. */
function destinationArn(logicalId: string, condition: string, destination: { Type?: unknown; Destination?: unknown }): string | undefined {
  if (typeof destination.Destination === 'string' && destination.Destination.startsWith('arn:')) return destination.Destination;
  if (destination.Destination === undefined && (destination.Type === 'SQS' || destination.Type === 'SNS')) {
    const service = destination.Type === 'SQS' ? 'sqs' : 'sns';
    return `arn:aws:${service}:local:000000000000:${logicalId}EventInvokeConfig${condition}${destination.Type === 'SQS' ? 'Queue' : 'Topic'}`;
  }
  return undefined;
}

function readZipCode(
  resourceType: FunctionConfig['resourceType'],
  properties: Record<string, unknown>,
  templateDir: string,
  report: (property: string, message: string | undefined) => void,
): FunctionCode | undefined {
  if (resourceType === 'AWS::Lambda::Function') {
    const code = properties.Code as Record<string, unknown> | undefined;
    if (code && typeof code.ZipFile === 'string') return { kind: 'inline', source: code.ZipFile };
    if (code && typeof code.S3Key === 'string') {
      report(
        'Code',
        `points at s3://${String(code.S3Bucket)}/${code.S3Key}, which cannot be read offline; use Code.ZipFile, or an AWS::Serverless::Function with a local CodeUri.`,
      );
      return undefined;
    }
    report('Code', 'is missing; give Code.ZipFile with the source inline.');
    return undefined;
  }
  const codeUri = properties.CodeUri ?? '.';
  if (typeof codeUri !== 'string') {
    report('CodeUri', `${JSON.stringify(codeUri)} cannot be read offline; use a folder or a .zip path relative to the template.`);
    return undefined;
  }
  if (codeUri.startsWith('s3://')) {
    report('CodeUri', `${codeUri} cannot be read offline; use a folder or a .zip path relative to the template.`);
    return undefined;
  }
  const resolved = path.resolve(templateDir, codeUri);
  if (!existsSync(resolved)) {
    report('CodeUri', `${codeUri} does not exist (looked for ${resolved}).`);
    return undefined;
  }
  if (statSync(resolved).isDirectory()) return { kind: 'folder', path: resolved };
  if (resolved.toLowerCase().endsWith('.zip')) return { kind: 'zip', path: resolved };
  report('CodeUri', `${codeUri} is neither a folder nor a .zip file.`);
  return undefined;
}

/** Reads a map of strings, turning numbers and booleans into strings as CloudFormation does. */
function readStringMap(
  parent: unknown,
  key: string,
  property: string,
  report: (property: string, message: string | undefined) => void,
): Record<string, string> {
  const value = (parent as Record<string, unknown> | undefined)?.[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    report(property, `${JSON.stringify(value)} is not a map of names to values.`);
    return {};
  }
  const result: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
      result[name] = String(item);
    } else {
      report(`${property}.${name}`, `${JSON.stringify(item)} is not a string.`);
    }
  }
  return result;
}
