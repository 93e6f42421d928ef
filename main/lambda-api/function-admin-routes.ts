import { LIMITS } from '../core/limits.js';
import type { ConfigurationChanges, FunctionSpec } from '../engine/function-admin.js';
import { functionOf, readJsonBody, sendEmpty, sendJson, type Route, type RouteCall } from './context.js';
import { describeFunction } from './function-configuration.js';
import { lastModified, versionFacts } from './functions.js';
import { LambdaApiError } from './errors.js';
import { optionalInteger, optionalString, validationError } from './validation.js';

/** Lambda's request limit for CreateFunction and UpdateFunctionCode: a 50 MB .zip, base64-encoded. */
export const CODE_REQUEST_BYTES = 70_167_211;

/**
 * CreateFunction, UpdateFunctionCode, UpdateFunctionConfiguration and DeleteFunction. Each writes
 * into template.yaml (and the code folder beside it) through the engine's FunctionAdmin.
 */
export const functionAdminRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/2015-03-31\/functions\/?$/,
    async handle(call) {
      const body = await readJsonBody(call.request, CODE_REQUEST_BYTES);
      const name = optionalString(body, 'FunctionName', 'functionName', 140);
      if (!name) throw validationError(null, 'functionName', 'Member must not be null');
      const code = objectField(body, 'Code', 'code');
      const packageType = optionalString(body, 'PackageType', 'packageType') ?? 'Zip';
      if (packageType !== 'Zip' && packageType !== 'Image')
        throw validationError(packageType, 'packageType', 'Member must satisfy enum value set: [Image, Zip]');
      rejectS3(code);
      const zip = base64Field(code, 'ZipFile', 'code.zipFile');
      const imageUri = optionalString(code, 'ImageUri', 'code.imageUri', 1024);
      const spec: FunctionSpec = {
        name,
        packageType,
        ...settingsOf(body),
        ...(zip ? { zip } : {}),
        ...(imageUri ? { imageUri } : {}),
        ...(body.Tags !== undefined ? { tags: stringMap(body.Tags, 'tags') } : {}),
      };
      const { engine } = call.context;
      await engine.admin.create(spec);
      // Lambda's CreateFunction response carries the state the function had when it was created
      // (Pending), even when it becomes Active before the response is written.
      const lifecycle = engine.lifecycle(name);
      if (body.Publish === true) await engine.publishVersion(name, {});
      const fn = engine.findFunction(name)!;
      sendJson(call.response, 201, call.requestId, await describeFunction(engine, fn, lastModified(call.context), undefined, lifecycle));
    },
  },
  {
    method: 'PUT',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/code\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const body = await readJsonBody(call.request, CODE_REQUEST_BYTES);
      rejectS3(body);
      const zip = base64Field(body, 'ZipFile', 'zipFile');
      const imageUri = optionalString(body, 'ImageUri', 'imageUri', 1024);
      const dryRun = body.DryRun === true;
      const { engine } = call.context;
      await engine.admin.updateCode(fn.name, { ...(zip ? { zip } : {}), ...(imageUri ? { imageUri } : {}), dryRun });
      await sendUpdated(call, fn.name, body.Publish === true && !dryRun);
    },
  },
  {
    method: 'PUT',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/,
    async handle(call) {
      const { fn } = functionOf(call);
      const body = await readJsonBody(call.request);
      call.context.engine.admin.updateConfiguration(fn.name, settingsOf(body));
      await sendUpdated(call, fn.name, false);
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/?$/,
    async handle(call) {
      const { fn, reference } = functionOf(call);
      const qualifier = reference.qualifier;
      if (qualifier === '$LATEST')
        throw new LambdaApiError(400, 'InvalidParameterValueException', '$LATEST version cannot be deleted without deleting the function.');
      if (qualifier !== undefined && !/^\d+$/.test(qualifier)) {
        throw new LambdaApiError(
          400,
          'InvalidParameterValueException',
          `Deletion of aliases is not supported by DeleteFunction: ${qualifier}. Use DeleteAlias.`,
        );
      }
      await call.context.engine.admin.delete(fn.name, qualifier === undefined ? undefined : Number(qualifier));
      sendEmpty(call.response, 204, call.requestId);
    },
  },
];

/** Sends the function's configuration after an update, with LastUpdateStatus InProgress as Lambda sends it. */
async function sendUpdated(call: RouteCall, name: string, publish: boolean): Promise<void> {
  const { engine } = call.context;
  if (publish) {
    const record = await engine.publishVersion(name, {});
    sendJson(
      call.response,
      200,
      call.requestId,
      await describeFunction(engine, engine.versionConfig(name, record.version)!, lastModified(call.context), versionFacts(record)),
    );
    return;
  }
  sendJson(call.response, 200, call.requestId, await describeFunction(engine, engine.findFunction(name)!, lastModified(call.context)));
}

