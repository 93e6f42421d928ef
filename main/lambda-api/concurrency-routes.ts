import { functionArn } from '../core/lambda-format.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import { codeDigest } from '../engine/code-digest.js';
import { functionOf, readJsonBody, sendEmpty, sendJson, type Route, type RouteCall } from './context.js';
import { LambdaApiError } from './errors.js';
import { requireInteger } from './validation.js';

function setReserved(call: RouteCall, fn: FunctionConfig, value: number | undefined): void {
  call.context.logger.info(
    value === undefined ? `${fn.name}: reserved concurrency removed` : `${fn.name}: reserved concurrency set to ${value}`,
  );
  // The template is where SAM keeps ReservedConcurrentExecutions, so the change goes there.
  call.context.engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['ReservedConcurrentExecutions'], value }]);
  call.context.engine.tracker.setReserved(fn.name, value);
}

/** The qualifier of a provisioned concurrency call: a published version or an alias, never $LATEST. */
function provisionedQualifier(call: RouteCall, fn: FunctionConfig): string {
  const qualifier = call.url.searchParams.get('Qualifier');
  if (!qualifier)
    throw new LambdaApiError(400, 'InvalidParameterValueException', 'Qualifier is required: give a published version or an alias.');
  const unpublished = new LambdaApiError(
    400,
    'InvalidParameterValueException',
    'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
  );
  if (qualifier === '$LATEST') throw unpublished;
  // Throws ResourceNotFoundException for an unknown version or alias.
  call.context.engine.resolveTarget(fn.name, qualifier);
  if (call.context.engine.controlPlane.alias(fn.name, qualifier)?.functionVersion === '$LATEST') throw unpublished;
  return qualifier;
}

async function provisionedDocument(call: RouteCall, fn: FunctionConfig, qualifier: string, requested: number, lastModifiedMs: number) {
  const status = await call.context.engine.provisionedStatus(fn.name, qualifier);
  const { account } = call.context.engine;
  return {
    FunctionArn: functionArn(account.region, account.accountId, fn.name, qualifier),
    RequestedProvisionedConcurrentExecutions: requested,
    AvailableProvisionedConcurrentExecutions: status.available,
    AllocatedProvisionedConcurrentExecutions: status.allocated,
    Status: status.status,
    ...(status.reason ? { StatusReason: status.reason } : {}),
    LastModified: new Date(lastModifiedMs).toISOString().replace('Z', '+0000'),
  };
}

/** Returns the requested provisioned concurrency of a qualifier, from the template (AutoPublishAlias) or the API. */
function requestedFor(call: RouteCall, fn: FunctionConfig, qualifier: string): { requested: number; lastModifiedMs: number } | undefined {
  return call.context.engine.provisionedConfigs(fn.name).find((entry) => entry.qualifier === qualifier);
}

/** Reserved and provisioned concurrency, and the account's settings. */
export const concurrencyRoutes: Route[] = [
  {
    method: 'PUT',
    pattern: /^\/2017-10-31\/functions\/([^/]+)\/concurrency\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const body = await readJsonBody(call.request);
      const value = requireInteger(body, 'ReservedConcurrentExecutions', 'reservedConcurrentExecutions', 0, 100_000);
      const problem = call.context.engine.checkReservation(fn.name, value);
      if (problem) throw new LambdaApiError(400, 'InvalidParameterValueException', problem);
      setReserved(call, fn, value);
      sendJson(call.response, 200, call.requestId, { ReservedConcurrentExecutions: value });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2019-09-30\/functions\/([^/]+)\/concurrency\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const reserved = call.context.engine.tracker.reservedFor(fn.name);
      sendJson(call.response, 200, call.requestId, reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2017-10-31\/functions\/([^/]+)\/concurrency\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      setReserved(call, fn, undefined);
      sendEmpty(call.response, 204, call.requestId);
    },
  },
  {
    method: 'PUT',
    pattern: /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const qualifier = provisionedQualifier(call, fn);
      const body = await readJsonBody(call.request);
      const requested = requireInteger(body, 'ProvisionedConcurrentExecutions', 'provisionedConcurrentExecutions', 1, 100_000);
      const { engine } = call.context;
      const problem = engine.checkProvisioned(fn.name, qualifier, requested);
      if (problem) throw new LambdaApiError(400, 'InvalidParameterValueException', problem);
      const now = Date.now();
      if (qualifier === fn.autoPublishAlias) {
        engine.workspaceService.edit([
          { logicalId: fn.logicalId, path: ['ProvisionedConcurrencyConfig', 'ProvisionedConcurrentExecutions'], value: requested },
        ]);
      }
      engine.controlPlane.putProvisioned({ functionName: fn.name, qualifier, requested, lastModifiedMs: now });
      call.context.logger.info(`${fn.name}:${qualifier}: provisioning ${requested} environment(s)`);
      void engine
        .provision(fn.name, qualifier, requested)
        .catch((error) => call.context.logger.error({ err: error, function: fn.name }, 'Provisioning failed'));
      const document = await provisionedDocument(call, fn, qualifier, requested, now);
      sendJson(call.response, 202, call.requestId, { ...document, FunctionArn: undefined });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const { engine } = call.context;
      if (call.url.searchParams.get('List') === 'ALL') {
        const configs = await Promise.all(
          engine
            .provisionedConfigs(fn.name)
            .map((entry) => provisionedDocument(call, fn, entry.qualifier, entry.requested, entry.lastModifiedMs)),
        );
        sendJson(call.response, 200, call.requestId, { ProvisionedConcurrencyConfigs: configs });
        return;
      }
      const qualifier = provisionedQualifier(call, fn);
      const entry = requestedFor(call, fn, qualifier);
      if (!entry)
        throw new LambdaApiError(
          404,
          'ProvisionedConcurrencyConfigNotFoundException',
          'No Provisioned Concurrency Config found for this function',
        );
      const { FunctionArn: _arn, ...document } = await provisionedDocument(call, fn, qualifier, entry.requested, entry.lastModifiedMs);
      sendJson(call.response, 200, call.requestId, document);
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const qualifier = provisionedQualifier(call, fn);
      const { engine } = call.context;
      if (qualifier === fn.autoPublishAlias && fn.provisionedConcurrency !== undefined) {
        engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['ProvisionedConcurrencyConfig'], value: undefined }]);
      }
      engine.controlPlane.deleteProvisioned(fn.name, qualifier);
      await engine.provision(fn.name, qualifier, 0);
      sendEmpty(call.response, 204, call.requestId);
    },
  },
  {
    method: 'GET',
    pattern: /^\/2016-08-19\/account-settings\/?$/,
    async handle(call) {
      const { engine } = call.context;
      const functions = engine.functions();
      const sizes = await Promise.all(functions.map(async (fn) => (await codeDigest(fn)).size));
      const totalCodeSize = sizes.reduce((sum, size) => sum + size, 0);
      sendJson(call.response, 200, call.requestId, {
        AccountLimit: {
          TotalCodeSize: 80_530_636_800,
          CodeSizeUnzipped: 262_144_000,
          CodeSizeZipped: 52_428_800,
          ConcurrentExecutions: engine.tracker.settings.limit,
          UnreservedConcurrentExecutions: engine.unreservedAvailable(),
        },
        AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
      });
    },
  },
];
