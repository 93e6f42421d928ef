/**
 * The desktop app: one window showing the console, and an engine process per open workspace.
 * The window runs sandboxed with context isolation and no Node.js. It loads only the bundled
 * console from the workbench:// scheme, under a strict Content-Security-Policy, and cannot
 * navigate elsewhere or open windows. Every IPC call is checked against the contract's schemas
 * before it reaches the engine.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, screen, type IpcMainInvokeEvent } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../bridge/content-security-policy.js';
import { dataRoot } from '../config/paths.js';
import { packageRoot } from '../config/package-root.js';
import { CHANNEL_SCHEMAS } from '../contract/schemas.js';
import { DesktopStateFile, isVisibleOn } from './desktop-state.js';
import { EngineHost } from './engine-host.js';
import { buildMenu } from './menu.js';

const SCHEME = 'workbench';
const ORIGIN = `${SCHEME}://app`;
const root = packageRoot();
const rendererDir = path.join(root, 'dist', 'renderer');
const state = new DesktopStateFile(path.join(dataRoot(), 'desktop.json'));

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let window: BrowserWindow | undefined;
let host: EngineHost | undefined;

function templateFromArguments(): string | undefined {
  const index = process.argv.indexOf('--template');
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  return value && existsSync(value) ? path.resolve(value) : undefined;
}

async function chooseTemplate(): Promise<string | undefined> {
  const result = await dialog.showOpenDialog({
    title: 'Open a SAM workspace',
    properties: ['openFile'],
    filters: [{ name: 'SAM template', extensions: ['yaml', 'yml'] }],
  });
  return result.canceled ? undefined : result.filePaths[0];
}

async function openWorkspace(templatePath: string): Promise<void> {
  await host?.stop();
  const nodePath = process.env.LAMBDA_WORKBENCH_NODE ?? 'node';
  host = new EngineHost({ hostScript: path.join(root, 'dist', 'main', 'app', 'host.js'), nodePath, template: templatePath, port: 3001 });
  host.on('push', (event, payload) => window?.webContents.send('workbench:push', event, payload));
  host.on(
    'failed',
    (message) => void dialog.showMessageBox({ type: 'error', message: 'The workspace could not be opened', detail: message }),
  );
  state.addRecent(templatePath);
  app.addRecentDocument(templatePath);
  refreshMenu();
  window?.setTitle(`${path.basename(path.dirname(templatePath))} – Lambda Workbench`);
  await window?.loadURL(`${ORIGIN}/index.html`);
}

function refreshMenu(): void {
  Menu.setApplicationMenu(
    buildMenu({
      recent: state.recent(),
      open: async () => {
        const chosen = await chooseTemplate();
        if (chosen) await openWorkspace(chosen);
      },
      openRecent: (file) => void openWorkspace(file),
      clearRecent: () => {
        state.clearRecent();
        app.clearRecentDocuments();
        refreshMenu();
      },
    }),
  );
}

/** Serves the bundled console; nothing outside dist/renderer can be read. */
function serveRenderer(): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = path.resolve(rendererDir, decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html');
    if (url.host !== 'app' || !file.startsWith(rendererDir + path.sep) || !existsSync(file))
      return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** Only the console's own page may call the engine, and only with arguments its schema accepts. */
function handleCalls(): void {
  ipcMain.handle('workbench:call', async (event: IpcMainInvokeEvent, channel: unknown, args: unknown) => {
    if (!event.senderFrame || new URL(event.senderFrame.url).origin !== ORIGIN) {
      return { ok: false, error: { code: 'Forbidden', source: 'caller', message: 'Calls are accepted only from the console.' } };
    }
    if (typeof channel !== 'string' || !Object.hasOwn(CHANNEL_SCHEMAS, channel)) {
      return {
        ok: false,
        error: { code: 'UnknownChannel', source: 'caller', message: `${String(channel)} is not a channel of the workbench.` },
      };
    }
    const parsed = CHANNEL_SCHEMAS[channel as keyof typeof CHANNEL_SCHEMAS].safeParse(args ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return {
        ok: false,
        error: {
          code: 'InvalidInput',
          source: 'caller',
          message: `${issue.path.join('.') || 'The request'} ${issue.message}.`,
          field: issue.path.join('.'),
        },
      };
    }
    if (!host)
      return {
        ok: false,
        error: { code: 'NoWorkspace', source: 'caller', message: 'No workspace is open: choose File › Open Workspace.' },
      };
    return host.call(channel, parsed.data);
  });
}

function lockDown(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (navigation) => {
      if (new URL(navigation.url).origin !== ORIGIN) navigation.preventDefault();
    });
    contents.on('will-attach-webview', (attach) => attach.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function createWindow(): BrowserWindow {
  const saved = state.windowBounds();
  const visible =
    saved &&
    isVisibleOn(
      saved,
      screen.getAllDisplays().map((display) => display.workArea),
    );
  const created = new BrowserWindow({
    width: visible ? saved.width : 1400,
    height: visible ? saved.height : 900,
    ...(visible ? { x: saved.x, y: saved.y } : {}),
    title: 'Lambda Workbench',
    show: false,
    webPreferences: {
      preload: path.join(root, 'dist', 'main', 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // No permission (camera, notifications, geolocation...) is ever granted.
  created.webContents.session.setPermissionRequestHandler((_contents, _permission, done) => done(false));
  if (visible && saved.maximized) created.maximize();
  created.once('ready-to-show', () => created.show());
  const remember = (): void => {
    if (created.isDestroyed() || created.isMinimized()) return;
    const bounds = created.getNormalBounds();
    state.setWindowBounds({ ...bounds, maximized: created.isMaximized() });
  };
  created.on('close', remember);
  return created;
}

lockDown();
app.whenReady().then(async () => {
  serveRenderer();
  handleCalls();
  refreshMenu();
  window = createWindow();
  window.on('closed', () => (window = undefined));
  const template = templateFromArguments() ?? state.recent()[0] ?? (await chooseTemplate());
  if (!template) {
    app.quit();
    return;
  }
  await openWorkspace(template);
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!host) return;
  // Stop the containers before the app goes.
  event.preventDefault();
  const stopping = host;
  host = undefined;
  void stopping.stop().finally(() => app.quit());
});
