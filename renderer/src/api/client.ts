import type {
  ChannelArgs,
  ChannelName,
  ChannelResult,
  ContractError,
  Envelope,
  PushEventName,
  PushEvents,
} from '../../../main/contract/channels';

/** The one interface the renderer uses to reach main, over Electron IPC or the browser bridge. */
export interface WorkbenchClient {
  call<K extends ChannelName>(channel: K, args: ChannelArgs<K>): Promise<ChannelResult<K>>;
  on<K extends PushEventName>(event: K, listener: (payload: PushEvents[K]) => void): () => void;
}

/** A failure from main, with the contract's code and, for bad input, the field at fault. */
export class WorkbenchCallError extends Error {
  readonly code: string;
  readonly source: ContractError['source'];
  readonly field: string | undefined;

  constructor(error: ContractError) {
    super(error.message);
    this.name = 'WorkbenchCallError';
    this.code = error.code;
    this.source = error.source;
    this.field = error.field;
  }
}

/** The API that the Electron preload exposes as window.workbench. */
interface PreloadBridge {
  invoke(channel: string, args: unknown): Promise<Envelope<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    workbench?: PreloadBridge;
  }
}

type Listeners = Map<string, Set<(payload: never) => void>>;

function unwrap<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new WorkbenchCallError(envelope.error);
  return envelope.result as T;
}

function dispatch(listeners: Listeners, event: string, payload: unknown): void {
  for (const listener of listeners.get(event) ?? []) (listener as (value: unknown) => void)(payload);
}

function subscribe(listeners: Listeners, event: string, listener: (payload: never) => void): () => void {
  if (!listeners.has(event)) listeners.set(event, new Set());
  listeners.get(event)!.add(listener);
  return () => listeners.get(event)?.delete(listener);
}

function electronClient(bridge: PreloadBridge): WorkbenchClient {
  const listeners: Listeners = new Map();
  bridge.on((event, payload) => dispatch(listeners, event, payload));
  return {
    async call(channel, args) {
      return unwrap(await bridge.invoke(channel, args));
    },
    on(event, listener) {
      return subscribe(listeners, event, listener as (payload: never) => void);
    },
  };
}

/**
 * Browser mode: calls go to /api/call/<channel> with the per-start token, push events come over a
 * WebSocket that reconnects if the server restarts.
 */
function bridgeClient(token: string): WorkbenchClient {
  const listeners: Listeners = new Map();
  const connect = (): void => {
    const socket = new WebSocket(`ws://${location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onopen = () => dispatch(listeners, 'connection', { connected: true });
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown };
      dispatch(listeners, event, payload);
    };
    socket.onclose = () => {
      dispatch(listeners, 'connection', { connected: false });
      setTimeout(connect, 1_000);
    };
  };
  connect();
  return {
    async call(channel, args) {
      const response = await fetch(`/api/call/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Workbench-Token': token },
        body: JSON.stringify(args),
      });
      if (!response.ok) {
        throw new WorkbenchCallError({ code: `Http${response.status}`, source: 'platform', message: await response.text() });
      }
      return unwrap(await response.json());
    },
    on(event, listener) {
      return subscribe(listeners, event, listener as (payload: never) => void);
    },
  };
}

/** Reads the browser mode token from the address (#token=...) once, then keeps it for the tab. */
function browserToken(): string | undefined {
  const match = /token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('workbench-token', match[1]!);
    history.replaceState(
      null,
      '',
      location.pathname + location.search + location.hash.replace(/token=[A-Za-z0-9_-]+&?/, '').replace(/^#$/, ''),
    );
  }
  return sessionStorage.getItem('workbench-token') ?? undefined;
}

export function createClient(): WorkbenchClient {
  if (window.workbench) return electronClient(window.workbench);
  const token = browserToken();
  if (!token) throw new Error('No workbench token: open the address that `lambda-workbench ui` printed.');
  return bridgeClient(token);
}
