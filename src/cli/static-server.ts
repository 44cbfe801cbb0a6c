/**
 * A static file server for `derivcheck web`: GET and HEAD of the files under one folder. A path that
 * leads outside the folder (`..`, encoded or not) is 404, like a file that is not there.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The file a request path names inside `root`, or undefined when it names nothing there. */
async function fileFor(root: string, urlPath: string): Promise<string | undefined> {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return undefined;
  }
  const file = path.resolve(root, `.${relative.endsWith('/') ? `${relative}index.html` : relative}`);
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (info?.isFile()) return file;
  if (info?.isDirectory()) return fileFor(root, `${relative}/`);
  return undefined;
}

/** Serves `dir` on host:port (port 0: any free port) and resolves once it listens. */
export function serveDirectory(dir: string, host: string, port: number): Promise<StaticServer> {
  const root = path.resolve(dir);
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    void fileFor(root, request.url ?? '/').then((file) => {
      if (!file) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({ url: `http://${shown}:${bound}/`, close: () =>
          new Promise((done) => {
            server.close(() => done());
            // Browsers keep connections open; close would wait for them.
            server.closeAllConnections();
          }),
      });
    });
  });
}
