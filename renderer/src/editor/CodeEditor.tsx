import { useEffect, useEffectEvent, useRef } from 'react';
import { languageOf, monaco } from './monaco';

interface Props {
  /** Identifies the document: each path keeps its own model, so undo history survives tab switches. */
  path: string;
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
  language?: string;
  testId?: string;
}

const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');

function applyTheme(): void {
  monaco.editor.setTheme(darkScheme.matches ? 'vs-dark' : 'vs');
}

/** Shows one document at a time in a Monaco editor whose theme follows the system's. */
export function CodeEditor({ path, value, onChange, readOnly = false, language, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor>(null);
  const emitChange = useEffectEvent(onChange);

  useEffect(() => {
    applyTheme();
    darkScheme.addEventListener('change', applyTheme);
    const instance = monaco.editor.create(host.current!, {
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
    });
    const subscription = instance.onDidChangeModelContent(() => emitChange(instance.getValue()));
    editor.current = instance;
    return () => {
      darkScheme.removeEventListener('change', applyTheme);
      subscription.dispose();
      instance.dispose();
      editor.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = editor.current!;
    const uri = monaco.Uri.from({ scheme: 'workbench', path: path.startsWith('/') ? path : `/${path}` });
    let model = monaco.editor.getModel(uri);
    if (!model) model = monaco.editor.createModel(value, language ?? languageOf(path), uri);
    else if (model.getValue() !== value) model.setValue(value);
    if (instance.getModel() !== model) instance.setModel(model);
    instance.updateOptions({ readOnly });
    // `value` seeds the model; later keystrokes live in the model itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, readOnly, language]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (model && model.getValue() !== value) model.setValue(value);
  }, [value]);

  return <div className="code-editor" ref={host} data-testid={testId} />;
}

/** Drops the editor's model of a document that is closed for good. */
export function forgetDocument(path: string): void {
  monaco.editor.getModel(monaco.Uri.from({ scheme: 'workbench', path: path.startsWith('/') ? path : `/${path}` }))?.dispose();
}
