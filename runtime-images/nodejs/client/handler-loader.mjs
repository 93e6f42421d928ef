// @ts-check
/**
 * Finds and loads the function's handler from LAMBDA_TASK_ROOT as Lambda's Node.js runtime does:
 * "dir/module.export.path" names dir/module.js, .mjs or .cjs (in that order) or a package of that
 * name, and an export path inside it. A .js file is an ES module when the nearest package.json
 * sets "type": "module".
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { handlerNotFound, importModuleError, malformedHandlerName, userCodeSyntaxError } from './errors.mjs';

/**
 * @param {string} taskRoot
 * @param {string} handlerSetting the _HANDLER value, such as src/handlers/app.handler
 * @returns {Promise<Function>}
 */
export async function loadHandler(taskRoot, handlerSetting) {
  const slash = handlerSetting.lastIndexOf('/');
  const moduleDir = handlerSetting.slice(0, slash + 1);
  const match = /^([^.]*)\.(.*)$/.exec(handlerSetting.slice(slash + 1));
  if (!match || !match[1] || !match[2]) throw malformedHandlerName('Bad handler');
  const [, moduleName, exportPath] = match;
  if (handlerSetting.includes('..')) throw malformedHandlerName("'../' not allowed in handler path");

  const moduleRoot = path.resolve(taskRoot, moduleDir);
  const loaded = await loadModule(moduleRoot, moduleName);
  let target = /** @type {any} */ (loaded);
  for (const part of exportPath.split('.')) {
    target = target?.[part];
  }
  if (target === undefined) throw handlerNotFound(`${moduleName}.${exportPath} is undefined or not exported`);
  if (typeof target !== 'function') throw handlerNotFound(`${moduleName}.${exportPath} is not a function`);
  return target;
}

/**
 * @param {string} moduleRoot
 * @param {string} moduleName
 */
async function loadModule(moduleRoot, moduleName) {
  const base = path.join(moduleRoot, moduleName);
  try {
    if (existsSync(`${base}.js`)) {
      return isEsmScope(moduleRoot) ? await importFile(`${base}.js`) : requireFile(`${base}.js`);
    }
    if (existsSync(`${base}.mjs`)) return await importFile(`${base}.mjs`);
    if (existsSync(`${base}.cjs`)) return requireFile(`${base}.cjs`);
    // Not a file in the task root: a package on NODE_PATH. Lambda's runtime requires it from
    // its own index.mjs, which is what the "Require stack" of a failure names.
    return requireFile(moduleName, process.env.LAMBDA_RUNTIME_DIR ?? '/var/runtime', 'index.mjs');
  } catch (error) {
    throw classifyLoadError(error);
  }
}

/** @param {string} file */
function importFile(file) {
  return import(pathToFileURL(file).href);
}

/**
 * @param {string} specifier
 * @param {string} [fromDir]
 * @param {string} [fromFile]
 */
function requireFile(specifier, fromDir, fromFile = 'index.js') {
  const require = createRequire(path.join(fromDir ?? path.dirname(specifier), fromFile));
  try {
    return require(specifier);
  } catch (error) {
    // A package that only ships ES modules cannot be required; import it instead.
    if (/** @type {any} */ (error)?.code === 'ERR_REQUIRE_ESM') return import(pathToFileURL(specifier).href);
    throw error;
  }
}

/** @param {unknown} error */
function classifyLoadError(error) {
  const candidate = /** @type {any} */ (error);
  if (candidate instanceof SyntaxError) return userCodeSyntaxError(`${candidate.name}: ${candidate.message}`);
  const notFound = candidate?.code === 'MODULE_NOT_FOUND' || candidate?.code === 'ERR_MODULE_NOT_FOUND';
  if (notFound) return importModuleError(`${candidate.name}: ${candidate.message}`);
  return error;
}

/**
 * @param {string} directory
 * @returns {boolean}
 */
function isEsmScope(directory) {
  let current = directory;
  for (;;) {
    const manifest = path.join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    const parent = path.dirname(current);
    if (parent === current) return false;
    current = parent;
  }
}
