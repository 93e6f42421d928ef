import { useEffect, useMemo, useState } from 'react';
import type { CodeFile, FunctionDetail } from '../../../main/contract/types';
import { codeDraft, keepCodeDraft, type CodeDocument } from '../editor/drafts';
import { LazyCodeEditor as CodeEditor } from '../editor/LazyCodeEditor';
import { useClient } from '../hooks/client-context';
import { useCall } from '../hooks/use-call';
import { useShortcut } from '../hooks/use-shortcut';
import { formatBytes } from './format';
import { ImagePanel } from './ImagePanel';
import { LayersPanel } from './LayersPanel';
import { PackagePanel } from './PackagePanel';

type Status = { kind: 'idle' } | { kind: 'busy'; message: string } | { kind: 'done'; message: string } | { kind: 'error'; message: string };

/** Renders the Code tab: the code (folder in Monaco, .zip upload or image), its sizes and its layers. */
export function CodeTab({ fn, onChanged }: { fn: FunctionDetail; onChanged: () => void }) {
  return (
    <div className="code-tab">
      {fn.codeKind === 'folder' && <FolderEditor fn={fn} />}
      {fn.codeKind === 'image' && <ImagePanel fn={fn} />}
      {(fn.codeKind === 'zip' || fn.codeKind === 'inline') && <PackageNotice fn={fn} />}
      {fn.packageType === 'Zip' && <PackagePanel fn={fn} onImported={onChanged} />}
      <LayersPanel fn={fn} onSaved={onChanged} />
    </div>
  );
}

function PackageNotice({ fn }: { fn: FunctionDetail }) {
  const descriptions: Record<string, string> = {
    zip: 'a .zip archive; the editor works on code folders, so point CodeUri at a folder to edit it here',
    inline: 'inline code (InlineCode in the template); edit it in template.yaml',
  };
  return (
    <div className="panel" data-testid="code-package-notice">
      <p>
        {fn.name}'s code is {descriptions[fn.codeKind] ?? fn.codeKind}.
      </p>
      <p className="muted small">
        Code SHA-256 {fn.codeSha256} · {formatBytes(fn.codeSize)}
      </p>
    </div>
  );
}

