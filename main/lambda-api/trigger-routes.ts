import { functionArn } from '../core/lambda-format.js';
import type { QueueMapping } from '../core/triggers/trigger-config.js';
import type { LambdaEngine } from '../engine/engine.js';
import { functionOf, readJsonBody, sendEmpty, sendJson, type Route, type RouteCall } from './context.js';
import { LambdaApiError } from './errors.js';
import { optionalInteger, optionalString, page, validationError } from './validation.js';

/**
 * Event source mappings (SQS), function URL configurations and resource-based policy statements.
 * Mappings and URLs are written into template.yaml as SAM writes them (an SQS event, a
 * FunctionUrlConfig); policy statements are kept by the workbench, as Lambda keeps them.
 */
export const triggerRoutes: Route[] = [
  // ---- event source mappings ----
  {
    method: 'POST',
    pattern: /^\/2015-03-31\/event-source-mappings\/?$/,
    async handle(call) {
      const body = await readJsonBody(call.request);
      const { engine } = call.context;
      const sourceArn = optionalString(body, 'EventSourceArn', 'eventSourceArn', 1024);
      const functionName = optionalString(body, 'FunctionName', 'functionName', 140);
      if (!sourceArn) throw validationError(null, 'eventSourceArn', 'Member must not be null');
      if (!functionName) throw validationError(null, 'functionName', 'Member must not be null');
      if (!sourceArn.startsWith('arn:aws:sqs:')) {
        throw new LambdaApiError(
          400,
          'InvalidParameterValueException',
          `${sourceArn} is not an SQS queue ARN; the workbench maps SQS queues only.`,
        );
      }
      const fn = engine.resolveTarget(functionName.split(':').length > 6 ? functionName.split(':')[6]! : functionName).config;
      // Lambda checks that the queue exists; here it must be a queue of the template.
      if (!engine.workspace.triggers.queues.some((queue) => queue.arn === sourceArn)) {
        throw new LambdaApiError(
          400,
          'InvalidParameterValueException',
          `Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. The queue ${sourceArn} is not in the template; add an AWS::SQS::Queue first.`,
        );
      }
      const duplicate = engine.workspace.triggers.queueMappings.find(
        (mapping) => mapping.functionName === fn.name && mapping.queueArn === sourceArn,
      );
      if (duplicate) {
        throw new LambdaApiError(
          409,
          'ResourceConflictException',
          `An event source mapping with SQS arn (" ${sourceArn} ") and function (" ${fn.name} ") already exists. Please update or delete the existing mapping with UUID ${duplicate.uuid}`,
        );
      }
      const properties = mappingProperties(body);
      engine.wiring.addEvent(fn.name, { Type: 'SQS', Properties: { Queue: engine.wiring.referenceTo(sourceArn), ...properties } });
      const created = engine.workspace.triggers.queueMappings.find(
        (mapping) => mapping.functionName === fn.name && mapping.queueArn === sourceArn,
      );
      if (!created) throw new LambdaApiError(500, 'ServiceException', 'The mapping was written to the template but did not load.');
      sendJson(call.response, 202, call.requestId, describeMapping(engine, created, 'Creating'));
    },
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/event-source-mappings\/?$/,
    async handle(call) {
      const { engine } = call.context;
      const functionFilter = call.url.searchParams.get('FunctionName');
      const sourceFilter = call.url.searchParams.get('EventSourceArn');
      const name = functionFilter ? (functionFilter.split(':').length > 6 ? functionFilter.split(':')[6]! : functionFilter) : undefined;
      const mappings = engine.workspace.triggers.queueMappings
        .filter(
          (mapping) =>
            (!name || mapping.functionName === name || engine.findFunction(name)?.name === mapping.functionName) &&
            (!sourceFilter || mapping.queueArn === sourceFilter),
        )
        .map((mapping) => describeMapping(engine, mapping));
      const { items, nextMarker } = page(mappings, call.url);
      sendJson(call.response, 200, call.requestId, { EventSourceMappings: items, NextMarker: nextMarker });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/,
    async handle(call) {
      const { engine } = call.context;
      sendJson(call.response, 200, call.requestId, describeMapping(engine, engine.wiring.mapping(decodeURIComponent(call.match[1]!))));
    },
  },
  {
    method: 'PUT',
    pattern: /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/,
    async handle(call) {
      const { engine } = call.context;
      const mapping = engine.wiring.mapping(decodeURIComponent(call.match[1]!));
      const body = await readJsonBody(call.request);
      engine.wiring.updateEventProperties(mapping.source, mappingProperties(body));
      const updated =
        engine.workspace.triggers.queueMappings.find(
          (candidate) => candidate.functionName === mapping.functionName && candidate.queueArn === mapping.queueArn,
        ) ?? mapping;
      sendJson(call.response, 202, call.requestId, describeMapping(engine, updated, 'Updating'));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/,
    async handle(call) {
      const { engine } = call.context;
      const mapping = engine.wiring.mapping(decodeURIComponent(call.match[1]!));
      engine.wiring.removeTrigger(mapping.source);
      sendJson(call.response, 202, call.requestId, describeMapping(engine, mapping, 'Deleting'));
    },
  },

  // ---- function URLs ----
  {
    method: 'POST',
    pattern: /^\/2021-10-31\/functions\/([^/]+)\/url\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const { engine } = call.context;
      if (engine.workspace.triggers.urls.some((url) => url.functionName === fn.name)) {
        throw new LambdaApiError(
          409,
          'ResourceConflictException',
          `Failed to create function url config for [functionArn = ${functionArn(engine.account.region, engine.account.accountId, fn.name)}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
        );
      }
      const body = await readJsonBody(call.request);
      engine.wiring.setFunctionUrl(fn.name, urlProperties(body, undefined));
      sendJson(call.response, 201, call.requestId, await describeUrl(call, fn.name));
    },
  },
  {
    method: 'PUT',
    pattern: /^\/2021-10-31\/functions\/([^/]+)\/url\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const current = call.context.engine.workspace.triggers.urls.find((url) => url.functionName === fn.name);
      if (!current) throw new LambdaApiError(404, 'ResourceNotFoundException', 'The resource you requested does not exist.');
      const body = await readJsonBody(call.request);
      call.context.engine.wiring.setFunctionUrl(fn.name, urlProperties(body, fn.properties.FunctionUrlConfig as Record<string, unknown>));
      sendJson(call.response, 200, call.requestId, await describeUrl(call, fn.name));
    },
  },
  {
    method: 'GET',
    pattern: /^\/2021-10-31\/functions\/([^/]+)\/url\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      sendJson(call.response, 200, call.requestId, await describeUrl(call, fn.name));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2021-10-31\/functions\/([^/]+)\/url\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      if (!call.context.engine.workspace.triggers.urls.some((url) => url.functionName === fn.name)) {
        throw new LambdaApiError(404, 'ResourceNotFoundException', 'The resource you requested does not exist.');
      }
      call.context.engine.wiring.setFunctionUrl(fn.name, undefined);
      sendEmpty(call.response, 204, call.requestId);
    },
  },
  {
    method: 'GET',
    pattern: /^\/2021-10-31\/functions\/([^/]+)\/urls\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const exists = call.context.engine.workspace.triggers.urls.some((url) => url.functionName === fn.name);
      sendJson(call.response, 200, call.requestId, {
        FunctionUrlConfigs: exists ? [await describeUrl(call, fn.name)] : [],
        NextMarker: null,
      });
    },
  },

  // ---- resource-based policy ----
  {
    method: 'POST',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/policy\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const body = await readJsonBody(call.request);
      const statementId = optionalString(body, 'StatementId', 'statementId', 100);
      const action = optionalString(body, 'Action', 'action', 256);
      const principal = optionalString(body, 'Principal', 'principal', 256);
      if (!statementId) throw validationError(null, 'statementId', 'Member must not be null');
      if (!/^[a-zA-Z0-9-_]+$/.test(statementId))
        throw validationError(statementId, 'statementId', 'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)');
      if (!action) throw validationError(null, 'action', 'Member must not be null');
      if (!principal) throw validationError(null, 'principal', 'Member must not be null');
      const { engine } = call.context;
      const statement = policyStatement(engine, fn.name, statementId, action, principal, body);
      if (!engine.controlPlane.addPermission(fn.name, statementId, statement)) {
        throw new LambdaApiError(
          409,
          'ResourceConflictException',
          `The statement id (${statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
        );
      }
      sendJson(call.response, 201, call.requestId, { Statement: JSON.stringify(statement) });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/policy\/([^/]+)\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const statementId = decodeURIComponent(call.match[2]!);
      if (!call.context.engine.controlPlane.removePermission(fn.name, statementId)) {
        throw new LambdaApiError(404, 'ResourceNotFoundException', `Statement ${statementId} is not found in resource policy.`);
      }
      sendEmpty(call.response, 204, call.requestId);
    },
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/policy\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const statements = call.context.engine.controlPlane.permissions(fn.name);
      if (statements.length === 0) throw new LambdaApiError(404, 'ResourceNotFoundException', 'The resource you requested does not exist.');
      const policy = { Version: '2012-10-17', Id: 'default', Statement: statements.map((entry) => entry.statement) };
      const revision = statements.map((entry) => entry.statementId).join('/');
      sendJson(call.response, 200, call.requestId, { Policy: JSON.stringify(policy), RevisionId: revisionOf(revision) });
    },
  },
];

function mappingProperties(body: Record<string, unknown>): Record<string, unknown> {
  const batchSize = optionalInteger(body, 'BatchSize', 'batchSize', 1, 10_000);
  const window = optionalInteger(body, 'MaximumBatchingWindowInSeconds', 'maximumBatchingWindowInSeconds', 0, 300);
  if (batchSize !== undefined && batchSize > 10 && !(window && window > 0)) {
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    );
  }
  const types = body.FunctionResponseTypes;
  if (types !== undefined && (!Array.isArray(types) || types.some((type) => type !== 'ReportBatchItemFailures'))) {
    throw validationError(types, 'functionResponseTypes', 'Member must satisfy enum value set: [ReportBatchItemFailures]');
  }
  const scaling = (body.ScalingConfig as { MaximumConcurrency?: unknown } | undefined)?.MaximumConcurrency;
  if (scaling !== undefined && (typeof scaling !== 'number' || !Number.isInteger(scaling) || scaling < 2 || scaling > 1000)) {
    throw validationError(scaling, 'scalingConfig.maximumConcurrency', 'Member must have value between 2 and 1000');
  }
  return {
    ...(batchSize !== undefined ? { BatchSize: batchSize } : {}),
    ...(window !== undefined ? { MaximumBatchingWindowInSeconds: window } : {}),
    ...(typeof body.Enabled === 'boolean' ? { Enabled: body.Enabled } : {}),
    ...(types !== undefined ? { FunctionResponseTypes: types } : {}),
    ...(scaling !== undefined ? { ScalingConfig: { MaximumConcurrency: scaling } } : {}),
    ...(body.FilterCriteria !== undefined ? { FilterCriteria: body.FilterCriteria } : {}),
  };
}

function describeMapping(engine: LambdaEngine, mapping: QueueMapping, state?: string): Record<string, unknown> {
  const { region, accountId } = engine.account;
  return {
    UUID: mapping.uuid,
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowSeconds,
    EventSourceArn: mapping.queueArn,
    FunctionArn: functionArn(region, accountId, mapping.functionName),
    LastModified: engine.functionModifiedMs(mapping.functionName) / 1000,
    State: state ?? (mapping.enabled ? 'Enabled' : 'Disabled'),
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: mapping.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    ...(mapping.maximumConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: mapping.maximumConcurrency } } : {}),
    ...(mapping.filters.length > 0
      ? { FilterCriteria: { Filters: mapping.filters.map((filter) => ({ Pattern: JSON.stringify(filter) })) } }
      : {}),
    EventSourceMappingArn: `arn:aws:lambda:${region}:${accountId}:event-source-mapping:${mapping.uuid}`,
  };
}

