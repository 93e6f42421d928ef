import type { CodeSigningConfig } from '../core/template/security-config.js';
import { functionOf, sendJson, type Route } from './context.js';
import { LambdaApiError } from './errors.js';

/**
 * GetFunctionCodeSigningConfig, GetCodeSigningConfig and ListCodeSigningConfigs for the template's
 * AWS::Lambda::CodeSigningConfig resources. They are set in the template, so the operations that
 * change them are not served.
 */
export const codeSigningRoutes: Route[] = [
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
      const arn = decodeURIComponent(call.match[1]!);
      const config = call.context.engine.workspace.codeSigningConfigs.find((candidate) => candidate.arn === arn);
      if (!config)
        throw new LambdaApiError(
          404,
          'ResourceNotFoundException',
          `The resource you requested does not exist. Code signing configuration ${arn} is not in the template.`,
        );
      sendJson(call.response, 200, call.requestId, { CodeSigningConfig: describe(config) });
    },
  },
];

function describe(config: CodeSigningConfig): Record<string, unknown> {
  return {
    CodeSigningConfigId: config.arn.split(':').pop(),
    CodeSigningConfigArn: config.arn,
    Description: config.description,
    AllowedPublishers: { SigningProfileVersionArns: config.allowedProfileVersionArns },
    CodeSigningPolicies: { UntrustedArtifactOnDeployment: config.policy },
  };
}
