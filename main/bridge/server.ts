import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WorkbenchApp } from '../app/app.js';
import type { Logger } from '../logging.js';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};
// A 50 MB .zip imported from the Code tab arrives base64-encoded in JSON: about 70 MB.
const MAX_REQUEST_BYTES = 72 * 1024 * 1024;

/**
 * Browser mode: the console's renderer and its API over HTTP and WebSocket on 127.0.0.1. Every
 * API call must carry the per-start token, and requests whose Host or Origin is not this server
 * are refused, so that no other web page (or a rebound DNS name) can drive the workbench.
 */
export class BridgeServer {
  readonly token = randomBytes(24).toString('base64url');
  private readonly sockets = new Set<WebSocket>();
  private server: http.Server | undefined;
  private port = 0;

  constructor(
    private readonly app: WorkbenchApp,
    private readonly rendererDir: string,
    private readonly logger: Logger,
  ) {}

  /** The address to open, with the token in the fragment (never sent to the server or in a Referer). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/#token=${this.token}`;
  }

  async listen(port: number): Promise<void> {
    const wss = new WebSocketServer({ noServer: true });
    const server = http.createServer((request, response) => void this.handle(request, response));
    server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== '/api/events' || !this.sameOrigin(request) || !this.tokenMatches(url.searchParams.get('token'))) {
        socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        this.sockets.add(ws);
        ws.on('close', () => this.sockets.delete(ws));
      });
    });
    this.app.on('push', (event, payload) => {
      const message = JSON.stringify({ event, payload });
      for (const socket of this.sockets) socket.send(message);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get listeningPort(): number {
    return this.port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!this.sameOrigin(request)) {
      this.reject(response, 403, 'This server answers only pages it served itself (Host or Origin differs).');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      await this.handleApi(request, response, url);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      this.reject(response, 405, `${request.method} is not allowed here.`);
      return;
    }
    this.serveStatic(url.pathname, response);
  }

  private async handleApi(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> {
    const header = request.headers['x-workbench-token'];
    if (!this.tokenMatches(Array.isArray(header) ? header[0] : header)) {
      this.reject(response, 401, 'The workbench token is missing or wrong; open the address that `lambda-workbench ui` printed.');
      return;
    }
    const match = /^\/api\/call\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (request.method !== 'POST' || !match) {
      this.reject(response, 404, `${request.method} ${url.pathname} is not an API of the workbench.`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(request)).toString('utf8') || '{}');
    } catch (error) {
      this.reject(response, 400, `The request body is not JSON: ${(error as Error).message}`);
      return;
    }
    const envelope = await this.app.call(match[1]!, body);
    const text = JSON.stringify(envelope);
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    response.end(text);
  }

  private serveStatic(pathname: string, response: http.ServerResponse): void {
    const relative = decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html';
    let file = path.resolve(this.rendererDir, relative);
    if (!file.startsWith(this.rendererDir + path.sep)) {
      this.reject(response, 404, 'Not found.');
      return;
    }
    const missing = !existsSync(file) || !statSync(file).isFile();
    // A missing bundle file is an error (the console was rebuilt since the page loaded); other
    // unknown paths are routes of the single-page console and get index.html.
    if (missing && relative.startsWith('assets/')) {
      this.reject(response, 404, `${relative} is not part of this build of the console; reload the page.`);
      return;
    }
    if (missing) file = path.join(this.rendererDir, 'index.html');
    if (!existsSync(file)) {
      this.reject(response, 500, 'The console is not built; run npm run build.');
      return;
    }
    const content = readFileSync(file);
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': content.length,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    response.end(content);
  }

  /** Host must name this server; Origin, when the browser sends one, too. */
  private sameOrigin(request: http.IncomingMessage): boolean {
    const own = [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
    if (!own.includes(request.headers.host ?? '')) return false;
    const origin = request.headers.origin;
    return origin === undefined || own.some((host) => origin === `http://${host}`);
  }

  private tokenMatches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const expected = Buffer.from(this.token);
    const actual = Buffer.from(candidate);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private reject(response: http.ServerResponse, status: number, message: string): void {
    this.logger.debug({ status }, message);
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(message);
  }
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error(`the body is over ${MAX_REQUEST_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
