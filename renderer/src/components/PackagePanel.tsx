import { useState, type DragEvent } from 'react';
import type { FunctionDetail } from '../../../main/contract/types';
import { useClient } from '../hooks/client-context';
import { useSubmit } from '../hooks/use-submit';
import { FieldError } from './config/GeneralForm';
import { formatBytes } from './format';

/**
 * Shows the package's sizes against Lambda's limits, and takes a .zip (dropped or chosen) as the
 * function's code, as the console's "Upload from .zip file" does.
 */
export function PackagePanel({ fn, onImported }: { fn: FunctionDetail; onImported: () => void }) {
  const client = useClient();
  const [over, setOver] = useState(false);
  const [notice, setNotice] = useState<string>();
  const { run, busy, error } = useSubmit();
  const { sizes } = fn;

  const upload = async (file: File): Promise<void> => {
    setNotice(undefined);
    const result = await run(async () => {
      if (!file.name.toLowerCase().endsWith('.zip')) throw new Error(`${file.name} is not a .zip file; drop a .zip package.`);
      if (file.size > sizes.packageLimitBytes) {
        throw new Error(
          `${file.name} is ${formatBytes(file.size)}; a .zip uploaded directly can be at most ${formatBytes(sizes.packageLimitBytes)}. Move dependencies into a layer.`,
        );
      }
      return client.call('code.importZip', { name: fn.name, zipBase64: await toBase64(file) });
    });
    if (result) {
      setNotice(`Uploaded ${file.name} (${formatBytes(result.sizeBytes)}): CodeUri is now ${result.relativePath}.`);
      onImported();
    }
  };

  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void upload(file);
  };

  return (
    <div className="panel" data-testid="package-panel">
      <h2>Package</h2>
      <div className="sizes">
        <SizeBar
          label=".zip package"
          bytes={sizes.packageBytes}
          limit={sizes.packageLimitBytes}
          note="for a direct upload"
          testId="size-package"
        />
        {sizes.unzippedBytes !== null && (
          <SizeBar
            label="Unzipped, with layers"
            bytes={sizes.unzippedBytes}
            limit={sizes.unzippedLimitBytes}
            note=""
            testId="size-unzipped"
          />
        )}
      </div>
      <label
        className={over ? 'drop-zone over' : 'drop-zone'}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="zip-drop"
      >
        <input
          type="file"
          accept=".zip,application/zip"
          hidden
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void upload(file);
            event.target.value = '';
          }}
          data-testid="zip-input"
        />
        {busy
          ? 'Uploading…'
          : 'Drop a .zip here, or click to choose one, to make it the function\u2019s code (kept as packages/' + fn.name + '.zip).'}
      </label>
      <FieldError message={error?.message} testId="zip-error" />
      {notice && (
        <p className="status done" role="status" data-testid="zip-notice">
          {notice}
        </p>
      )}
    </div>
  );
}

function SizeBar({ label, bytes, limit, note, testId }: { label: string; bytes: number; limit: number; note: string; testId: string }) {
  const share = Math.min(1, bytes / limit);
  return (
    <div className="size" data-testid={testId}>
      <span>
        {label}: <strong>{formatBytes(bytes)}</strong> of {formatBytes(limit)} {note}
      </span>
      <span className={share > 0.9 ? 'bar full' : 'bar'}>
        <span style={{ width: `${Math.max(share * 100, 0.5)}%` }} />
      </span>
    </div>
  );
}

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}
