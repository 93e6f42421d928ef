import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorMessage, InputError, isWorkbenchError, WorkbenchError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import {
  checkDescription,
  checkEnvironmentVariables,
  checkEphemeralStorage,
  checkCodeFolderName,
  checkFunctionName,
  checkHandler,
  checkMemorySize,
  checkRuntime,
  checkTimeout,
} from '../core/template/function-rules.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import { writeFileAtomically, type PropertyEdit } from '../core/template/editor.js';
import type { Logger } from '../logging.js';
import { extractZip } from './code-store.js';
import type { LambdaEngine } from './engine.js';

/** A function as CreateFunction describes it, in the workbench's terms. */
export interface FunctionSpec {
  name: string;
  packageType: 'Zip' | 'Image';
  runtime?: string;
  handler?: string;
  role?: string;
  description?: string;
  timeoutSeconds?: number;
  memoryMb?: number;
  ephemeralStorageMb?: number;
  architecture?: string;
  environment?: Record<string, string>;
  layers?: string[];
  tags?: Record<string, string>;
  /** The .zip package (ZipFile). */
  zip?: Buffer;
  imageUri?: string;
  imageConfig?: { EntryPoint?: string[]; Command?: string[]; WorkingDirectory?: string };
  codeSigningConfigArn?: string;
  tracingMode?: string;
  fileSystems?: Array<{ Arn: string; LocalMountPath: string }>;
  deadLetterTargetArn?: string;
  vpcConfig?: Record<string, unknown>;
}

/** The settings UpdateFunctionConfiguration can change; an absent field stays as it is. */
export type ConfigurationChanges = Partial<Omit<FunctionSpec, 'name' | 'packageType' | 'zip' | 'imageUri' | 'tags'>>;

export interface LayerVersionSpec {
  name: string;
  zip: Buffer;
  description?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
}

export interface CodeSigningConfigSpec {
  description?: string;
  allowedProfileVersionArns: string[];
  policy: 'Warn' | 'Enforce';
}

/**
 * The write side of the control plane: CreateFunction, UpdateFunctionCode,
 * UpdateFunctionConfiguration, DeleteFunction, PublishLayerVersion and the code signing
 * operations. Each change is checked with Lambda's rules, then written into template.yaml (and
 * the code beside it), so that the template stays the workspace's single source of truth.
 */
export class FunctionAdmin {
  constructor(
    private readonly engine: LambdaEngine,
    private readonly logger: Logger,
  ) {}

  private get templateDir(): string {
    return this.engine.workspace.templateDir;
  }

  // ---- functions ----

  /**
   * Creates a function: its .zip is unpacked into a folder named after it beside the template,
   * and the resource is added to the template. The function is Pending until its runtime image
   * is ready, then Active, or Failed with the reason.
   */
  async create(spec: FunctionSpec): Promise<FunctionConfig> {
    this.checkName(spec.name);
    if (this.engine.findFunction(spec.name)) throw conflict(`Function already exist: ${spec.name}`);
    this.checkSettings(spec);
    if (spec.packageType === 'Zip') {
      if (!spec.zip)
        throw invalid('Code.ZipFile', 'A .zip function needs Code.ZipFile: the workbench has no S3 to read Code.S3Bucket from.');
      const runtimeProblem = checkRuntime(spec.runtime);
      if (runtimeProblem) throw invalid('Runtime', `Runtime ${runtimeProblem}`);
      const handlerProblem = checkHandler(spec.handler);
      if (handlerProblem) throw invalid('Handler', `Handler ${handlerProblem}`);
    } else if (!spec.imageUri) {
      throw invalid('Code.ImageUri', 'An Image function needs Code.ImageUri, the name of an image present in the local Docker engine.');
    }

    if (spec.zip && spec.codeSigningConfigArn) this.checkUpload(spec.name, spec.codeSigningConfigArn, spec.zip);
    const logicalId = this.logicalIdFor(spec.name);
    const folderName = spec.name;
    const folderProblem = spec.zip ? checkCodeFolderName(folderName) : undefined;
    if (folderProblem) throw invalid('FunctionName', folderProblem);
    const folder = path.join(this.templateDir, folderName);
    if (spec.zip) {
      if (existsSync(folder)) {
        throw conflict(
          `The folder ${folder} already exists; the code of a new function goes into a new folder named after it. Remove the folder or choose another name.`,
        );
      }
      await this.unpackInto(spec.zip, folder);
    }
    const properties: Record<string, unknown> = {
      ...(logicalId !== spec.name ? { FunctionName: spec.name } : {}),
      ...(spec.packageType === 'Image'
        ? { PackageType: 'Image', ImageUri: spec.imageUri }
        : { CodeUri: `${folderName}/`, Handler: spec.handler, Runtime: spec.runtime }),
      ...this.settingProperties(spec),
      ...(spec.tags && Object.keys(spec.tags).length > 0 ? { Tags: spec.tags } : {}),
    };
    try {
      this.engine.workspaceService.addResource(logicalId, { Type: 'AWS::Serverless::Function', Properties: properties });
    } catch (error) {
      if (spec.zip) rmSync(folder, { recursive: true, force: true });
      throw error;
    }
    this.logger.info(`Created ${spec.name} (${logicalId} in template.yaml${spec.zip ? `, code in ${folderName}/` : ''})`);
    this.engine.setLifecycle(spec.name, {
      state: 'Pending',
      stateReason: 'The function is being created.',
      stateReasonCode: 'Creating',
      lastUpdateStatus: 'InProgress',
    });
    // Started on the next turn, so the caller reads the Pending state that Lambda returns.
    setImmediate(() => void this.prepare(spec.name, 'create'));
    return this.function(spec.name);
  }

