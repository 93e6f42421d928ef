import { statSync } from 'node:fs';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { VersionRecord } from '../store/control-plane-store.js';
import { functionOf, sendJson, type LambdaApiContext, type Route, type RouteCall } from './context.js';
import { LambdaApiError } from './errors.js';
import { describeFunction, type VersionFacts } from './function-configuration.js';
import { page } from './validation.js';
import { functionArn } from '../core/lambda-format.js';

export function lastModified(context: LambdaApiContext): Date {
  return statSync(context.engine.workspace.templatePath).mtime;
}

export function versionFacts(record: VersionRecord): VersionFacts {
  return {
    version: String(record.version),
    codeSha256: record.codeSha256,
    codeSize: record.codeSize,
    description: record.description,
    createdMs: record.createdMs,
  };
}

/** The configuration of $LATEST, a version or the version an alias points at. */
export async function configurationFor(
  call: RouteCall,
  fn: FunctionConfig,
  qualifier: string | undefined,
): Promise<Record<string, unknown>> {
  const { engine } = call.context;
  if (qualifier === undefined || qualifier === '$LATEST') return describeFunction(engine, fn, lastModified(call.context));
  const alias = engine.controlPlane.alias(fn.name, qualifier);
  const versionNumber = alias ? alias.functionVersion : qualifier;
  if (versionNumber === '$LATEST') return describeFunction(engine, fn, lastModified(call.context));
  const record = /^\d+$/.test(versionNumber) ? engine.controlPlane.version(fn.name, Number(versionNumber)) : undefined;
  if (!record) {
    throw new LambdaApiError(
      404,
      'ResourceNotFoundException',
      `Function not found: ${functionArn(engine.account.region, engine.account.accountId, fn.name, qualifier)}`,
    );
  }
  return describeFunction(engine, engine.versionConfig(fn.name, record.version)!, lastModified(call.context), versionFacts(record));
}

export const functionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/functions\/?$/,
    async handle(call) {
      const { engine } = call.context;
      const all = [...engine.functions()].sort((a, b) => a.name.localeCompare(b.name));
      const listAll = call.url.searchParams.get('FunctionVersion') === 'ALL';
      const modified = lastModified(call.context);
      const configurations = await Promise.all(
        all.flatMap((fn) => [
          describeFunction(engine, fn, modified),
          ...(listAll
            ? engine.controlPlane
                .versions(fn.name)
                .map((record) => describeFunction(engine, engine.versionConfig(fn.name, record.version)!, modified, versionFacts(record)))
            : []),
        ]),
      );
      const { items, nextMarker } = page(configurations, call.url);
      sendJson(call.response, 200, call.requestId, { Functions: items, NextMarker: nextMarker });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/,
    async handle(call) {
      const { reference, fn } = functionOf(call);
      sendJson(call.response, 200, call.requestId, await configurationFor(call, fn, reference.qualifier));
    },
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/?$/,
    async handle(call) {
      const { reference, fn } = functionOf(call);
      const configuration = await configurationFor(call, fn, reference.qualifier);
      const location = fn.code.kind === 'folder' || fn.code.kind === 'zip' ? `file://${fn.code.path}` : undefined;
      const reserved = call.context.engine.tracker.reservedFor(fn.name);
      let code: Record<string, string> = { RepositoryType: 'S3', ...(location ? { Location: location } : {}) };
      if (fn.code.kind === 'image') {
        const image = await call.context.engine.imageOf(fn);
        const repository = image.reference.replace(/:[^:/]+$/, '');
        code = {
          RepositoryType: 'ECR',
          ImageUri: image.reference,
          ...(image.digest ? { ResolvedImageUri: `${repository}@sha256:${image.digest}` } : {}),
        };
      }
      sendJson(call.response, 200, call.requestId, {
        Configuration: configuration,
        Code: code,
        ...(Object.keys(fn.tags).length > 0 ? { Tags: fn.tags } : {}),
        ...(reserved !== undefined ? { Concurrency: { ReservedConcurrentExecutions: reserved } } : {}),
      });
    },
  },
];
