import { useCallback, useState } from 'react';
import { WorkbenchCallError } from '../api/client';

export interface SubmitError {
  /** The field main named, when the input was at fault. */
  field: string | undefined;
  message: string;
}

/** Runs one action at a time, keeping its busy state and its error for display beside the form. */
export function useSubmit(): {
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
  busy: boolean;
  error: SubmitError | undefined;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SubmitError>();
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (failure) {
      setError({ field: failure instanceof WorkbenchCallError ? failure.field : undefined, message: (failure as Error).message });
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(undefined), []);
  return { run, busy, error, clear };
}