function FolderEditor({ fn }: { fn: FunctionDetail }) {
  const client = useClient();
  const files = useCall('code.list', { name: fn.name });
  // Null until the user opens or closes a file: then the handler's file is shownFile, as in the console.
  const draft = codeDraft(fn.name);
  const [open, setOpen] = useState<string[] | null>(draft?.open ?? null);
  const [active, setActive] = useState<string | undefined>(draft?.active);
  const [documents, setDocuments] = useState<Record<string, CodeDocument>>(draft?.documents ?? {});
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [undeployed, setUndeployed] = useState(draft?.undeployed ?? false);

  // Unsaved edits outlive this component: switching tabs or pages keeps them.
  useEffect(() => keepCodeDraft(fn.name, { open, active, documents, undeployed }), [fn.name, open, active, documents, undeployed]);

  const defaultFile = files.data ? handlerFile(fn.handler, files.data) : undefined;
  const tabs = open ?? (defaultFile ? [defaultFile] : []);
  const current = active !== undefined && tabs.includes(active) ? active : tabs[0];

  // Reads the shownFile file the first time it is shownFile; its edits then live in `documents`.
  useEffect(() => {
    if (current === undefined || documents[current]) return;
    let cancelled = false;
    client.call('code.read', { name: fn.name, path: current }).then(
      ({ content }) => {
        if (!cancelled) setDocuments((docs) => (docs[current] ? docs : { ...docs, [current]: { saved: content, current: content } }));
      },
      (error: Error) => {
        if (!cancelled) setStatus({ kind: 'error', message: error.message });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, fn.name, current, documents]);

  const openFile = (file: string): void => {
    setOpen(tabs.includes(file) ? tabs : [...tabs, file]);
    setActive(file);
  };

  const dirty = Object.entries(documents).filter(([, doc]) => doc.saved !== doc.current);

  const save = async (): Promise<boolean> => {
    if (dirty.length === 0) return true;
    setStatus({ kind: 'busy', message: 'Saving…' });
    try {
      for (const [file, doc] of dirty) {
        await client.call('code.write', { name: fn.name, path: file, content: doc.current });
        setDocuments((docs) => ({ ...docs, [file]: { saved: doc.current, current: docs[file]?.current ?? doc.current } }));
      }
      setUndeployed(true);
      setStatus({ kind: 'done', message: `Saved ${dirty.length} file${dirty.length === 1 ? '' : 's'}. Deploy to run the new code.` });
      return true;
    } catch (error) {
      setStatus({ kind: 'error', message: (error as Error).message });
      return false;
    }
  };

  const deploy = async (): Promise<void> => {
    if (!(await save())) return;
    setStatus({ kind: 'busy', message: 'Deploying…' });
    try {
      const { deployedAt } = await client.call('functions.deploy', { name: fn.name });
      setUndeployed(false);
      setStatus({
        kind: 'done',
        message: `Deployed at ${new Date(deployedAt).toLocaleTimeString()}: the next invocation runs the new code.`,
      });
    } catch (error) {
      setStatus({ kind: 'error', message: (error as Error).message });
    }
  };

  useShortcut('s', () => void save());

  const close = (file: string): void => {
    const doc = documents[file];
    if (doc && doc.saved !== doc.current && !window.confirm(`${file} has unsaved changes. Close it anyway?`)) return;
    const remaining = tabs.filter((entry) => entry !== file);
    setOpen(remaining);
    setDocuments((docs) => {
      const next = { ...docs };
      delete next[file];
      return next;
    });
    if (current === file) setActive(remaining.at(-1));
  };

  const shownFile = current;
  const activeDoc = shownFile ? documents[shownFile] : undefined;

  return (
    <div className="panel">
      <div className="toolbar">
        <h2>Code source</h2>
        <span className="spacer" />
        <span className={`status ${status.kind}`} role="status" data-testid="code-status">
          {status.kind !== 'idle' ? status.message : undeployed ? 'Changes saved, not deployed.' : ''}
        </span>
        <button
          className="button"
          onClick={() => void save()}
          disabled={dirty.length === 0 || status.kind === 'busy'}
          title="Ctrl/Cmd+S"
          data-testid="code-save"
        >
          Save
        </button>
        <button className="button primary" onClick={() => void deploy()} disabled={status.kind === 'busy'} data-testid="code-deploy">
          Deploy
        </button>
      </div>
      <div className="code-layout">
        <FileTree files={files.data ?? []} active={shownFile} onOpen={openFile} onRefresh={files.reload} />
        <div className="editor-column">
          <div className="editor-tabs" role="tablist">
            {tabs.map((file) => {
              const doc = documents[file];
              const changed = doc && doc.saved !== doc.current;
              return (
                <div
                  key={file}
                  role="tab"
                  aria-selected={file === shownFile}
                  className={file === shownFile ? 'editor-tab active' : 'editor-tab'}
                >
                  <button className="link" onClick={() => setActive(file)} data-testid={`editor-tab-${file}`}>
                    {file.split('/').pop()}
                    {changed ? ' ●' : ''}
                  </button>
                  <button className="link close" onClick={() => close(file)} aria-label={`Close ${file}`}>
                    ×
                  </button>
                </div>
              );
            })}
          </div>
          {shownFile && activeDoc ? (
            <CodeEditor
              path={`${fn.name}/${shownFile}`}
              value={activeDoc.current}
              onChange={(value) =>
                setDocuments((docs) => ({ ...docs, [shownFile]: { saved: docs[shownFile]?.saved ?? '', current: value } }))
              }
              testId="code-editor"
            />
          ) : (
            <p className="muted editor-empty">{files.loading ? 'Loading files…' : 'Open a file from the tree.'}</p>
          )}
        </div>
      </div>
    </div>
  );
}

function FileTree({
  files,
  active,
  onOpen,
  onRefresh,
}: {
  files: CodeFile[];
  active: string | undefined;
  onOpen: (file: string) => void;
  onRefresh: () => void;
}) {
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set(['node_modules']));
  const visible = useMemo(() => files.filter((file) => !ancestors(file.path).some((folder) => collapsed.has(folder))), [files, collapsed]);
  const toggle = (folder: string): void =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(folder)) next.delete(folder);
      else next.add(folder);
      return next;
    });
  return (
    <div className="file-tree" data-testid="file-tree">
      <div className="file-tree-header">
        <span>Files</span>
        <button className="link small" onClick={onRefresh} title="Read the folder again">
          Refresh
        </button>
      </div>
      <ul>
        {visible.map((file) => {
          const depth = file.path.split('/').length - 1;
          const label = file.path.split('/').pop();
          return (
            <li key={file.path} style={{ paddingLeft: 8 + depth * 14 }}>
              {file.kind === 'folder' ? (
                <button className="link folder" onClick={() => toggle(file.path)}>
                  {collapsed.has(file.path) ? '▸' : '▾'} {label}
                </button>
              ) : (
                <button
                  className={file.path === active ? 'link file active' : 'link file'}
                  onClick={() => onOpen(file.path)}
                  title={`${file.path} · ${formatBytes(file.sizeBytes)}`}
                  data-testid={`file-${file.path}`}
                >
                  {label}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function ancestors(file: string): string[] {
  const parts = file.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

/** The file the handler names (index.handler → index.js, .mjs, .py...), or the first file. */
function handlerFile(handler: string | null, files: CodeFile[]): string | undefined {
  const onlyFiles = files.filter((file) => file.kind === 'file');
  if (handler) {
    const module = handler.slice(0, handler.lastIndexOf('.'));
    const match = onlyFiles.find((file) => file.path.replace(/\.[^./]+$/, '') === module);
    if (match) return match.path;
  }
  return onlyFiles.find((file) => file.path === 'bootstrap')?.path ?? onlyFiles[0]?.path;
}
