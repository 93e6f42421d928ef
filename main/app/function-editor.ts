import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import {
  checkDescription,
  checkEnvironmentVariables,
  checkEphemeralStorage,
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
  handler: string;
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

  /** Writes the blueprint's code into a new folder beside the template and adds the function resource. */
  create(name: string, blueprintId: string): void {
    const nameProblem = checkFunctionName(name);
    if (nameProblem) throw new InputError('name', `Function name ${nameProblem}`);
    if (this.engine.findFunction(name) || this.engine.workspace.document.hasIn(['Resources', name])) {
      throw new InputError('name', `A function or resource named ${name} already exists in the template; choose another name.`);
    }
    if (!/^[A-Za-z0-9]+$/.test(name)) {
      throw new InputError('name', `${name} cannot be a CloudFormation logical id: use letters and digits only.`);
    }
    if (!existsSync(path.join(this.blueprintsDir, blueprintId, 'blueprint.json')))
      throw new InputError('blueprint', `Blueprint ${blueprintId} does not exist.`);
    const manifest = this.manifest(blueprintId);
    const folder = path.join(this.engine.workspace.templateDir, name);
    if (existsSync(folder)) throw new InputError('name', `The folder ${folder} already exists; choose another name or remove the folder.`);
    mkdirSync(folder, { recursive: true });
    for (const file of readdirSync(path.join(this.blueprintsDir, blueprintId))) {
      if (file === 'blueprint.json') continue;
      const source = path.join(this.blueprintsDir, blueprintId, file);
      copyFileSync(source, path.join(folder, file));
      chmodSync(path.join(folder, file), statSync(source).mode & 0o777);
    }
    this.engine.workspaceService.addResource(name, {
      Type: 'AWS::Serverless::Function',
      Properties: { CodeUri: `${name}/`, Handler: manifest.handler, Runtime: manifest.runtime, Description: manifest.description },
    });
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
    }
    if (Object.keys(tags).length > 50)
      throw new InputError('tags', `${Object.keys(tags).length} tags is over Lambda's maximum of 50 per function.`);
    this.engine.workspaceService.edit([
      { logicalId: fn.logicalId, path: ['Tags'], value: Object.keys(tags).length === 0 ? undefined : tags },
    ]);
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
