import { useCallback, useEffect, useState } from 'react';
import type { ChannelArgs, ChannelName, ChannelResult, PushEventName } from '../../../main/contract/channels';
import { useClient } from './client-context';

export interface CallState<T> {
  /** The latest result; while a new call runs, the previous one stays shown. */
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  key: string;
  data: T | undefined;
  error: Error | undefined;
}

/**
 * Calls a channel, and calls it again when its arguments change or when one of the given push
 * events arrives (for example when the template changes on disk).
 */
export function useCall<K extends ChannelName>(
  channel: K,
  args: ChannelArgs<K> | null,
  refreshOn: PushEventName[] = [],
): CallState<ChannelResult<K>> {
  const client = useClient();
  const [generation, setGeneration] = useState(0);
  const [settled, setSettled] = useState<Settled<ChannelResult<K>>>({ key: '', data: undefined, error: undefined });
  // Callers rebuild `args` on every render; its JSON stands for it.
  const argsKey = JSON.stringify(args);
  const key = `${channel} ${argsKey} ${generation}`;

  useEffect(() => {
    if (argsKey === 'null') return;
    let current = true;
    client.call(channel, JSON.parse(argsKey) as ChannelArgs<K>).then(
      (result) => current && setSettled({ key, data: result, error: undefined }),
      (failure: Error) => current && setSettled((previous) => ({ key, data: previous.data, error: failure })),
    );
    return () => {
      current = false;
    };
  }, [client, channel, argsKey, key]);

  const events = refreshOn.join(',');
  useEffect(() => {
    const unsubscribe = events
      .split(',')
      .filter(Boolean)
      .map((event) => client.on(event as PushEventName, () => setGeneration((value) => value + 1)));
    return () => unsubscribe.forEach((stop) => stop());
  }, [client, events]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data: settled.data, error: settled.error, loading: settled.key !== key, reload };
}
