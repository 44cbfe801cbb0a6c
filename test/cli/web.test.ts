import { spawn } from 'node:child_process';
import http from 'node:http';
import { describe, expect, test } from 'vitest';
import { CLI, runCli } from './run-cli.js';

/** `derivcheck web`: serves the built playground (npm test builds dist/web) and prints its URL. */

/** GET of a raw path (not normalised, unlike fetch's), with its status, content type and body. */
function get(url: string, rawPath: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] ?? '', body }));
      })
      .on('error', reject);
  });
}

describe('derivcheck web', () => {
  test('prints the URL of the playground and serves its files, and nothing outside them', async () => {
    const child = spawn(process.execPath, [CLI, 'web', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (found) resolve(found[0]);
        });
        child.on('exit', (code) => reject(new Error(`derivcheck web exited with ${code} before printing a URL`)));
      });
      const page = await get(url, '/');
      expect(page.status).toBe(200);
      expect(page.type).toMatch(/^text\/html/);
      expect(page.body).toContain('<script src="playground.js">');
      const script = await get(url, '/playground.js');
      expect([script.status, script.type]).toEqual([200, 'text/javascript; charset=utf-8']);
      for (const escape of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/no-such-file.js']) {
        expect((await get(url, escape)).status).toBe(404);
      }
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('a port out of range is bad input', () => {
    const result = runCli(['web', '--port', '70000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port');
  });
});
