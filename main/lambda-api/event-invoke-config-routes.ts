import { destinationTarget } from '../core/arn.js';
import { functionArn } from '../core/lambda-format.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { EventInvokeConfig } from '../store/control-plane-store.js';
import { functionOf, readJsonBody, sendEmpty, sendJson, type Route, type RouteCall } from './context.js';
import { LambdaApiError } from './errors.js';
import { optionalInteger, validationError } from './validation.js';

const SAM_TYPES: Record<string, string> = { sqs: 'SQS', sns: 'SNS', eventbridge: 'EventBridge', lambda: 'Lambda' };

function readConfig(body: Record<string, unknown>): EventInvokeConfig {
  const config: EventInvokeConfig = {};
  const retries = optionalInteger(body, 'MaximumRetryAttempts', 'maximumRetryAttempts', 0, 2);
  if (retries !== undefined) config.MaximumRetryAttempts = retries;
  const age = optionalInteger(body, 'MaximumEventAgeInSeconds', 'maximumEventAgeInSeconds', 60, 21_600);
  if (age !== undefined) config.MaximumEventAgeInSeconds = age;
  const destinations = body.DestinationConfig as Record<string, { Destination?: unknown } | undefined> | undefined;
  if (destinations !== undefined) {
    config.DestinationConfig = {};
    for (const condition of ['OnSuccess', 'OnFailure'] as const) {
      const destination = destinations?.[condition]?.Destination;
      if (destination === undefined) continue;
      if (typeof destination !== 'string' || !destinationTarget(destination)) {
        throw new LambdaApiError(
          400,
          'InvalidParameterValueException',
          `The destination ARN ${String(destination)} is invalid; use an SQS queue, SNS topic, EventBridge bus or Lambda function ARN.`,
        );
      }
      config.DestinationConfig[condition] = { Destination: destination };
    }
  }
  return config;
}

/** Returns the configuration in force for a qualifier: the API's, else the template's for $LATEST. */
function currentConfig(
  call: RouteCall,
  fn: FunctionConfig,
  qualifier: string,
): { config: EventInvokeConfig; lastModifiedMs: number } | undefined {
  const stored = call.context.engine.controlPlane.eventInvokeConfig(fn.name, qualifier);
  if (stored) return { config: stored.config, lastModifiedMs: stored.lastModifiedMs };
  if (qualifier !== '$LATEST' || !fn.eventInvoke) return undefined;
  const template = fn.eventInvoke;
  return {
    config: {
      ...(template.maximumRetryAttempts !== undefined ? { MaximumRetryAttempts: template.maximumRetryAttempts } : {}),
      ...(template.maximumEventAgeSeconds !== undefined ? { MaximumEventAgeInSeconds: template.maximumEventAgeSeconds } : {}),
      DestinationConfig: {
        ...(template.onSuccess ? { OnSuccess: { Destination: template.onSuccess } } : {}),
        ...(template.onFailure ? { OnFailure: { Destination: template.onFailure } } : {}),
      },
    },
    lastModifiedMs: call.context.engine.templateModifiedMs(),
  };
}

function document(
  call: RouteCall,
  fn: FunctionConfig,
  qualifier: string,
  config: EventInvokeConfig,
  lastModifiedMs: number,
): Record<string, unknown> {
  const { account } = call.context.engine;
  return {
    LastModified: lastModifiedMs / 1000,
    FunctionArn: functionArn(account.region, account.accountId, fn.name, qualifier),
    ...config,
    DestinationConfig: { OnSuccess: config.DestinationConfig?.OnSuccess ?? {}, OnFailure: config.DestinationConfig?.OnFailure ?? {} },
  };
}

/** Writes an unqualified configuration into the template as SAM's EventInvokeConfig. */
function writeToTemplate(call: RouteCall, fn: FunctionConfig, config: EventInvokeConfig | undefined): void {
  let value: Record<string, unknown> | undefined;
  if (config) {
    const destinations: Record<string, unknown> = {};
    for (const condition of ['OnSuccess', 'OnFailure'] as const) {
      const arn = config.DestinationConfig?.[condition]?.Destination;
      if (arn) destinations[condition] = { Type: SAM_TYPES[destinationTarget(arn)!.kind], Destination: arn };
    }
    value = {
      ...(config.MaximumRetryAttempts !== undefined ? { MaximumRetryAttempts: config.MaximumRetryAttempts } : {}),
      ...(config.MaximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: config.MaximumEventAgeInSeconds } : {}),
      ...(Object.keys(destinations).length > 0 ? { DestinationConfig: destinations } : {}),
    };
  }
  call.context.engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['EventInvokeConfig'], value }]);
}