function urlProperties(body: Record<string, unknown>, current: Record<string, unknown> | undefined): Record<string, unknown> {
  const authType = body.AuthType ?? current?.AuthType;
  if (authType !== 'NONE' && authType !== 'AWS_IAM')
    throw validationError(authType ?? null, 'authType', 'Member must satisfy enum value set: [NONE, AWS_IAM]');
  const invokeMode = body.InvokeMode ?? current?.InvokeMode;
  if (invokeMode !== undefined && invokeMode !== 'BUFFERED' && invokeMode !== 'RESPONSE_STREAM') {
    throw validationError(invokeMode, 'invokeMode', 'Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]');
  }
  const cors = body.Cors ?? current?.Cors;
  return { AuthType: authType, ...(cors ? { Cors: cors } : {}), ...(invokeMode ? { InvokeMode: invokeMode } : {}) };
}

/** Waits for the URL's server (started when the template reloads) so the answer carries its address. */
async function describeUrl(call: RouteCall, functionName: string): Promise<Record<string, unknown>> {
  const { engine, sources } = call.context;
  const config = engine.workspace.triggers.urls.find((url) => url.functionName === functionName);
  if (!config) throw new LambdaApiError(404, 'ResourceNotFoundException', 'The resource you requested does not exist.');
  let url: string | undefined;
  for (let attempt = 0; attempt < 40 && !url; attempt += 1) {
    url = sources?.endpoints().find((endpoint) => endpoint.kind === 'url' && endpoint.name === functionName)?.url;
    if (!url) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cors = config.cors;
  const time = new Date(engine.functionModifiedMs(functionName)).toISOString();
  return {
    FunctionUrl: url ?? '',
    FunctionArn: functionArn(engine.account.region, engine.account.accountId, functionName),
    AuthType: config.authType,
    ...(cors
      ? {
          Cors: {
            AllowOrigins: cors.allowOrigins,
            AllowMethods: cors.allowMethods,
            AllowHeaders: cors.allowHeaders,
            ExposeHeaders: cors.exposeHeaders,
            ...(cors.maxAge !== undefined ? { MaxAge: cors.maxAge } : {}),
            AllowCredentials: cors.allowCredentials,
          },
        }
      : {}),
    CreationTime: time,
    LastModifiedTime: time,
    InvokeMode: config.invokeMode,
  };
}

function policyStatement(
  engine: LambdaEngine,
  functionName: string,
  statementId: string,
  action: string,
  principal: string,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const condition: Record<string, Record<string, string>> = {};
  if (typeof body.SourceArn === 'string') condition.ArnLike = { 'AWS:SourceArn': body.SourceArn };
  if (typeof body.SourceAccount === 'string')
    condition.StringEquals = { ...condition.StringEquals, 'AWS:SourceAccount': body.SourceAccount };
  if (typeof body.FunctionUrlAuthType === 'string')
    condition.StringEquals = { ...condition.StringEquals, 'lambda:FunctionUrlAuthType': body.FunctionUrlAuthType };
  const principalValue = principal.endsWith('.amazonaws.com')
    ? { Service: principal }
    : principal === '*'
      ? '*'
      : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal };
  return {
    Sid: statementId,
    Effect: 'Allow',
    Principal: principalValue,
    Action: action,
    Resource: functionArn(engine.account.region, engine.account.accountId, functionName),
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

function revisionOf(text: string): string {
  let hash = 0;
  for (const character of text) hash = (Math.imul(hash, 31) + character.charCodeAt(0)) >>> 0;
  const hex = hash.toString(16).padStart(8, '0').repeat(4);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
