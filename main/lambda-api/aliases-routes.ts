import { checkAliasName } from '../core/template/function-rules.js';
import { functionArn } from '../core/lambda-format.js';
import type { AliasRecord } from '../store/control-plane-store.js';
import { functionOf, readJsonBody, sendEmpty, sendJson, type Route, type RouteCall } from './context.js';
import { LambdaApiError } from './errors.js';
import { optionalString, page, validationError } from './validation.js';

function aliasConfiguration(call: RouteCall, alias: AliasRecord): Record<string, unknown> {
  const { account } = call.context.engine;
  return {
    AliasArn: functionArn(account.region, account.accountId, alias.functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(alias.additionalVersionWeights ? { RoutingConfig: { AdditionalVersionWeights: alias.additionalVersionWeights } } : {}),
    RevisionId: alias.revisionId,
  };
}

function aliasNotFound(call: RouteCall, functionName: string, name: string): LambdaApiError {
  const { account } = call.context.engine;
  return new LambdaApiError(
    404,
    'ResourceNotFoundException',
    `Cannot find alias arn: ${functionArn(account.region, account.accountId, functionName, name)}`,
  );
}

/** Checks that a version exists (or is $LATEST) and returns it. */
function existingVersion(call: RouteCall, functionName: string, version: unknown): string {
  if (typeof version !== 'string' || !/^(\$LATEST|\d+)$/.test(version)) {
    throw validationError(version, 'functionVersion', 'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)');
  }
  const { engine } = call.context;
  if (version !== '$LATEST' && !engine.controlPlane.version(functionName, Number(version))) {
    throw new LambdaApiError(
      404,
      'ResourceNotFoundException',
      `Function not found: ${functionArn(engine.account.region, engine.account.accountId, functionName, version)}`,
    );
  }
  return version;
}

/** RoutingConfig: one additional published version with a weight from 0 to 1, as Lambda allows. */
function routingOf(call: RouteCall, functionName: string, primary: string, routing: unknown): Record<string, number> | undefined {
  if (routing === undefined || routing === null) return undefined;
  const weights = (routing as { AdditionalVersionWeights?: unknown }).AdditionalVersionWeights;
  if (weights === undefined || weights === null) return undefined;
  if (typeof weights !== 'object' || Array.isArray(weights))
    throw validationError(weights, 'routingConfig.additionalVersionWeights', 'Member must be a map');
  const entries = Object.entries(weights as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  if (entries.length > 1)
    throw new LambdaApiError(400, 'InvalidParameterValueException', 'Number of items in AdditionalVersionWeights cannot be greater than 1');
  const [version, weight] = entries[0]!;
  if (typeof weight !== 'number' || weight < 0 || weight > 1) {
    throw validationError(weight, `routingConfig.additionalVersionWeights.${version}`, 'Member must have value between 0.0 and 1.0');
  }
  existingVersion(call, functionName, version);
  if (primary === '$LATEST' || version === '$LATEST') {
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      '$LATEST is not supported for an alias pointing to more than 1 version',
    );
  }
  if (version === primary)
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`,
    );
  return { [version]: weight };
}

/** Create, get, update, delete and list aliases. */
export const aliasRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const body = await readJsonBody(call.request);
      const nameProblem = checkAliasName(body.Name);
      if (nameProblem)
        throw validationError(body.Name, 'name', 'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)');
      const name = body.Name as string;
      const { engine } = call.context;
      if (engine.controlPlane.alias(fn.name, name)) {
        throw new LambdaApiError(
          409,
          'ResourceConflictException',
          `Alias already exists: ${functionArn(engine.account.region, engine.account.accountId, fn.name, name)}`,
        );
      }
      const functionVersion = existingVersion(call, fn.name, body.FunctionVersion);
      const weights = routingOf(call, fn.name, functionVersion, body.RoutingConfig);
      const alias = engine.controlPlane.putAlias({
        functionName: fn.name,
        name,
        functionVersion,
        description: optionalString(body, 'Description', 'description') ?? '',
        ...(weights ? { additionalVersionWeights: weights } : {}),
      });
      call.context.logger.info(`${fn.name}: alias ${name} created for version ${functionVersion}`);
      sendJson(call.response, 201, call.requestId, aliasConfiguration(call, alias));
    },
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const versionFilter = call.url.searchParams.get('FunctionVersion');
      const aliases = call.context.engine.controlPlane
        .aliases(fn.name)
        .filter((alias) => versionFilter === null || alias.functionVersion === versionFilter)
        .map((alias) => aliasConfiguration(call, alias));
      const { items, nextMarker } = page(aliases, call.url);
      sendJson(call.response, 200, call.requestId, { Aliases: items, NextMarker: nextMarker });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const name = decodeURIComponent(call.match[2]!);
      const alias = call.context.engine.controlPlane.alias(fn.name, name);
      if (!alias) throw aliasNotFound(call, fn.name, name);
      sendJson(call.response, 200, call.requestId, aliasConfiguration(call, alias));
    },
  },
  {
    method: 'PUT',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const name = decodeURIComponent(call.match[2]!);
      const { engine } = call.context;
      const existing = engine.controlPlane.alias(fn.name, name);
      if (!existing) throw aliasNotFound(call, fn.name, name);
      const body = await readJsonBody(call.request);
      if (body.RevisionId !== undefined && body.RevisionId !== existing.revisionId) {
        throw new LambdaApiError(
          412,
          'PreconditionFailedException',
          'The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id',
        );
      }
      const functionVersion =
        body.FunctionVersion === undefined ? existing.functionVersion : existingVersion(call, fn.name, body.FunctionVersion);
      const weights =
        body.RoutingConfig === undefined
          ? existing.additionalVersionWeights
          : routingOf(call, fn.name, functionVersion, body.RoutingConfig);
      const alias = engine.controlPlane.putAlias({
        functionName: fn.name,
        name,
        functionVersion,
        description: optionalString(body, 'Description', 'description') ?? existing.description,
        ...(weights ? { additionalVersionWeights: weights } : {}),
      });
      const provisioned = engine.controlPlane.provisioned(fn.name).find((entry) => entry.qualifier === name);
      if (provisioned)
        void engine
          .provision(fn.name, name, provisioned.requested)
          .catch((error) => call.context.logger.error({ err: error }, 'Re-provisioning after an alias update failed'));
      sendJson(call.response, 200, call.requestId, aliasConfiguration(call, alias));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      call.context.engine.controlPlane.deleteAlias(fn.name, decodeURIComponent(call.match[2]!));
      sendEmpty(call.response, 204, call.requestId);
    },
  },
];
