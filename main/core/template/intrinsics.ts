import { createHash } from 'node:crypto';

/**
 * Evaluates CloudFormation intrinsic functions the way a deployed stack would see them, with
 * local stand-ins for physical ids (ARNs, queue URLs) that only exist after a real deployment.
 */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface StackContext {
  region: string;
  accountId: string;
  stackName: string;
  parameters: ReadonlyMap<string, unknown>;
  conditions: Readonly<Record<string, unknown>>;
  mappings: Readonly<Record<string, unknown>>;
  resources: Readonly<Record<string, { Type?: unknown; Properties?: unknown }>>;
  templatePath: string;
  /** Version ARNs of the template's layers, by logical id, once their versions are known. */
  layerArns: Map<string, string>;
}

export class IntrinsicResolver {
  readonly warnings: string[] = [];
  private readonly conditionCache = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();

  constructor(private readonly stack: StackContext) {}

  /** Resolves every intrinsic inside a value; properties set to AWS::NoValue are dropped. */
  resolve(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolve(item, where)).filter((item) => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, argument] = entries[0]!;
      if (key === 'Ref' || key.startsWith('Fn::')) return this.evaluate(key, argument, where);
    }
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.resolve(item, `${where}.${key}`);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  isConditionTrue(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    if (!(name in this.stack.conditions)) {
      this.warnings.push(`Condition ${name} is not defined in Conditions; treating it as false.`);
      return false;
    }
    if (this.evaluating.has(name)) {
      this.warnings.push(`Condition ${name} refers to itself; treating it as false.`);
      return false;
    }
    this.evaluating.add(name);
    const result = Boolean(this.resolve(this.stack.conditions[name], `Conditions.${name}`));
    this.evaluating.delete(name);
    this.conditionCache.set(name, result);
    return result;
  }

  private evaluate(fn: string, argument: unknown, where: string): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(String(this.resolve(argument, where)), where);
      case 'Fn::GetAtt':
        return this.getAtt(this.resolve(argument, where), where);
      case 'Fn::Sub':
        return this.sub(argument, where);
      case 'Fn::Join': {
        const [separator, items] = this.list(argument, 2, fn, where);
        const resolved = this.resolve(items, where);
        return Array.isArray(resolved) ? resolved.map(String).join(String(separator ?? '')) : '';
      }
      case 'Fn::Select': {
        const [index, items] = this.list(argument, 2, fn, where);
        const list = this.resolve(items, where);
        return Array.isArray(list) ? list[Number(this.resolve(index, where))] : undefined;
      }
      case 'Fn::Split': {
        const [separator, text] = this.list(argument, 2, fn, where);
        return String(this.resolve(text, where)).split(String(separator));
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.list(argument, 3, fn, where);
        return this.resolve(this.isConditionTrue(String(condition)) ? whenTrue : whenFalse, where);
      }
      case 'Fn::Equals': {
        const [left, right] = this.list(argument, 2, fn, where);
        return JSON.stringify(this.resolve(left, where)) === JSON.stringify(this.resolve(right, where));
      }
      case 'Fn::And':
        return this.list(argument, -1, fn, where).every((item) => Boolean(this.resolve(item, where)));
      case 'Fn::Or':
        return this.list(argument, -1, fn, where).some((item) => Boolean(this.resolve(item, where)));
      case 'Fn::Not':
        return !this.resolve(this.list(argument, 1, fn, where)[0], where);
      case 'Fn::FindInMap': {
        const [map, top, second] = this.list(argument, 3, fn, where).map((item) => String(this.resolve(item, where)));
        const found = (this.stack.mappings[map!] as Record<string, Record<string, unknown>> | undefined)?.[top!]?.[second!];
        if (found === undefined) this.warnings.push(`${where}: Fn::FindInMap found no value at ${map}.${top}.${second}.`);
        return found;
      }
      case 'Fn::Base64':
        return Buffer.from(String(this.resolve(argument, where))).toString('base64');
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(argument, where));
      case 'Fn::Length': {
        const list = this.resolve(argument, where);
        return Array.isArray(list) ? list.length : 0;
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${this.stack.region}${zone}`);
      default:
        this.warnings.push(`${where}: ${fn} cannot be evaluated locally; its value is left empty.`);
        return '';
    }
  }

  private list(argument: unknown, length: number, fn: string, where: string): unknown[] {
    if (!Array.isArray(argument) || (length >= 0 && argument.length < length)) {
      this.warnings.push(`${where}: ${fn} expects a list${length >= 0 ? ` of ${length} items` : ''}.`);
      return Array.isArray(argument) ? argument : [];
    }
    return argument;
  }

  private ref(name: string, where: string): unknown {
    const pseudo = this.pseudoParameter(name);
    if (pseudo !== undefined) return pseudo;
    if (this.stack.parameters.has(name)) return this.stack.parameters.get(name);
    const resource = this.stack.resources[name];
    if (resource) return physicalId(name, resource, this.stack);
    this.warnings.push(`${where}: Ref ${name} names no parameter or resource; its value is left empty.`);
    return '';
  }

  private pseudoParameter(name: string): unknown {
    const { region, accountId, stackName } = this.stack;
    switch (name) {
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  private getAtt(argument: unknown, where: string): unknown {
    const [logicalId, attribute] = Array.isArray(argument) ? argument.map(String) : [String(argument), ''];
    const resource = this.stack.resources[logicalId!];
    if (!resource) {
      this.warnings.push(`${where}: Fn::GetAtt names ${logicalId}, which is not a resource of this template.`);
      return '';
    }
    return attributeOf(logicalId!, attribute ?? '', resource, this.stack);
  }

  private sub(argument: unknown, where: string): string {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
    const resolvedVariables = (this.resolve(variables ?? {}, where) ?? {}) as Record<string, unknown>;
    return String(text).replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
      if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
      const name = expression.trim();
      if (name in resolvedVariables) return String(resolvedVariables[name]);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) {
        return String(this.getAtt([name.slice(0, dot), name.slice(dot + 1)], where));
      }
      return String(this.ref(name, where));
    });
  }
}

function resourceName(logicalId: string, resource: { Properties?: unknown }, key: string): string {
  const properties = (resource.Properties ?? {}) as Record<string, unknown>;
  const name = properties[key];
  return typeof name === 'string' ? name : logicalId;
}

/** Returns what Ref gives for a resource in a deployed stack, with local names standing in. */
export function physicalId(logicalId: string, resource: { Type?: unknown; Properties?: unknown }, stack: StackContext): string {
  const { region, accountId } = stack;
  switch (resource.Type) {
    case 'AWS::Serverless::Function':
    case 'AWS::Lambda::Function':
      return resourceName(logicalId, resource, 'FunctionName');
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${accountId}/${resourceName(logicalId, resource, 'QueueName')}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${region}:${accountId}:${resourceName(logicalId, resource, 'TopicName')}`;
    case 'AWS::S3::Bucket':
      return resourceName(logicalId, resource, 'BucketName').toLowerCase();
    case 'AWS::DynamoDB::Table':
    case 'AWS::Serverless::SimpleTable':
      return resourceName(logicalId, resource, 'TableName');
    case 'AWS::Events::EventBus':
      return resourceName(logicalId, resource, 'Name');
    case 'AWS::Events::Rule':
      return resourceName(logicalId, resource, 'Name');
    // Ref of a target group, listener or load balancer is its ARN; the ids in it are stable hashes.
    case 'AWS::ElasticLoadBalancingV2::TargetGroup':
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${logicalId.slice(0, 32)}/${shortHash(logicalId)}`;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/app/${logicalId.slice(0, 32)}/${shortHash(logicalId)}`;
    case 'AWS::ElasticLoadBalancingV2::Listener':
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:listener/app/local/${shortHash('load-balancer')}/${shortHash(logicalId)}`;
    case 'AWS::ElasticLoadBalancingV2::ListenerRule':
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:listener-rule/app/local/${shortHash('load-balancer')}/${shortHash(logicalId)}`;
    case 'AWS::EFS::FileSystem':
      return `fs-${logicalId.toLowerCase()}`;
    case 'AWS::EFS::AccessPoint':
      return `fsap-${logicalId.toLowerCase()}`;
    case 'AWS::Signer::SigningProfile':
      return resourceName(logicalId, resource, 'ProfileName');
    case 'AWS::Lambda::CodeSigningConfig':
      // Lambda's ids are csc- and 17 hex digits; this one is derived from the logical id, so it is stable.
      return `arn:aws:lambda:${region}:${accountId}:code-signing-config:csc-${createHash('sha256').update(logicalId).digest('hex').slice(0, 17)}`;
    case 'AWS::Serverless::LayerVersion':
    case 'AWS::Lambda::LayerVersion':
      return (
        stack.layerArns.get(logicalId) ?? `arn:aws:lambda:${region}:${accountId}:layer:${resourceName(logicalId, resource, 'LayerName')}:1`
      );
    default:
      return logicalId;
  }
}

