import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import {
  checkDescription,
  checkEnvironmentVariables,
  checkEphemeralStorage,
  checkCodeFolderName,
  checkFunctionName,
  checkMemorySize,
  checkTimeout,
} from '../core/template/function-rules.js';
import type { PropertyEdit } from '../core/template/editor.js';
import type { Blueprint } from '../contract/types.js';
import type { LambdaEngine } from '../engine/engine.js';

interface BlueprintManifest {
  title: string;
  description: string;
  runtime: string;
  /** For .zip blueprints. */
  handler?: string;
  packageType?: 'Zip' | 'Image';
}

/**
 * Edits of functions from the console. Every value is checked with Lambda's rules first; a bad
 * one fails with the field it belongs to and changes nothing. Changes land in template.yaml.
 */
export class FunctionEditor {
  constructor(
    private readonly engine: LambdaEngine,
    private readonly blueprintsDir: string,
  ) {}

  blueprints(): Blueprint[] {
    return readdirSync(this.blueprintsDir)
      .filter((id) => existsSync(path.join(this.blueprintsDir, id, 'blueprint.json')))
      .sort()
      .map((id) => {
        const manifest = this.manifest(id);
        return { id, title: manifest.title, description: manifest.description, runtime: manifest.runtime };
      });
  }

  /**
   * Writes the blueprint's code into a new folder beside the template and adds the function
   * resource. A name with hyphens or underscores gets a logical id without them (my-fn: MyFn) and
   * a FunctionName property.
   */
  create(name: string, blueprintId: string): void {
    const nameProblem = checkFunctionName(name);
    if (nameProblem) throw new InputError('name', `Function name ${nameProblem}`);
    const folderProblem = checkCodeFolderName(name);
    if (folderProblem) throw new InputError('name', folderProblem);
    // Names that differ only in case would share a folder on macOS and Windows.
    const lower = name.toLowerCase();
    const existing = [
      ...this.engine.functions().map((fn) => fn.name),
      ...Object.keys((this.engine.workspace.document.toJS() as { Resources?: Record<string, unknown> }).Resources ?? {}),
    ].find((other) => other.toLowerCase() === lower);
    if (existing) {
      const detail =
        existing === name ? '' : ` as ${existing}, and names that differ only in case would share a folder on macOS and Windows`;
      throw new InputError('name', `A function or resource named ${name} is already in the template${detail}; choose another name.`);
    }
    if (!existsSync(path.join(this.blueprintsDir, blueprintId, 'blueprint.json')))
      throw new InputError('blueprint', `Blueprint ${blueprintId} does not exist.`);
    const manifest = this.manifest(blueprintId);
    const templateDir = this.engine.workspace.templateDir;
    const clash = readdirSync(templateDir).find((entry) => entry.toLowerCase() === lower);
    if (clash)
      throw new InputError('name', `The folder ${path.join(templateDir, clash)} already exists; choose another name or remove the folder.`);
    const folder = path.join(templateDir, name);
    const logicalId = this.engine.admin.logicalIdFor(name);
    mkdirSync(folder, { recursive: true });
    for (const file of readdirSync(path.join(this.blueprintsDir, blueprintId))) {
      if (file === 'blueprint.json') continue;
      const source = path.join(this.blueprintsDir, blueprintId, file);
      copyFileSync(source, path.join(folder, file));
      chmodSync(path.join(folder, file), statSync(source).mode & 0o777);
    }
    const functionName = logicalId === name ? {} : { FunctionName: name };
    // An image blueprint is built from its Dockerfile, as `sam build` builds it from Metadata.
    const resource =
      manifest.packageType === 'Image'
        ? {
            Type: 'AWS::Serverless::Function',
            Properties: { ...functionName, PackageType: 'Image', Description: manifest.description },
            Metadata: { Dockerfile: 'Dockerfile', DockerContext: `./${name}`, DockerTag: 'latest' },
          }
        : {
            Type: 'AWS::Serverless::Function',
            Properties: {
              ...functionName,
              CodeUri: `${name}/`,
              Handler: manifest.handler,
              Runtime: manifest.runtime,
              Description: manifest.description,
            },
          };
    try {
      this.engine.workspaceService.addResource(logicalId, resource);
    } catch (error) {
      // The template refused the function: leave no folder behind to block the next try.
      rmSync(folder, { recursive: true, force: true });
      throw error;
    }
  }

