import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TemplateProblem } from '../errors.js';
import { supportedRuntimeIds } from '../runtimes.js';

/** A layer defined in the template (AWS::Serverless::LayerVersion or AWS::Lambda::LayerVersion). */
export interface LayerConfig {
  logicalId: string;
  /** LayerName, or the logical id when the template sets none. */
  name: string;
  content: { kind: 'folder' | 'zip'; path: string };
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  description: string;
}

export const LAYER_TYPES = new Set(['AWS::Serverless::LayerVersion', 'AWS::Lambda::LayerVersion']);

/** A function may use at most this many layers. */
export const MAX_LAYERS = 5;

export function readLayer(
  logicalId: string,
  type: string,
  properties: Record<string, unknown>,
  templateDir: string,
  problems: TemplateProblem[],
): LayerConfig | undefined {
  const before = problems.length;
  const report = (property: string, message: string): void => {
    problems.push({ resource: logicalId, path: `Properties.${property}`, message });
  };
  const property = type === 'AWS::Serverless::LayerVersion' ? 'ContentUri' : 'Content';
  const location = properties[property];
  let content: LayerConfig['content'] | undefined;
  if (typeof location !== 'string') {
    report(property, `${JSON.stringify(location)} cannot be read offline; use a folder or a .zip path relative to the template.`);
  } else if (location.startsWith('s3://')) {
    report(property, `${location} cannot be read offline; use a folder or a .zip path relative to the template.`);
  } else {
    const resolved = path.resolve(templateDir, location);
    if (!existsSync(resolved)) report(property, `${location} does not exist (looked for ${resolved}).`);
    else if (statSync(resolved).isDirectory()) content = { kind: 'folder', path: resolved };
    else if (resolved.toLowerCase().endsWith('.zip')) content = { kind: 'zip', path: resolved };
    else report(property, `${location} is neither a folder nor a .zip file.`);
  }

  const name = properties.LayerName ?? logicalId;
  if (typeof name !== 'string' || !/^[a-zA-Z0-9-_]{1,140}$/.test(name)) {
    report('LayerName', `${JSON.stringify(name)} is not a valid layer name; use 1 to 140 letters, digits, hyphens or underscores.`);
  }
  const runtimes = readList(properties.CompatibleRuntimes, 'CompatibleRuntimes', report);
  const unknown = runtimes?.filter((runtime) => !supportedRuntimeIds().includes(runtime)) ?? [];
  if (unknown.length > 0)
    report(
      'CompatibleRuntimes',
      `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a runtime' : 'are not runtimes'} the workbench knows; use ${supportedRuntimeIds().join(', ')}.`,
    );
  const architectures = readList(properties.CompatibleArchitectures, 'CompatibleArchitectures', report);
  const badArchitectures = architectures?.filter((architecture) => architecture !== 'x86_64' && architecture !== 'arm64') ?? [];
  if (badArchitectures.length > 0) report('CompatibleArchitectures', `${badArchitectures.join(', ')} is not valid; use x86_64 or arm64.`);

  if (problems.length > before || !content) return undefined;
  return {
    logicalId,
    name: name as string,
    content,
    ...(runtimes ? { compatibleRuntimes: runtimes } : {}),
    ...(architectures ? { compatibleArchitectures: architectures } : {}),
    description: typeof properties.Description === 'string' ? properties.Description : '',
  };
}

function readList(value: unknown, property: string, report: (property: string, message: string) => void): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    report(property, `${JSON.stringify(value)} is not a list of strings.`);
    return undefined;
  }
  return value as string[];
}

/** A layer version ARN: arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION. */
export function layerVersionArn(region: string, accountId: string, name: string, version: number): string {
  return `arn:aws:lambda:${region}:${accountId}:layer:${name}:${version}`;
}

export function parseLayerArn(arn: string): { accountId: string; name: string; version: number } | undefined {
  const match = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/.exec(arn);
  return match ? { accountId: match[1]!, name: match[2]!, version: Number(match[3]) } : undefined;
}