function attributeOf(
  logicalId: string,
  attribute: string,
  resource: { Type?: unknown; Properties?: unknown },
  stack: StackContext,
): string {
  const { region, accountId } = stack;
  const id = physicalId(logicalId, resource, stack);
  if (attribute === 'Arn') {
    switch (resource.Type) {
      case 'AWS::Serverless::Function':
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${accountId}:function:${id}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${accountId}:${resourceName(logicalId, resource, 'QueueName')}`;
      case 'AWS::SNS::Topic':
        return id;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${id}`;
      case 'AWS::DynamoDB::Table':
      case 'AWS::Serverless::SimpleTable':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${id}`;
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${region}:${accountId}:event-bus/${id}`;
      case 'AWS::Events::Rule':
        return `arn:aws:events:${region}:${accountId}:rule/${id}`;
      case 'AWS::ElasticLoadBalancingV2::TargetGroup':
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      case 'AWS::ElasticLoadBalancingV2::Listener':
        return id;
      case 'AWS::EFS::FileSystem':
        return `arn:aws:elasticfilesystem:${region}:${accountId}:file-system/${id}`;
      case 'AWS::EFS::AccessPoint':
        return `arn:aws:elasticfilesystem:${region}:${accountId}:access-point/${id}`;
      case 'AWS::Signer::SigningProfile':
        return signingProfileArn(region, accountId, id);
      case 'AWS::Lambda::CodeSigningConfig':
        return id;
      default:
        return `arn:aws:local:${region}:${accountId}:${logicalId}`;
    }
  }
  if (attribute === 'ProfileVersionArn' && resource.Type === 'AWS::Signer::SigningProfile')
    return `${signingProfileArn(region, accountId, id)}/${SIGNING_PROFILE_VERSION}`;
  if (attribute === 'CodeSigningConfigArn' && resource.Type === 'AWS::Lambda::CodeSigningConfig') return id;
  if (attribute === 'QueueName' || attribute === 'TopicName' || attribute === 'Name') return id;
  if (attribute === 'QueueUrl') return physicalId(logicalId, { ...resource, Type: 'AWS::SQS::Queue' }, stack);
  return `${logicalId}.${attribute}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The version part of a signing profile's version ARN. Local profiles have one key pair each and
 * are never rotated, so every profile has this single version.
 */
export const SIGNING_PROFILE_VERSION = 'local1';

export function signingProfileArn(region: string, accountId: string, name: string): string {
  return `arn:aws:signer:${region}:${accountId}:/signing-profiles/${name}`;
}