/** Reads the settings of CreateFunction and UpdateFunctionConfiguration, checked for type and range. */
function settingsOf(body: Record<string, unknown>): ConfigurationChanges {
  const memoryMb = optionalInteger(body, 'MemorySize', 'memorySize', LIMITS.memoryMb.min, LIMITS.memoryMb.max);
  const timeoutSeconds = optionalInteger(body, 'Timeout', 'timeout', 1, LIMITS.timeoutSeconds.max);
  const ephemeral = body.EphemeralStorage === undefined ? undefined : objectField(body, 'EphemeralStorage', 'ephemeralStorage');
  const ephemeralStorageMb = ephemeral
    ? optionalInteger(ephemeral, 'Size', 'ephemeralStorage.size', LIMITS.ephemeralStorageMb.min, LIMITS.ephemeralStorageMb.max)
    : undefined;
  const architectures = body.Architectures === undefined ? undefined : stringList(body.Architectures, 'architectures');
  if (architectures && architectures.length !== 1)
    throw validationError(architectures, 'architectures', 'Member must have length less than or equal to 1');
  const environment = body.Environment === undefined ? undefined : objectField(body, 'Environment', 'environment');
  const imageConfig = body.ImageConfig === undefined ? undefined : objectField(body, 'ImageConfig', 'imageConfig');
  const tracing = body.TracingConfig === undefined ? undefined : objectField(body, 'TracingConfig', 'tracingConfig');
  const deadLetter = body.DeadLetterConfig === undefined ? undefined : objectField(body, 'DeadLetterConfig', 'deadLetterConfig');
  const fileSystems = body.FileSystemConfigs === undefined ? undefined : (body.FileSystemConfigs as unknown);
  if (
    fileSystems !== undefined &&
    (!Array.isArray(fileSystems) ||
      fileSystems.some((entry) => typeof entry?.Arn !== 'string' || typeof entry?.LocalMountPath !== 'string'))
  ) {
    throw validationError(fileSystems, 'fileSystemConfigs', 'Member must be a list of {Arn, LocalMountPath}');
  }
  const description = optionalString(body, 'Description', 'description', LIMITS.descriptionChars);
  const runtime = optionalString(body, 'Runtime', 'runtime');
  const handler = optionalString(body, 'Handler', 'handler', LIMITS.handlerChars);
  const role = optionalString(body, 'Role', 'role', 2048);
  const codeSigningConfigArn = optionalString(body, 'CodeSigningConfigArn', 'codeSigningConfigArn', 200);
  const vpcConfig = body.VpcConfig === undefined ? undefined : objectField(body, 'VpcConfig', 'vpcConfig');
  return {
    ...(memoryMb !== undefined ? { memoryMb } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(ephemeralStorageMb !== undefined ? { ephemeralStorageMb } : {}),
    ...(architectures ? { architecture: architectures[0]! } : {}),
    ...(environment
      ? { environment: environment.Variables === undefined ? {} : stringMap(environment.Variables, 'environment.variables') }
      : {}),
    ...(body.Layers !== undefined ? { layers: stringList(body.Layers, 'layers') } : {}),
    ...(imageConfig
      ? {
          imageConfig: {
            ...(imageConfig.EntryPoint !== undefined ? { EntryPoint: stringList(imageConfig.EntryPoint, 'imageConfig.entryPoint') } : {}),
            ...(imageConfig.Command !== undefined ? { Command: stringList(imageConfig.Command, 'imageConfig.command') } : {}),
            ...(typeof imageConfig.WorkingDirectory === 'string' ? { WorkingDirectory: imageConfig.WorkingDirectory } : {}),
          },
        }
      : {}),
    ...(tracing && typeof tracing.Mode === 'string' ? { tracingMode: tracing.Mode } : {}),
    ...(deadLetter && typeof deadLetter.TargetArn === 'string' ? { deadLetterTargetArn: deadLetter.TargetArn } : {}),
    ...(fileSystems !== undefined ? { fileSystems: fileSystems as Array<{ Arn: string; LocalMountPath: string }> } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(runtime !== undefined ? { runtime } : {}),
    ...(handler !== undefined ? { handler } : {}),
    ...(role !== undefined ? { role } : {}),
    ...(codeSigningConfigArn !== undefined ? { codeSigningConfigArn } : {}),
    ...(vpcConfig ? { vpcConfig } : {}),
  };
}

function objectField(body: Record<string, unknown>, key: string, member: string): Record<string, unknown> {
  const value = body[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw validationError(value, member, 'Member must be a structure');
  return value as Record<string, unknown>;
}

function stringList(value: unknown, member: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw validationError(value, member, 'Member must be a list of strings');
  return value as string[];
}

function stringMap(value: unknown, member: string): Record<string, string> {
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.values(value).some((item) => typeof item !== 'string')
  ) {
    throw validationError(value, member, 'Member must be a map of strings');
  }
  return value as Record<string, string>;
}

/** Decodes a base64 blob field (ZipFile), as the SDKs send it. */
export function base64Field(body: Record<string, unknown>, key: string, member: string): Buffer | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
    throw validationError('...', member, 'Member must be a base64-encoded blob');
  return Buffer.from(value, 'base64');
}

/** Rejects code in S3, which the offline workbench cannot read. */
export function rejectS3(body: Record<string, unknown>): void {
  if (body.S3Bucket !== undefined || body.S3Key !== undefined) {
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      'Code in S3 (S3Bucket, S3Key) cannot be read offline; send the .zip as ZipFile (--zip-file fileb://package.zip).',
    );
  }
}
