import { functionOf, readJsonBody, sendJson, type Route } from './context.js';
import { LambdaApiError } from './errors.js';
import { describeFunction } from './function-configuration.js';
import { lastModified, versionFacts } from './functions.js';
import { optionalString, page } from './validation.js';

/** PublishVersion and ListVersionsByFunction. */
export const versionRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/versions\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const body = await readJsonBody(call.request);
      const description = optionalString(body, 'Description', 'description');
      const codeSha256 = optionalString(body, 'CodeSha256', 'codeSha256');
      const { engine } = call.context;
      const record = await engine.publishVersion(fn.name, {
        ...(description !== undefined ? { description } : {}),
        ...(codeSha256 !== undefined ? { codeSha256 } : {}),
      });
      sendJson(
        call.response,
        201,
        call.requestId,
        await describeFunction(engine, engine.versionConfig(fn.name, record.version)!, lastModified(call.context), versionFacts(record)),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/versions\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const { engine } = call.context;
      const modified = lastModified(call.context);
      const all = await Promise.all([
        describeFunction(engine, fn, modified),
        ...engine.controlPlane
          .versions(fn.name)
          .map((record) => describeFunction(engine, engine.versionConfig(fn.name, record.version)!, modified, versionFacts(record))),
      ]);
      const { items, nextMarker } = page(all, call.url);
      sendJson(call.response, 200, call.requestId, { Versions: items, NextMarker: nextMarker });
    },
  },
];

export function versionNotFound(functionArnText: string): LambdaApiError {
  return new LambdaApiError(404, 'ResourceNotFoundException', `Function not found: ${functionArnText}`);
}
