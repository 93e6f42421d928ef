// The renderer's only door to main: one call function and one event subscription, exposed
// through contextBridge. Sandboxed preloads are CommonJS and may require nothing but electron.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('workbench', {
  invoke: (channel: string, args: unknown): Promise<unknown> => ipcRenderer.invoke('workbench:call', channel, args),
  on: (listener: (event: string, payload: unknown) => void): (() => void) => {
    const handler = (_event: IpcRendererEvent, name: string, payload: unknown): void => listener(name, payload);
    ipcRenderer.on('workbench:push', handler);
    return () => ipcRenderer.removeListener('workbench:push', handler);
  },
});