  /**
   * Replaces a function's code with a .zip or points it at another image. A .zip CodeUri is
   * overwritten; a code folder gets the archive's content, its old content being moved to the
   * workbench's data folder first, so nothing is lost.
   */
  async updateCode(name: string, code: { zip?: Buffer; imageUri?: string; dryRun?: boolean }): Promise<FunctionConfig> {
    const fn = this.function(name);
    if (code.zip) {
      if (fn.packageType !== 'Zip') throw invalid('ZipFile', `${fn.name} is an Image function; give ImageUri instead of ZipFile.`);
      this.checkUpload(fn.name, fn.codeSigningConfigArn, code.zip);
      const staging = await this.unpackToStaging(code.zip);
      if (code.dryRun) {
        rmSync(staging, { recursive: true, force: true });
        return fn;
      }
      if (fn.code.kind === 'zip') {
        rmSync(staging, { recursive: true, force: true });
        writeFileAtomically(fn.code.path, code.zip);
      } else if (fn.code.kind === 'folder') {
        this.replaceFolder(fn, staging);
      } else {
        rmSync(staging, { recursive: true, force: true });
        const relative = path.join('packages', `${fn.name}.zip`);
        mkdirSync(path.join(this.templateDir, 'packages'), { recursive: true });
        writeFileAtomically(path.join(this.templateDir, relative), code.zip);
        this.engine.workspaceService.edit([
          { logicalId: fn.logicalId, path: ['InlineCode'], value: undefined },
          { logicalId: fn.logicalId, path: ['CodeUri'], value: relative },
        ]);
      }
    } else if (code.imageUri) {
      if (fn.packageType !== 'Image') throw invalid('ImageUri', `${fn.name} is a .zip function; give ZipFile instead of ImageUri.`);
      if (fn.code.kind === 'image' && fn.code.build) {
        throw invalid(
          'ImageUri',
          `${fn.name} is built from its Dockerfile (Metadata in template.yaml); change the Dockerfile, or remove Metadata to use an ImageUri.`,
        );
      }
      if (!code.dryRun) this.engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['ImageUri'], value: code.imageUri }]);
    } else {
      throw invalid('ZipFile', 'Give ZipFile or ImageUri: the workbench has no S3 to read S3Bucket from.');
    }
    if (code.dryRun) return fn;
    this.logger.info(`Updated the code of ${fn.name}`);
    this.engine.emit('codeReplaced', { functionName: fn.name });
    this.engine.setLifecycle(fn.name, { ...this.engine.lifecycle(fn.name), lastUpdateStatus: 'InProgress' });
    setImmediate(() => void this.prepare(fn.name, 'update'));
    return this.function(fn.name);
  }

  /** Applies UpdateFunctionConfiguration's fields to the function's properties in template.yaml. */
  updateConfiguration(name: string, changes: ConfigurationChanges): FunctionConfig {
    const fn = this.function(name);
    this.checkSettings(changes);
    if (changes.runtime !== undefined) {
      const problem = checkRuntime(changes.runtime);
      if (problem) throw invalid('Runtime', `Runtime ${problem}`);
    }
    if (changes.handler !== undefined) {
      const problem = checkHandler(changes.handler);
      if (problem) throw invalid('Handler', `Handler ${problem}`);
    }
    const properties = this.settingProperties(changes);
    const edits: PropertyEdit[] = Object.entries(properties).map(([key, value]) => ({ logicalId: fn.logicalId, path: [key], value }));
    if (changes.handler !== undefined) edits.push({ logicalId: fn.logicalId, path: ['Handler'], value: changes.handler });
    if (changes.runtime !== undefined) edits.push({ logicalId: fn.logicalId, path: ['Runtime'], value: changes.runtime });
    // An empty list or map clears the setting, as in UpdateFunctionConfiguration.
    if (changes.layers?.length === 0) edits.push({ logicalId: fn.logicalId, path: ['Layers'], value: undefined });
    if (changes.environment && Object.keys(changes.environment).length === 0)
      edits.push({ logicalId: fn.logicalId, path: ['Environment'], value: undefined });
    if (changes.fileSystems?.length === 0) edits.push({ logicalId: fn.logicalId, path: ['FileSystemConfigs'], value: undefined });
    if (edits.length > 0) this.engine.workspaceService.edit(edits);
    this.engine.setLifecycle(fn.name, { ...this.engine.lifecycle(fn.name), lastUpdateStatus: 'InProgress' });
    setImmediate(() => void this.prepare(fn.name, 'update'));
    return this.function(fn.name);
  }

  /**
   * Deletes a function from the template, with its versions and aliases, or one published version.
   * The code folder stays on disk: it is the user's source, which Lambda never had.
   */
  async delete(name: string, version?: number): Promise<void> {
    const fn = this.function(name);
    if (version !== undefined) {
      await this.engine.deleteVersion(fn.name, version);
      this.logger.info(`Deleted version ${version} of ${fn.name}`);
      return;
    }
    const snapshots = this.engine.controlPlane.versions(fn.name).map((record) => record.codeDir);
    this.engine.workspaceService.removeResource(fn.logicalId);
    this.engine.controlPlane.deleteFunction(fn.name);
    this.engine.setLifecycle(fn.name, undefined);
    for (const snapshot of snapshots) rmSync(snapshot, { recursive: true, force: true });
    this.logger.info(`Deleted ${fn.name} from template.yaml${fn.code.kind === 'folder' ? `; its code stays in ${fn.code.path}` : ''}`);
  }

  /**
   * Imports a .zip as a function's package, as `lambda-workbench import-zip` and the console's drop
   * zone do: the archive is checked, kept as packages/<function>.zip, and CodeUri points at it.
   */
  async importZip(name: string, zip: Buffer, signature?: Buffer, label?: string): Promise<{ relativePath: string; sizeBytes: number }> {
    const fn = this.function(name);
    if (fn.resourceType !== 'AWS::Serverless::Function' || fn.packageType !== 'Zip') {
      throw invalid('name', `${fn.name} is not a .zip AWS::Serverless::Function; only those take an imported .zip.`);
    }
    this.checkUpload(fn.name, fn.codeSigningConfigArn, zip, signature);
    rmSync(await this.unpackToStaging(zip, label), { recursive: true, force: true });
    const relativePath = path.join('packages', `${fn.name}.zip`);
    mkdirSync(path.join(this.templateDir, 'packages'), { recursive: true });
    writeFileAtomically(path.join(this.templateDir, relativePath), zip);
    // The signature travels with the package; an unsigned import leaves no stale one behind.
    const signaturePath = path.join(this.templateDir, `${relativePath}.sig`);
    if (signature) writeFileAtomically(signaturePath, signature);
    else rmSync(signaturePath, { force: true });
    if (!(fn.code.kind === 'zip' && path.resolve(fn.code.path) === path.resolve(this.templateDir, relativePath))) {
      this.engine.workspaceService.edit([
        { logicalId: fn.logicalId, path: ['InlineCode'], value: undefined },
        { logicalId: fn.logicalId, path: ['CodeUri'], value: relativePath },
      ]);
    }
    this.logger.info(`${fn.name} now runs ${relativePath} (${zip.length} bytes)`);
    return { relativePath, sizeBytes: zip.length };
  }

  // ---- layers ----

  /**
   * Publishes a layer version from a .zip: the content goes into layers/<name>/ beside the template
   * (replacing what was there, which moves to the data folder) and the layer resource is added
   * when the template has none. The next version number is the workspace's.
   */
  async publishLayerVersion(spec: LayerVersionSpec): Promise<{ name: string; version: number }> {
    if (!/^[A-Za-z0-9_-]{1,140}$/.test(spec.name)) {
      throw invalid(
        'LayerName',
        `${JSON.stringify(spec.name)} is not a valid layer name; use 1 to 140 letters, digits, hyphens or underscores.`,
      );
    }
    if ((spec.compatibleRuntimes?.length ?? 0) > 15) throw invalid('CompatibleRuntimes', 'A layer lists at most 15 compatible runtimes.');
    for (const runtime of spec.compatibleRuntimes ?? []) {
      const problem = checkRuntime(runtime);
      if (problem) throw invalid('CompatibleRuntimes', `CompatibleRuntimes: ${problem}`);
    }
    const staging = await this.unpackToStaging(spec.zip);
    const existing = this.engine.workspace.layers.find((layer) => layer.name === spec.name);
    const properties = {
      LayerName: spec.name,
      ...(spec.description ? { Description: spec.description } : {}),
      ...(spec.compatibleRuntimes?.length ? { CompatibleRuntimes: spec.compatibleRuntimes } : {}),
      ...(spec.compatibleArchitectures?.length ? { CompatibleArchitectures: spec.compatibleArchitectures } : {}),
      ...(spec.licenseInfo ? { LicenseInfo: spec.licenseInfo } : {}),
    };
    if (existing) {
      if (existing.content.kind === 'zip') {
        rmSync(staging, { recursive: true, force: true });
        writeFileAtomically(existing.content.path, spec.zip);
      } else {
        this.swapFolder(existing.content.path, staging, `layer-${spec.name}`);
      }
      const edits: PropertyEdit[] = Object.entries(properties)
        .filter(([key]) => key !== 'LayerName')
        .map(([key, value]) => ({ logicalId: existing.logicalId, path: [key], value }));
      // Editing the template reloads it, and a changed content publishes the next version.
      this.engine.workspaceService.edit(
        edits.length > 0 ? edits : [{ logicalId: existing.logicalId, path: ['LayerName'], value: spec.name }],
      );
    } else {
      const folder = path.join(this.templateDir, 'layers', spec.name);
      if (existsSync(folder)) this.swapFolder(folder, staging, `layer-${spec.name}`);
      else {
        mkdirSync(path.dirname(folder), { recursive: true });
        renameSync(staging, folder);
      }
      this.engine.workspaceService.addResource(this.logicalIdFor(`${spec.name}-layer`), {
        Type: 'AWS::Serverless::LayerVersion',
        Properties: { ...properties, ContentUri: `layers/${spec.name}/` },
      });
    }
    const published = this.engine.workspace.layers.find((layer) => layer.name === spec.name);
    if (!published)
      throw new WorkbenchError('LayerNotPublished', 'platform', `Layer ${spec.name} is not in the template after publishing it.`);
    this.logger.info(`Published layer ${spec.name} version ${published.version}`);
    return { name: spec.name, version: published.version };
  }

  // ---- code signing ----

  /** Sets or clears (arn undefined) the function's CodeSigningConfigArn. */
  setFunctionCodeSigningConfig(name: string, arn: string | undefined): FunctionConfig {
    const fn = this.function(name);
    let value: unknown;
    if (arn !== undefined) {
      const config = this.engine.workspace.codeSigningConfigs.find((candidate) => candidate.arn === arn);
      if (!config) throw notFound(`Code signing configuration ${arn} is not in the template; create it first.`);
      value = { Ref: config.logicalId };
    }
    this.engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['CodeSigningConfigArn'], value }]);
    void this.engine.redeploy(fn.name);
    return this.function(fn.name);
  }

  createCodeSigningConfig(spec: CodeSigningConfigSpec): string {
    this.checkCodeSigningSpec(spec);
    const logicalId = this.logicalIdFor('CodeSigningConfig');
    this.engine.workspaceService.addResource(logicalId, {
      Type: 'AWS::Lambda::CodeSigningConfig',
      Properties: this.codeSigningProperties(spec),
    });
    return this.engine.workspace.codeSigningConfigs.find((config) => config.logicalId === logicalId)!.arn;
  }

  updateCodeSigningConfig(arn: string, spec: Partial<CodeSigningConfigSpec>): void {
    const config = this.engine.workspace.codeSigningConfigs.find((candidate) => candidate.arn === arn);
    if (!config) throw notFound(`Code signing configuration ${arn} is not in the template.`);
    const merged: CodeSigningConfigSpec = {
      description: spec.description ?? config.description,
      allowedProfileVersionArns: spec.allowedProfileVersionArns ?? config.allowedProfileVersionArns,
      policy: spec.policy ?? config.policy,
    };
    this.checkCodeSigningSpec(merged);
    const properties = this.codeSigningProperties(merged);
    this.engine.workspaceService.edit(
      Object.entries(properties).map(([key, value]) => ({ logicalId: config.logicalId, path: [key], value })),
    );
    for (const fn of this.engine.functions()) if (fn.codeSigningConfigArn === arn) void this.engine.redeploy(fn.name);
  }

  deleteCodeSigningConfig(arn: string): void {
    const config = this.engine.workspace.codeSigningConfigs.find((candidate) => candidate.arn === arn);
    if (!config) throw notFound(`Code signing configuration ${arn} is not in the template.`);
    const users = this.engine.functions().filter((fn) => fn.codeSigningConfigArn === arn);
    if (users.length > 0) {
      throw conflict(
        `Code signing configuration ${arn} is used by ${users.map((fn) => fn.name).join(', ')}; remove it from those functions first.`,
      );
    }
    this.engine.workspaceService.removeResource(config.logicalId);
  }

  // ---- internals ----

  private function(name: string): FunctionConfig {
    const fn = this.engine.findFunction(name);
    if (!fn) throw new WorkbenchError('FunctionNotFound', 'caller', `Function not found: ${name}`);
    return fn;
  }

  /** Marks the function Active (and its update Successful) once its images are ready, or Failed. */
  private async prepare(name: string, operation: 'create' | 'update'): Promise<void> {
    try {
      await this.engine.ensureImages((line) => this.logger.info(line), [name]);
      if (operation === 'update') await this.engine.redeploy(name);
      this.engine.setLifecycle(name, undefined);
    } catch (error) {
      const reason = errorMessage(error);
      this.logger.warn(`${name}: ${operation === 'create' ? 'creation' : 'update'} failed: ${reason}`);
      if (operation === 'create')
        this.engine.setLifecycle(name, {
          state: 'Failed',
          stateReason: reason,
          stateReasonCode: 'InternalError',
          lastUpdateStatus: 'Failed',
        });
      else
        this.engine.setLifecycle(name, {
          state: 'Active',
          lastUpdateStatus: 'Failed',
          lastUpdateStatusReason: reason,
          lastUpdateStatusReasonCode: 'InternalError',
        });
    }
  }

  /**
   * Checks new code against the function's code signing configuration before anything is written,
   * as Lambda checks each deployment. A package sent through the API carries no signature of
   * its own here (signatures are .sig files beside a .zip), so Enforce refuses it and Warn logs.
   */
  private checkUpload(functionName: string, configArn: string | undefined, zip: Buffer, signature?: Buffer): void {
    if (!configArn || !this.engine.workspace.codeSigningConfigs.some((config) => config.arn === configArn)) return;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lwb-signed-'));
    try {
      const file = path.join(dir, `${functionName}.zip`);
      writeFileSync(file, zip);
      if (signature) writeFileSync(`${file}.sig`, signature);
      this.engine.enforceSigning(functionName, configArn, this.engine.verifyPackage(configArn, file));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private checkName(name: string): void {
    const problem = checkFunctionName(name);
    if (problem) throw invalid('FunctionName', `FunctionName ${problem}`);
  }

  /** Checks the settings both CreateFunction and UpdateFunctionConfiguration take. */
  private checkSettings(spec: ConfigurationChanges): void {
    for (const arn of spec.layers ?? []) {
      const found = this.engine.findLayerVersion(arn);
      if ('missing' in found) throw invalid('Layers', `Layer version ${arn} does not exist: ${found.missing}.`);
    }
    const checks: Array<[string, unknown, ((value: unknown) => string | undefined) | undefined]> = [
      ['MemorySize', spec.memoryMb, checkMemorySize],
      ['Timeout', spec.timeoutSeconds, checkTimeout],
      ['EphemeralStorage.Size', spec.ephemeralStorageMb, checkEphemeralStorage],
      ['Description', spec.description, checkDescription],
    ];
    for (const [field, value, check] of checks) {
      if (value === undefined || !check) continue;
      const problem = check(value);
      if (problem) throw invalid(field, `${field} ${problem}`);
    }
    if (spec.environment) {
      const [problem] = checkEnvironmentVariables(spec.environment);
      if (problem) throw invalid(problem[0] ? `Environment.Variables.${problem[0]}` : 'Environment', problem[1]);
    }
    if (spec.architecture !== undefined && spec.architecture !== 'x86_64' && spec.architecture !== 'arm64') {
      throw invalid('Architectures', `${JSON.stringify(spec.architecture)} is not valid; use x86_64 or arm64.`);
    }
  }

  /** Template properties for the settings of a spec, with references to the template's own resources. */
  private settingProperties(spec: ConfigurationChanges): Record<string, unknown> {
    const workspace = this.engine.workspace;
    const layerValue = (arn: string): unknown => {
      const layer = workspace.layers.find((candidate) => candidate.arn === arn);
      return layer ? { Ref: layer.logicalId } : arn;
    };
    const signing = spec.codeSigningConfigArn
      ? workspace.codeSigningConfigs.find((config) => config.arn === spec.codeSigningConfigArn)
      : undefined;
    if (spec.codeSigningConfigArn && !signing)
      throw notFound(`Code signing configuration ${spec.codeSigningConfigArn} is not in the template.`);
    const imageConfig = spec.imageConfig
      ? Object.fromEntries(
          Object.entries(spec.imageConfig).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)),
        )
      : undefined;
    return {
      ...(spec.description !== undefined ? { Description: spec.description } : {}),
      ...(spec.memoryMb !== undefined ? { MemorySize: spec.memoryMb } : {}),
      ...(spec.timeoutSeconds !== undefined ? { Timeout: spec.timeoutSeconds } : {}),
      ...(spec.ephemeralStorageMb !== undefined ? { EphemeralStorage: { Size: spec.ephemeralStorageMb } } : {}),
      ...(spec.architecture !== undefined ? { Architectures: [spec.architecture] } : {}),
      ...(spec.role !== undefined ? { Role: spec.role } : {}),
      ...(spec.environment && Object.keys(spec.environment).length > 0 ? { Environment: { Variables: spec.environment } } : {}),
      ...(spec.layers?.length ? { Layers: spec.layers.map(layerValue) } : {}),
      ...(imageConfig && Object.keys(imageConfig).length > 0 ? { ImageConfig: imageConfig } : {}),
      ...(signing ? { CodeSigningConfigArn: { Ref: signing.logicalId } } : {}),
      ...(spec.tracingMode !== undefined ? { Tracing: spec.tracingMode } : {}),
      ...(spec.fileSystems?.length ? { FileSystemConfigs: spec.fileSystems } : {}),
      ...(spec.deadLetterTargetArn
        ? { DeadLetterQueue: { Type: spec.deadLetterTargetArn.includes(':sns:') ? 'SNS' : 'SQS', TargetArn: spec.deadLetterTargetArn } }
        : {}),
      ...(spec.vpcConfig ? { VpcConfig: spec.vpcConfig } : {}),
    };
  }

  private checkCodeSigningSpec(spec: CodeSigningConfigSpec): void {
    if (spec.allowedProfileVersionArns.length === 0 || spec.allowedProfileVersionArns.length > 20) {
      throw invalid('AllowedPublishers.SigningProfileVersionArns', 'List 1 to 20 signing profile version ARNs.');
    }
    if (spec.policy !== 'Warn' && spec.policy !== 'Enforce') {
      throw invalid(
        'CodeSigningPolicies.UntrustedArtifactOnDeployment',
        `${JSON.stringify(spec.policy)} is not valid; use Warn or Enforce.`,
      );
    }
  }

  private codeSigningProperties(spec: CodeSigningConfigSpec): Record<string, unknown> {
    const profiles = this.engine.workspace.signingProfiles;
    return {
      ...(spec.description ? { Description: spec.description } : {}),
      AllowedPublishers: {
        SigningProfileVersionArns: spec.allowedProfileVersionArns.map((arn) => {
          const profile = profiles.find((candidate) => candidate.versionArn === arn);
          return profile ? { 'Fn::GetAtt': [profile.logicalId, 'ProfileVersionArn'] } : arn;
        }),
      },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: spec.policy },
    };
  }

  /** Derives a logical id from a name (my-func: MyFunc) that no resource of the template uses. */
  logicalIdFor(name: string): string {
    const base =
      name
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((part) => part[0]!.toUpperCase() + part.slice(1))
        .join('') || 'Function';
    const start = /^[A-Za-z]/.test(base) ? base : `Fn${base}`;
    const document = this.engine.workspace.document;
    let candidate = start;
    for (let suffix = 2; document.hasIn(['Resources', candidate]); suffix += 1) candidate = `${start}${suffix}`;
    return candidate;
  }

  /** Checks an uploaded .zip against Lambda's limits and unpacks it into a staging folder beside the template. */
  /** Unpacks an uploaded .zip into a staging folder; errors name the archive as `label`, not the staging file. */
  private async unpackToStaging(zip: Buffer, label = 'The uploaded .zip'): Promise<string> {
    if (zip.length > LIMITS.zippedUploadBytes) {
      throw new WorkbenchError(
        'CodeTooLarge',
        'caller',
        `The .zip is ${zip.length} bytes; Lambda accepts at most ${LIMITS.zippedUploadBytes} bytes for a .zip uploaded directly. Move dependencies into a layer.`,
      );
    }
    const staging = mkdtempSync(path.join(this.templateDir, '.lambda-workbench-upload-'));
    const archive = `${staging}.zip`;
    try {
      writeFileSync(archive, zip);
      await extractZip(archive, staging);
      // mkdtemp makes a private folder; functions run as another user and must read it.
      chmodSync(staging, 0o755);
      return staging;
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (isWorkbenchError(error)) throw new WorkbenchError(error.code, error.source, error.message.replaceAll(archive, label));
      throw error;
    } finally {
      rmSync(archive, { force: true });
    }
  }

  private async unpackInto(zip: Buffer, folder: string): Promise<void> {
    const staging = await this.unpackToStaging(zip);
    renameSync(staging, folder);
  }

  private replaceFolder(fn: FunctionConfig, staging: string): void {
    if (fn.code.kind !== 'folder') return;
    this.swapFolder(fn.code.path, staging, fn.name);
  }

  /** Puts `staging` in the place of `folder`; the old content moves to the data folder's code-backups. */
  private swapFolder(folder: string, staging: string, label: string): void {
    const backups = path.join(this.engine.stores.dataDir, 'code-backups');
    mkdirSync(backups, { recursive: true });
    const backup = path.join(backups, `${label}-${new Date().toISOString().replaceAll(':', '-')}-${randomBytes(3).toString('hex')}`);
    if (existsSync(folder)) {
      try {
        renameSync(folder, backup);
      } catch {
        // Another file system (the data folder elsewhere): copy, then remove.
        cpSync(folder, backup, { recursive: true, verbatimSymlinks: true });
        rmSync(folder, { recursive: true, force: true });
      }
      this.logger.info(`The previous content of ${folder} is kept in ${backup}`);
    }
    renameSync(staging, folder);
  }
}

function invalid(field: string, message: string): InputError {
  return new InputError(field, message);
}

function conflict(message: string): WorkbenchError {
  return new WorkbenchError('ResourceConflict', 'caller', message);
}

function notFound(message: string): WorkbenchError {
  return new WorkbenchError('FunctionNotFound', 'caller', message);
}
