import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Document } from 'yaml';
import { TemplateError, type TemplateProblem } from '../errors.js';
import { toCfnValue, parseTemplateDocument } from './cfn-yaml.js';
import { FUNCTION_TYPES, readFunction, type FunctionConfig } from './function-config.js';
import { LAYER_TYPES, MAX_LAYERS, layerVersionArn, parseLayerArn, readLayer, type LayerConfig } from './layer-config.js';
import { mergeGlobals } from './globals.js';
import { IntrinsicResolver, physicalId, type StackContext } from './intrinsics.js';
import { readTriggers, type TriggerSet } from '../triggers/trigger-config.js';
import {
  readCodeSigning,
  resolveFileSystems,
  type AccessPointConfig,
  type CodeSigningConfig,
  type SigningProfileConfig,
} from './security-config.js';

export interface StackSettings {
  region: string;
  accountId: string;
  /** Stands in for the CloudFormation stack name; defaults to the template folder's name. */
  stackName?: string;
  parameterOverrides?: Readonly<Record<string, string>>;
  /**
   * Gives the version number of a template layer's current content. The workbench publishes a
   * new local version whenever the content changes; without this, every layer is version 1.
   */
  layerVersion?: (layer: LayerConfig) => number;
}

/** A SAM project: its template file, the parsed document, and the functions read from it. */
export interface Workspace {
  templatePath: string;
  templateDir: string;
  /** The template as a yaml Document, the source of truth when edits are written back. */
  document: Document;
  functions: FunctionConfig[];
  /** The template's layers, each with its current local version. */
  layers: Array<LayerConfig & { version: number; arn: string }>;
  /** Names of the queues, topics and event buses the template declares. */
  messaging: { queues: string[]; topics: string[]; buses: string[] };
  signingProfiles: SigningProfileConfig[];
  codeSigningConfigs: CodeSigningConfig[];
  /** The template's EFS access points, mounted as folders under efs/. */
  accessPoints: AccessPointConfig[];
  /** Event sources and what they invoke. */
  triggers: TriggerSet;
  warnings: string[];
}

export function loadWorkspace(templatePath: string, settings: StackSettings): Workspace {
  const absolute = path.resolve(templatePath);
  let source: string;
  try {
    source = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : String(error);
    throw new TemplateError(absolute, [{ resource: '(template)', path: '', message: `the file ${reason}.` }]);
  }
  return parseWorkspace(source, absolute, settings);
}

export function parseWorkspace(source: string, templatePath: string, settings: StackSettings): Workspace {
  const templateDir = path.dirname(templatePath);
  const document = parseTemplateDocument(source);
  if (document.errors.length > 0) {
    throw new TemplateError(
      templatePath,
      document.errors.map((error) => {
        const position = error.linePos?.[0];
        const where = position ? `line ${position.line}, column ${position.col}` : '';
        return { resource: '(template)', path: where, message: error.message.split(' at line ')[0]!.split('\n')[0]! };
      }),
    );
  }

  const root = toCfnValue(document.contents, document) as Record<string, unknown> | null;
  const problems: TemplateProblem[] = [];
  const resources = root?.Resources;
  if (!root || typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new TemplateError(templatePath, [
      { resource: '(template)', path: 'Resources', message: 'is missing or not a map of resources.' },
    ]);
  }

  const warnings: string[] = [];
  const stack: StackContext = {
    region: settings.region,
    accountId: settings.accountId,
    stackName: settings.stackName ?? (path.basename(templateDir) || 'local'),
    parameters: readParameters(root.Parameters, settings.parameterOverrides ?? {}, warnings),
    conditions: asMap(root.Conditions),
    mappings: asMap(root.Mappings),
    resources: resources as StackContext['resources'],
    templatePath,
    layerArns: new Map(),
  };
  const resolver = new IntrinsicResolver(stack);
  const globalFunction = asMap(asMap(root.Globals).Function);

  const layers = readLayers(resources as Record<string, Record<string, unknown>>, resolver, templateDir, settings, problems);
  stack.layerArns = new Map(layers.map((layer) => [layer.logicalId, layer.arn]));

  const functions: FunctionConfig[] = [];
  const messaging: Workspace['messaging'] = { queues: [], topics: [], buses: [] };
  for (const [logicalId, resource] of Object.entries(resources as Record<string, Record<string, unknown>>)) {
    const type = resource?.Type;
    if (type === 'AWS::SQS::Queue' || type === 'AWS::SNS::Topic' || type === 'AWS::Events::EventBus') {
      const name = physicalId(
        logicalId,
        { Type: type, Properties: resolver.resolve(resource.Properties ?? {}, `${logicalId}.Properties`) },
        stack,
      );
      // Ref of a queue is its URL; the local queue is known by the name at its end.
      if (type === 'AWS::SQS::Queue') messaging.queues.push(name.split('/').at(-1)!);
      else if (type === 'AWS::SNS::Topic') messaging.topics.push(name.split(':').at(-1)!);
      else messaging.buses.push(name);
      continue;
    }
    if (typeof type !== 'string' || !FUNCTION_TYPES.has(type)) continue;
    if (typeof resource.Condition === 'string' && !resolver.isConditionTrue(resource.Condition)) continue;

    const own = asMap(resource.Properties);
    const merged = type === 'AWS::Serverless::Function' ? mergeGlobals(globalFunction, own) : own;
    const properties = resolver.resolve(merged, `${logicalId}.Properties`) as Record<string, unknown>;
    const metadata = resource.Metadata ? asMap(resolver.resolve(resource.Metadata, `${logicalId}.Metadata`)) : undefined;
    const config = readFunction(logicalId, type as FunctionConfig['resourceType'], properties, metadata, templateDir, problems);
    if (config) functions.push(config);
  }

  checkFunctionLayers(functions, layers, problems);
  const signing = readCodeSigning(resources as Record<string, Record<string, unknown>>, resolver, stack, problems);
  const triggers = readTriggers(resources as Record<string, Record<string, unknown>>, functions, resolver, stack, problems);
  const accessPoints = resolveFileSystems(functions, resources as Record<string, Record<string, unknown>>, resolver, stack, problems);
  for (const fn of functions) {
    if (fn.codeSigningConfigArn && !signing.configs.some((config) => config.arn === fn.codeSigningConfigArn)) {
      problems.push({
        resource: fn.logicalId,
        path: 'Properties.CodeSigningConfigArn',
        message: `${fn.codeSigningConfigArn} is not an AWS::Lambda::CodeSigningConfig of this template.`,
      });
    }
  }

  const seen = new Map<string, string>();
  for (const fn of functions) {
    const other = seen.get(fn.name);
    if (other) {
      problems.push({
        resource: fn.logicalId,
        path: 'Properties.FunctionName',
        message: `${fn.name} is also the name of ${other}; function names must be unique.`,
      });
    }
    seen.set(fn.name, fn.logicalId);
  }
  if (problems.length > 0) throw new TemplateError(templatePath, problems);

  warnings.push(...resolver.warnings);
  return {
    templatePath,
    templateDir,
    document,
    functions,
    layers,
    messaging,
    signingProfiles: signing.profiles,
    codeSigningConfigs: signing.configs,
    accessPoints,
    triggers,
    warnings,
  };
}