  updateGeneral(name: string, values: { memoryMb: number; timeoutSeconds: number; ephemeralStorageMb: number; description: string }): void {
    const fn = this.function(name);
    const checks: Array<[string, string | undefined]> = [
      ['memoryMb', prefixed('Memory', checkMemorySize(values.memoryMb))],
      ['timeoutSeconds', prefixed('Timeout', checkTimeout(values.timeoutSeconds))],
      ['ephemeralStorageMb', prefixed('Ephemeral storage', checkEphemeralStorage(values.ephemeralStorageMb))],
      ['description', prefixed('Description', checkDescription(values.description))],
    ];
    for (const [field, problem] of checks) if (problem) throw new InputError(field, problem);
    // Only what changed is written, so values that come from Globals stay there.
    const edits: PropertyEdit[] = [];
    if (values.memoryMb !== fn.memoryMb) edits.push({ logicalId: fn.logicalId, path: ['MemorySize'], value: values.memoryMb });
    if (values.timeoutSeconds !== fn.timeoutSeconds)
      edits.push({ logicalId: fn.logicalId, path: ['Timeout'], value: values.timeoutSeconds });
    if (values.ephemeralStorageMb !== fn.ephemeralStorageMb)
      edits.push({ logicalId: fn.logicalId, path: ['EphemeralStorage'], value: { Size: values.ephemeralStorageMb } });
    if (values.description !== fn.description) edits.push({ logicalId: fn.logicalId, path: ['Description'], value: values.description });
    if (edits.length > 0) this.engine.workspaceService.edit(edits);
  }

  updateEnvironment(name: string, variables: Record<string, string>): void {
    const fn = this.function(name);
    const problems = checkEnvironmentVariables(variables);
    if (problems.length > 0) {
      const [key, message] = problems[0]!;
      throw new InputError(key ? `variables.${key}` : 'variables', key ? message : `The variables ${message}`);
    }
    const value = Object.keys(variables).length === 0 ? undefined : { Variables: variables };
    this.engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['Environment'], value }]);
  }

  updateTags(name: string, tags: Record<string, string>): void {
    const fn = this.function(name);
    for (const [key, value] of Object.entries(tags)) {
      if (key.length === 0 || key.length > 128)
        throw new InputError(`tags.${key}`, `Tag key ${JSON.stringify(key)} must be 1 to 128 characters long.`);
      if (key.toLowerCase().startsWith('aws:'))
        throw new InputError(`tags.${key}`, `Tag key ${key} uses the aws: prefix, which is reserved for AWS.`);
      if (value.length > 256)
        throw new InputError(`tags.${key}`, `The value of tag ${key} is ${value.length} characters long; the maximum is 256.`);
      // The characters AWS allows in tags: letters, digits, spaces and + - = . _ : / @.
      const allowed = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
      if (!allowed.test(key) || !allowed.test(value)) {
        throw new InputError(
          `tags.${key}`,
          `Tag ${JSON.stringify(key)} contains a character AWS does not allow in tags; use letters, digits, spaces and + - = . _ : / @.`,
        );
      }
    }
    if (Object.keys(tags).length > 50)
      throw new InputError('tags', `${Object.keys(tags).length} tags is over Lambda's maximum of 50 per function.`);
    // AWS::Lambda::Function lists tags as Key and Value pairs; SAM functions take a map.
    const value =
      Object.keys(tags).length === 0
        ? undefined
        : fn.resourceType === 'AWS::Lambda::Function'
          ? Object.entries(tags).map(([key, tagValue]) => ({ Key: key, Value: tagValue }))
          : tags;
    this.engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['Tags'], value }]);
  }

  private function(name: string) {
    const fn = this.engine.findFunction(name);
    if (!fn) throw new InputError('name', `Function ${name} is not in the template.`);
    return fn;
  }

  private manifest(id: string): BlueprintManifest {
    return JSON.parse(readFileSync(path.join(this.blueprintsDir, id, 'blueprint.json'), 'utf8')) as BlueprintManifest;
  }
}

function prefixed(label: string, problem: string | undefined): string | undefined {
  return problem ? `${label} ${problem}` : undefined;
}
