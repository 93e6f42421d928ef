import { lazy, Suspense, type ComponentProps } from 'react';

// Monaco is most of the bundle: it loads the first time an editor shows, not with the console.
const CodeEditor = lazy(() => import('./CodeEditor').then((module) => ({ default: module.CodeEditor })));

export function LazyCodeEditor(props: ComponentProps<typeof CodeEditor>) {
  return (
    <Suspense fallback={<p className="muted editor-empty">Loading the editor…</p>}>
      <CodeEditor {...props} />
    </Suspense>
  );
}