function readLayers(
  resources: Record<string, Record<string, unknown>>,
  resolver: IntrinsicResolver,
  templateDir: string,
  settings: StackSettings,
  problems: TemplateProblem[],
): Workspace['layers'] {
  const layers: Workspace['layers'] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const type = resource?.Type;
    if (typeof type !== 'string' || !LAYER_TYPES.has(type)) continue;
    if (typeof resource.Condition === 'string' && !resolver.isConditionTrue(resource.Condition)) continue;
    const properties = resolver.resolve(asMap(resource.Properties), `${logicalId}.Properties`) as Record<string, unknown>;
    const layer = readLayer(logicalId, type, properties, templateDir, problems);
    if (!layer) continue;
    const version = settings.layerVersion?.(layer) ?? 1;
    layers.push({ ...layer, version, arn: layerVersionArn(settings.region, settings.accountId, layer.name, version) });
  }
  return layers;
}

/** At most five layers per function, each compatible with the function's runtime and architecture. */
function checkFunctionLayers(functions: FunctionConfig[], layers: Workspace['layers'], problems: TemplateProblem[]): void {
  for (const fn of functions) {
    if (fn.layers.length > MAX_LAYERS) {
      problems.push({
        resource: fn.logicalId,
        path: 'Properties.Layers',
        message: `lists ${fn.layers.length} layers; a function can use at most ${MAX_LAYERS}.`,
      });
    }
    const seen = new Map<string, string>();
    fn.layers.forEach((arn, index) => {
      const parsed = parseLayerArn(arn);
      const where = `Properties.Layers[${index}]`;
      // Lambda refuses a function that lists one layer twice, in the same or another version.
      const layerKey = parsed ? `${parsed.accountId}:${parsed.name}` : arn;
      const earlier = seen.get(layerKey);
      if (earlier !== undefined) {
        problems.push({
          resource: fn.logicalId,
          path: where,
          message: `lists layer ${parsed?.name ?? arn} twice (${earlier} and ${arn}); list each layer once.`,
        });
      }
      seen.set(layerKey, arn);
      const layer = parsed && layers.find((candidate) => candidate.name === parsed.name);
      if (!layer) return;
      if (fn.runtime && layer.compatibleRuntimes && !layer.compatibleRuntimes.includes(fn.runtime.id)) {
        problems.push({
          resource: fn.logicalId,
          path: where,
          message: `layer ${layer.name} is compatible with ${layer.compatibleRuntimes.join(', ')}, not with ${fn.runtime.id}.`,
        });
      }
      if (layer.compatibleArchitectures && !layer.compatibleArchitectures.includes(fn.architecture)) {
        problems.push({
          resource: fn.logicalId,
          path: where,
          message: `layer ${layer.name} is built for ${layer.compatibleArchitectures.join(', ')}, not for ${fn.architecture}.`,
        });
      }
    });
  }
}

function readParameters(declared: unknown, overrides: Readonly<Record<string, string>>, warnings: string[]): Map<string, unknown> {
  const parameters = new Map<string, unknown>();
  for (const [name, definition] of Object.entries(asMap(declared))) {
    const spec = asMap(definition);
    const raw = name in overrides ? overrides[name] : spec.Default;
    if (raw === undefined) {
      warnings.push(`Parameter ${name} has no Default and no override; it resolves to an empty string.`);
      parameters.set(name, '');
      continue;
    }
    const type = String(spec.Type ?? 'String');
    if (type === 'Number') parameters.set(name, Number(raw));
    else if (type.startsWith('List<') || type === 'CommaDelimitedList') parameters.set(name, String(raw).split(','));
    else parameters.set(name, raw);
  }
  for (const name of Object.keys(overrides)) {
    if (!parameters.has(name)) warnings.push(`Parameter override ${name} matches no parameter of the template.`);
  }
  return parameters;
}

function asMap(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function findFunction(workspace: Workspace, nameOrLogicalId: string): FunctionConfig | undefined {
  return (
    workspace.functions.find((fn) => fn.name === nameOrLogicalId) ?? workspace.functions.find((fn) => fn.logicalId === nameOrLogicalId)
  );
}