function qualifierOf(call: RouteCall, fn: FunctionConfig, derived: string | undefined): string {
  const qualifier = derived ?? '$LATEST';
  call.context.engine.resolveTarget(fn.name, qualifier);
  return qualifier;
}

async function putOrUpdate(call: RouteCall, merge: boolean): Promise<void> {
  const { reference, fn } = functionOf(call);
  const qualifier = qualifierOf(call, fn, reference.qualifier);
  const body = await readJsonBody(call.request);
  if (Object.keys(body).length === 0)
    throw validationError(
      null,
      'eventInvokeConfig',
      'give at least one of MaximumRetryAttempts, MaximumEventAgeInSeconds or DestinationConfig',
    );
  const incoming = readConfig(body);
  const previous = merge ? currentConfig(call, fn, qualifier)?.config : undefined;
  if (merge && !previous)
    throw new LambdaApiError(404, 'ResourceNotFoundException', `The function ${fn.name} doesn't have an EventInvokeConfig`);
  const config: EventInvokeConfig = {
    ...previous,
    ...incoming,
    ...(incoming.DestinationConfig || previous?.DestinationConfig
      ? { DestinationConfig: { ...previous?.DestinationConfig, ...incoming.DestinationConfig } }
      : {}),
  };
  const now = Date.now();
  if (qualifier === '$LATEST') writeToTemplate(call, fn, config);
  else call.context.engine.controlPlane.putEventInvokeConfig({ functionName: fn.name, qualifier, config, lastModifiedMs: now });
  sendJson(call.response, 200, call.requestId, document(call, fn, qualifier, config, now));
}

/** Put, update, get, delete and list function event invoke configurations. */
export const eventInvokeConfigRoutes: Route[] = [
  { method: 'PUT', pattern: /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?$/, handle: (call) => putOrUpdate(call, false) },
  { method: 'POST', pattern: /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?$/, handle: (call) => putOrUpdate(call, true) },
  {
    method: 'GET',
    pattern: /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/list\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const qualifiers = [
        '$LATEST',
        ...call.context.engine.controlPlane
          .eventInvokeConfigs(fn.name)
          .map((record) => record.qualifier)
          .filter((q) => q !== '$LATEST'),
      ];
      const configs = qualifiers.flatMap((qualifier) => {
        const current = currentConfig(call, fn, qualifier);
        return current ? [document(call, fn, qualifier, current.config, current.lastModifiedMs)] : [];
      });
      sendJson(call.response, 200, call.requestId, { FunctionEventInvokeConfigs: configs, NextMarker: null });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?$/,
    async handle(call) {
      const { reference, fn } = functionOf(call);
      const qualifier = qualifierOf(call, fn, reference.qualifier);
      const current = currentConfig(call, fn, qualifier);
      if (!current) {
        const { account } = call.context.engine;
        throw new LambdaApiError(
          404,
          'ResourceNotFoundException',
          `The function ${functionArn(account.region, account.accountId, fn.name, qualifier)} doesn't have an EventInvokeConfig`,
        );
      }
      sendJson(call.response, 200, call.requestId, document(call, fn, qualifier, current.config, current.lastModifiedMs));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?$/,
    async handle(call) {
      const { reference, fn } = functionOf(call);
      const qualifier = qualifierOf(call, fn, reference.qualifier);
      if (!currentConfig(call, fn, qualifier)) {
        const { account } = call.context.engine;
        throw new LambdaApiError(
          404,
          'ResourceNotFoundException',
          `The function ${functionArn(account.region, account.accountId, fn.name, qualifier)} doesn't have an EventInvokeConfig`,
        );
      }
      if (qualifier === '$LATEST') writeToTemplate(call, fn, undefined);
      else call.context.engine.controlPlane.deleteEventInvokeConfig(fn.name, qualifier);
      sendEmpty(call.response, 204, call.requestId);
    },
  },
];
