// Monaco, bundled with the app: the editor core, its features, and the languages Lambda
// functions are written in. Workers come from the bundle too, so the editor works offline.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/features/json/register';
import 'monaco-editor/languages/features/typescript/register';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/markdown/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === 'json') return new JsonWorker();
    if (label === 'typescript' || label === 'javascript') return new TypeScriptWorker();
    return new EditorWorker();
  },
};

const EXTENSION_LANGUAGES: Readonly<Record<string, string>> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  json: 'json',
  py: 'python',
  sh: 'shell',
  yaml: 'yaml',
  yml: 'yaml',
  md: 'markdown',
};

/** Picks the editor language of a file by its extension; `bootstrap` files are shell scripts. */
export function languageOf(file: string): string {
  const name = file.split('/').pop() ?? file;
  if (name === 'bootstrap') return 'shell';
  return EXTENSION_LANGUAGES[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'plaintext';
}

export { monaco };
