import { get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { IMMUTABLE, REVALIDATE, serveWeb } from './serve-web';

/** A GET whose body stays as sent on the wire (supertest would decode gzip itself). */
function getRaw(server: Server, path: string, acceptEncoding: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('serveWeb: the built web app, pre-compressed and cached', () => {
  const dist = mkdtempSync(join(tmpdir(), 'kept-web-dist-'));
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;
  const app = express();
  let server: Server;

  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Kept</title><div id="root"></div>');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dist, 'assets/index-AbC123.js'), script);
    writeFileSync(join(dist, 'assets/index-AbC123.js.br'), brotliCompressSync(script));
    writeFileSync(join(dist, 'assets/index-AbC123.js.gz'), gzipSync(script));
    // A small file Vite left uncompressed (under its threshold).
    writeFileSync(join(dist, 'assets/tiny-Zz9.css'), 'a{color:red}');
    expect(serveWeb(app, dist)).toBe(true);
    app.use((_req, res) => res.status(404).json({ status: 404 }));
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dist, { recursive: true, force: true });
  });

  it('sends brotli to a browser that accepts it, as JavaScript, immutable for a year', async () => {
    const res = await getRaw(server, '/assets/index-AbC123.js', 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
    // Smaller on the wire than the file, and exactly the file once decoded.
    expect((res.body).length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
  });

  it('falls back to gzip, then to the plain file', async () => {
    const gz = await getRaw(server, '/assets/index-AbC123.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);
    expect(gz.headers['cache-control']).toBe(IMMUTABLE);

    const plain = await getRaw(server, '/assets/index-AbC123.js', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((plain.body).toString()).toBe(script);

    const tiny = await getRaw(server, '/assets/tiny-Zz9.css', 'br, gzip');
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('revalidates index.html and the other unhashed files, and answers SPA routes with index.html', async () => {
    for (const path of ['/', '/board', '/cases/123']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe(REVALIDATE);
    }
    const icon = await request(app).get('/favicon.svg');
    expect(icon.headers['cache-control']).toBe(REVALIDATE);
    // The status page's capability URL is never cached nor indexed.
    const status = await request(app).get('/s/some-token');
    expect(status.headers['cache-control']).toBe('no-store');
    expect(status.headers['x-robots-tag']).toBe('noindex, nofollow');
  });

  it('leaves /api/ and missing hashed assets to the next handler (no HTML under a script URL)', async () => {
    expect((await request(app).get('/api/v1/nothing')).status).toBe(404);
    const missing = await request(app).get('/assets/gone-123.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/json/);
  });

  it('serves nothing without a build', () => {
    const other = express();
    expect(serveWeb(other, join(dist, 'nowhere'))).toBe(false);
  });
});
