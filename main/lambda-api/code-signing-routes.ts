import type { CodeSigningConfig } from '../core/template/security-config.js';
import { functionArn } from '../core/lambda-format.js';
import type { CodeSigningConfigSpec } from '../engine/function-admin.js';
import { functionOf, readJsonBody, sendEmpty, sendJson, type Route, type RouteCall } from './context.js';
import { LambdaApiError } from './errors.js';
import { optionalString, page, validationError } from './validation.js';

/**
 * The code signing operations: configurations are the template's AWS::Lambda::CodeSigningConfig
 * resources, and a function's configuration is its CodeSigningConfigArn property. Changes are
 * written into template.yaml.
 */
export const codeSigningRoutes: Route[] = [
  {
    method: 'PUT',
    pattern: /^\/2020-06-30\/functions\/([^/]+)\/code-signing-config\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const body = await readJsonBody(call.request);
      const arn = optionalString(body, 'CodeSigningConfigArn', 'codeSigningConfigArn', 200);
      if (!arn) throw validationError(null, 'codeSigningConfigArn', 'Member must not be null');
      call.context.engine.admin.setFunctionCodeSigningConfig(fn.name, arn);
      sendJson(call.response, 200, call.requestId, { CodeSigningConfigArn: arn, FunctionName: fn.name });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2020-06-30\/functions\/([^/]+)\/code-signing-config\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      call.context.engine.admin.setFunctionCodeSigningConfig(fn.name, undefined);
      sendEmpty(call.response, 204, call.requestId);
    },
  },
  {
    method: 'POST',
    pattern: /^\/2020-04-22\/code-signing-configs\/?$/,
    async handle(call) {
      const body = await readJsonBody(call.request);
      const arn = call.context.engine.admin.createCodeSigningConfig(codeSigningSpec(body, true) as CodeSigningConfigSpec);
      sendJson(call.response, 201, call.requestId, { CodeSigningConfig: describe(configOf(call, arn)) });
    },
  },
  {
    method: 'PUT',
    pattern: /^\/2020-04-22\/code-signing-configs\/([^/]+)\/?$/,
    async handle(call) {
      const arn = decodeURIComponent(call.match[1]!);
      const body = await readJsonBody(call.request);
      call.context.engine.admin.updateCodeSigningConfig(arn, codeSigningSpec(body, false));
      sendJson(call.response, 200, call.requestId, { CodeSigningConfig: describe(configOf(call, arn)) });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2020-04-22\/code-signing-configs\/([^/]+)\/?$/,
    async handle(call) {
      call.context.engine.admin.deleteCodeSigningConfig(decodeURIComponent(call.match[1]!));
      sendEmpty(call.response, 204, call.requestId);
    },
  },
  {
    method: 'GET',
    pattern: /^\/2020-04-22\/code-signing-configs\/([^/]+)\/functions\/?$/,
    async handle(call) {
      const arn = decodeURIComponent(call.match[1]!);
      configOf(call, arn);
      const { engine } = call.context;
      const arns = engine
        .functions()
        .filter((fn) => fn.codeSigningConfigArn === arn)
        .map((fn) => functionArn(engine.account.region, engine.account.accountId, fn.name));
      const { items, nextMarker } = page(arns, call.url);
      sendJson(call.response, 200, call.requestId, { FunctionArns: items, NextMarker: nextMarker });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2020-06-30\/functions\/([^/]+)\/code-signing-config\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      sendJson(call.response, 200, call.requestId, { CodeSigningConfigArn: fn.codeSigningConfigArn ?? '', FunctionName: fn.name });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2020-04-22\/code-signing-configs\/?$/,
    async handle(call) {
      const configs = call.context.engine.workspace.codeSigningConfigs.map(describe);
      sendJson(call.response, 200, call.requestId, { CodeSigningConfigs: configs, NextMarker: null });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2020-04-22\/code-signing-configs\/([^/]+)\/?$/,
    async handle(call) {
      sendJson(call.response, 200, call.requestId, { CodeSigningConfig: describe(configOf(call, decodeURIComponent(call.match[1]!))) });
    },
  },
];

function configOf(call: RouteCall, arn: string): CodeSigningConfig {
  const config = call.context.engine.workspace.codeSigningConfigs.find((candidate) => candidate.arn === arn);
  if (!config) {
    throw new LambdaApiError(
      404,
      'ResourceNotFoundException',
      `The resource you requested does not exist. Code signing configuration ${arn} is not in the template.`,
    );
  }
  return config;
}

/** Reads the body of CreateCodeSigningConfig (all required) or UpdateCodeSigningConfig (all optional). */
function codeSigningSpec(body: Record<string, unknown>, create: boolean): Partial<CodeSigningConfigSpec> {
  const publishers = (body.AllowedPublishers as { SigningProfileVersionArns?: unknown } | undefined)?.SigningProfileVersionArns;
  if (publishers === undefined && create) throw validationError(null, 'allowedPublishers', 'Member must not be null');
  if (publishers !== undefined && (!Array.isArray(publishers) || publishers.some((arn) => typeof arn !== 'string'))) {
    throw validationError(publishers, 'allowedPublishers.signingProfileVersionArns', 'Member must be a list of strings');
  }
  const policy = (body.CodeSigningPolicies as { UntrustedArtifactOnDeployment?: unknown } | undefined)?.UntrustedArtifactOnDeployment;
  if (policy !== undefined && policy !== 'Warn' && policy !== 'Enforce') {
    throw validationError(
      policy,
      'codeSigningPolicies.untrustedArtifactOnDeployment',
      'Member must satisfy enum value set: [Warn, Enforce]',
    );
  }
  const description = optionalString(body, 'Description', 'description', 256);
  return {
    ...(publishers !== undefined ? { allowedProfileVersionArns: publishers as string[] } : {}),
    ...(policy !== undefined ? { policy: policy as 'Warn' | 'Enforce' } : create ? { policy: 'Warn' as const } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

function describe(config: CodeSigningConfig): Record<string, unknown> {
  return {
    CodeSigningConfigId: config.arn.split(':').pop(),
    CodeSigningConfigArn: config.arn,
    Description: config.description,
    AllowedPublishers: { SigningProfileVersionArns: config.allowedProfileVersionArns },
    CodeSigningPolicies: { UntrustedArtifactOnDeployment: config.policy },
  };
}
