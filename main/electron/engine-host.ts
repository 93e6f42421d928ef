import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Envelope } from '../contract/channels.js';

export interface EngineHostEvents {
  push: [string, unknown];
  ready: [string];
  failed: [string];
  exit: [number | null];
}

type Outgoing =
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'push'; event: string; payload: unknown }
  | { type: 'ready'; endpoint: string }
  | { type: 'failed'; message: string };

/**
 * The engine process of one workspace (main/app/host.ts), run with the system's Node.js. Calls
 * cross the IPC channel. If the process ends, pending calls fail with EngineStopped and its exit code.
 */
export class EngineHost extends EventEmitter<EngineHostEvents> {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  private nextId = 1;

  constructor(options: { hostScript: string; nodePath: string; template: string; port: number }) {
    super();
    this.child = fork(options.hostScript, [JSON.stringify({ template: path.resolve(options.template), port: options.port })], {
      execPath: options.nodePath,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Electron sets this for its own children; the host must run as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
    });
    this.child.on('message', (message: Outgoing) => {
      if (message.type === 'result') {
        this.pending.get(message.id)?.(message.envelope);
        this.pending.delete(message.id);
      } else if (message.type === 'push') this.emit('push', message.event, message.payload);
      else if (message.type === 'ready') this.emit('ready', message.endpoint);
      else if (message.type === 'failed') this.emit('failed', message.message);
    });
    this.child.on('exit', (code) => {
      for (const resolve of this.pending.values()) {
        resolve({
          ok: false,
          error: {
            code: 'EngineStopped',
            source: 'platform',
            message: `The workbench's engine process ended (exit code ${code}); reopen the workspace.`,
          },
        });
      }
      this.pending.clear();
      this.emit('exit', code);
    });
  }

  call(channel: string, args: unknown): Promise<Envelope<unknown>> {
    if (!this.child.connected) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'EngineStopped',
          source: 'platform',
          message: "The workbench's engine process is not running; reopen the workspace.",
        },
      });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, channel, args });
    });
  }

  /** Asks the engine to stop its containers and waits for it to exit. */
  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGTERM'), 15_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.child.connected) this.child.disconnect();
      else this.child.kill('SIGTERM');
    });
  }
}
