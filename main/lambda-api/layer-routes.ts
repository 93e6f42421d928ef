import type { LayerVersionRecord } from '../engine/layer-store.js';
import { readJsonBody, sendJson, type Route, type RouteCall } from './context.js';
import { base64Field, CODE_REQUEST_BYTES, rejectS3 } from './function-admin-routes.js';
import { LambdaApiError } from './errors.js';
import { formatLastModified } from './function-configuration.js';
import { optionalString, page, validationError } from './validation.js';

/**
 * PublishLayerVersion, ListLayers, ListLayerVersions, GetLayerVersion and GetLayerVersionByArn
 * for the layers of the workspace. A published version's content goes beside the template, into
 * the layer's folder, and the template names the layer. DeleteLayerVersion is not served: versions
 * are kept so that published function versions keep their layers.
 */
export const layerRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/,
    async handle(call) {
      const name = layerName(call);
      const body = await readJsonBody(call.request, CODE_REQUEST_BYTES);
      const content = (body.Content ?? {}) as Record<string, unknown>;
      rejectS3(content);
      const zip = base64Field(content, 'ZipFile', 'content.zipFile');
      if (!zip) throw validationError(null, 'content.zipFile', 'Member must not be null');
      const compatibleRuntimes = stringList(body, 'CompatibleRuntimes', 'compatibleRuntimes');
      const compatibleArchitectures = stringList(body, 'CompatibleArchitectures', 'compatibleArchitectures');
      const description = optionalString(body, 'Description', 'description', 256);
      const licenseInfo = optionalString(body, 'LicenseInfo', 'licenseInfo', 512);
      const published = await call.context.engine.admin.publishLayerVersion({
        name,
        zip,
        ...(description !== undefined ? { description } : {}),
        ...(compatibleRuntimes ? { compatibleRuntimes } : {}),
        ...(compatibleArchitectures ? { compatibleArchitectures } : {}),
        ...(licenseInfo !== undefined ? { licenseInfo } : {}),
      });
      await sendLayerVersion(call, published.name, published.version, 201);
    },
  },
  {
    method: 'GET',
    pattern: /^\/2018-10-31\/layers\/?$/,
    async handle(call) {
      const arn = call.url.searchParams.get('Arn');
      if (call.url.searchParams.get('find') === 'LayerVersion' && arn) {
        const match = /^arn:aws:lambda:([^:]+):(\d{12}):layer:([A-Za-z0-9_-]+):(\d+)$/.exec(arn);
        if (!match || match[1] !== call.context.engine.account.region || match[2] !== call.context.engine.account.accountId) {
          throw layerNotFound(arn);
        }
        await sendLayerVersion(call, match[3]!, Number(match[4]));
        return;
      }
      const store = call.context.engine.layerStore;
      const runtime = call.url.searchParams.get('CompatibleRuntime');
      const architecture = call.url.searchParams.get('CompatibleArchitecture');
      const layers = store
        .names()
        .map((name) => {
          const latest = [...store.versions(name)].reverse().find((record) => matches(record, runtime, architecture));
          return latest ? { LayerName: name, LayerArn: layerArn(call, name), LatestMatchingVersion: listItem(call, latest) } : undefined;
        })
        .filter((layer) => layer !== undefined);
      const { items, nextMarker } = page(layers, call.url);
      sendJson(call.response, 200, call.requestId, { Layers: items, NextMarker: nextMarker });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/,
    async handle(call) {
      const name = layerName(call);
      const runtime = call.url.searchParams.get('CompatibleRuntime');
      const architecture = call.url.searchParams.get('CompatibleArchitecture');
      const versions = [...call.context.engine.layerStore.versions(name)]
        .reverse()
        .filter((record) => matches(record, runtime, architecture))
        .map((record) => listItem(call, record));
      const { items, nextMarker } = page(versions, call.url);
      sendJson(call.response, 200, call.requestId, { LayerVersions: items, NextMarker: nextMarker });
    },
  },
  {
    method: 'GET',
    pattern: /^\/2018-10-31\/layers\/([^/]+)\/versions\/(\d+)\/?$/,
    async handle(call) {
      await sendLayerVersion(call, layerName(call), Number(call.match[2]));
    },
  },
];

async function sendLayerVersion(call: RouteCall, name: string, version: number, status = 200): Promise<void> {
  const record = call.context.engine.layerStore.get(name, version);
  if (!record) throw layerNotFound(`${layerArn(call, name)}:${version}`);
  const digest = await call.context.engine.layerStore.packageDigest(record);
  sendJson(call.response, status, call.requestId, {
    // There is no download location offline; the content is in the workbench's data folder.
    Content: { CodeSha256: digest.sha256, CodeSize: digest.size },
    LayerArn: layerArn(call, name),
    ...listItem(call, record),
  });
}

function listItem(call: RouteCall, record: LayerVersionRecord): Record<string, unknown> {
  return {
    LayerVersionArn: `${layerArn(call, record.name)}:${record.version}`,
    Version: record.version,
    Description: record.description,
    CreatedDate: formatLastModified(new Date(record.createdMs)),
    ...(record.compatibleRuntimes ? { CompatibleRuntimes: record.compatibleRuntimes } : {}),
    ...(record.compatibleArchitectures ? { CompatibleArchitectures: record.compatibleArchitectures } : {}),
  };
}

function matches(record: LayerVersionRecord, runtime: string | null, architecture: string | null): boolean {
  if (runtime && !(record.compatibleRuntimes ?? []).includes(runtime)) return false;
  if (architecture && !(record.compatibleArchitectures ?? []).includes(architecture)) return false;
  return true;
}

function layerName(call: RouteCall): string {
  const raw = decodeURIComponent(call.match[1]!);
  // LayerName may also be the layer's ARN.
  return /^arn:aws:lambda:[^:]+:\d{12}:layer:([A-Za-z0-9_-]+)$/.exec(raw)?.[1] ?? raw;
}

function layerArn(call: RouteCall, name: string): string {
  const { account } = call.context.engine;
  return `arn:aws:lambda:${account.region}:${account.accountId}:layer:${name}`;
}

function layerNotFound(arn: string): LambdaApiError {
  return new LambdaApiError(
    404,
    'ResourceNotFoundException',
    `The resource you requested does not exist. Layer version ${arn} is not in this workspace.`,
  );
}

function stringList(body: Record<string, unknown>, key: string, member: string): string[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw validationError(value, member, 'Member must be a list of strings');
  return value as string[];
}
