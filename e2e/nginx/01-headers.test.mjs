// The shipped nginx config as a browser meets it: HTTP/2 over TLS, precompressed assets with
// the right Content-Encoding and Vary, a year of caching for hashed assets and none for the
// documents, the strict CSP and the other security headers — at the root and under /console/.
// And the upstream leg in TLS: the IAM stand-in answers only to the right SNI name and Host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import tls from 'node:tls';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const CA = readFileSync(process.env.LOCAL_CA);
const ROOT = process.env.E2E_BASE;
const SUB = process.env.NGINX_SUBPATH_BASE;
const DISTS = { [process.env.E2E_BASE]: process.env.PACKAGE_DIST, [process.env.NGINX_SUBPATH_BASE]: process.env.PACKAGE_SUBPATH_DIST };
const DIST = process.env.PACKAGE_DIST;

/** One HTTP/2 request; fails if the server does not speak HTTP/2 over TLS. */
function get(base, path, headers = {}) {
  const url = new URL(base);
  const prefix = url.pathname.replace(/\/$/, '');
  return new Promise((resolve, reject) => {
    const session = http2.connect(url.origin, { ca: CA, servername: 'localhost' });
    session.on('error', reject);
    const req = session.request({ ':path': `${prefix}${path}`, ...headers });
    const chunks = [];
    let head;
    req.on('response', (h) => { head = h; });
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { session.close(); resolve({ status: head[':status'], headers: head, body: Buffer.concat(chunks), alpn: session.alpnProtocol }); });
    req.on('error', reject);
    req.end();
  });
}

const BR = { 'accept-encoding': 'gzip, deflate, br' };
const GZIP = { 'accept-encoding': 'gzip' };

function assertStrictCsp(csp, where) {
  assert.ok(csp, `${where}: a Content-Security-Policy`);
  const d = Object.fromEntries(csp.split(';').map((x) => x.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(d['script-src'], ["'self'", "'wasm-unsafe-eval'"], `${where}: script-src`);
  assert.deepEqual(d['style-src'], ["'self'"], `${where}: style-src`);
  assert.deepEqual(d['connect-src'], ["'self'"], `${where}: connect-src (the APIs are proxied)`);
  assert.deepEqual(d['frame-ancestors'], ["'none'"], `${where}: frame-ancestors`);
  assert.deepEqual(d['base-uri'], ["'self'"], `${where}: base-uri`);
  assert.deepEqual(d['object-src'], ["'none'"], `${where}: object-src`);
  assert.ok(!csp.includes("'unsafe-inline'") && !csp.includes("'unsafe-eval'"), `${where}: nothing unsafe`);
}

function assertSecurityHeaders(h, where) {
  assert.equal(h['x-content-type-options'], 'nosniff', `${where}: nosniff`);
  assert.equal(h['referrer-policy'], 'no-referrer', `${where}: referrer policy`);
  assert.match(h['strict-transport-security'] ?? '', /max-age=\d{7,}/, `${where}: HSTS`);
}

/** The hashed assets index.html loads: boot script, glue JS, wasm, stylesheet. */
function assetsOf(html, prefix) {
  const refs = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]).filter((u) => /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/.test(u));
  const unique = [...new Set(refs)];
  for (const u of unique) assert.ok(u.startsWith(`${prefix}/`), `${u} is under ${prefix}/`);
  return unique.map((u) => u.slice(prefix.length));
}

for (const [name, base] of [['root', ROOT], ['sub-path /console/', SUB]]) {
  const prefix = new URL(base).pathname.replace(/\/$/, '');

  test(`${name}: index.html over HTTP/2, brotli, never cached, under the strict CSP with the security headers`, async () => {
    for (const path of ['/', '/images', '/shared']) {
      const r = await get(base, path, BR);
      assert.equal(r.alpn, 'h2');
      assert.equal(r.status, 200, `${path}`);
      assert.match(r.headers['content-type'], /^text\/html/);
      assert.equal(r.headers['content-encoding'], 'br', `${path} precompressed`);
      assert.match(r.headers.vary ?? '', /Accept-Encoding/i);
      assert.equal(r.headers['cache-control'], 'no-store', `${path} never cached`);
      assertStrictCsp(r.headers['content-security-policy'], `${name} ${path}`);
      assert.equal(r.headers['x-frame-options'], 'DENY', `${name} ${path}: no portal allowed, so X-Frame-Options DENY beside frame-ancestors 'none'`);
      assertSecurityHeaders(r.headers, `${name} ${path}`);
    }
    const plain = await get(base, '/');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.doesNotMatch(plain.body.toString(), /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(plain.body.toString(), /\sstyle=|\son[a-z]+=/, 'no inline style or handler');
  });

  test(`${name}: hashed assets are precompressed (br, gzip) and cached for a year`, async () => {
    const html = (await get(base, '/')).body.toString();
    const assets = assetsOf(html, prefix);
    assert.equal(assets.filter((a) => a.endsWith('.wasm')).length, 1, 'the wasm');
    assert.ok(assets.some((a) => /\/boot-[0-9a-f]{16}\.js$/.test(a)), 'the boot script');
    assert.ok(assets.some((a) => a.endsWith('.css')), 'the stylesheet');
    for (const a of assets) {
      const br = await get(base, a, BR);
      assert.equal(br.status, 200, a);
      assert.equal(br.headers['content-encoding'], 'br', `${a} brotli`);
      assert.match(br.headers.vary ?? '', /Accept-Encoding/i, `${a} vary`);
      assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable', `${a} cached`);
      assertSecurityHeaders(br.headers, a);
      assert.equal(br.headers['content-security-policy'], undefined, `${a}: the CSP is for documents`);
      const gz = await get(base, a, GZIP);
      assert.equal(gz.headers['content-encoding'], 'gzip', `${a} gzip`);
      const raw = await get(base, a);
      assert.equal(raw.headers['content-encoding'], undefined, `${a} plain`);
      assert.equal(raw.body.length, statSync(join(DISTS[base], a)).size, `${a} plain is the file`);
      if (a.endsWith('.wasm')) assert.equal(raw.headers['content-type'], 'application/wasm');
    }
  });

  test(`${name}: config.json is never cached nor served from a stale precompressed copy`, async () => {
    const r = await get(base, '/config.json', BR);
    assert.equal(r.status, 200);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers['content-encoding'], undefined);
    assert.equal(JSON.parse(r.body.toString()).ims_url, '/');
  });
}

test('the first load on the wire, through nginx with brotli', async () => {
  const html = await get(ROOT, '/', BR);
  let total = Number(html.headers['content-length'] ?? html.body.length);
  const rows = [['index.html', total]];
  for (const a of assetsOf((await get(ROOT, '/')).body.toString(), '')) {
    const r = await get(ROOT, a, BR);
    const n = Number(r.headers['content-length'] ?? r.body.length);
    rows.push([a, n]);
    total += n;
  }
  const raw = rows.reduce((s, [a]) => s + (a === 'index.html' ? statSync(join(DIST, 'index.html')).size : statSync(join(DIST, a)).size), 0);
  console.log(`# first load through nginx: ${total} bytes brotli (${rows.map(([a, n]) => `${a.replace(/^\//, '')} ${n}`).join(', ')}), ${raw} bytes uncompressed`);
  assert.ok(total < raw / 2, 'compressed on the wire');
});

test('the API goes through: IAM over TLS with the right SNI name, no CSP on JSON, and no answer is stored', async () => {
  const r = await get(ROOT, '/v3/auth/tokens', { accept: 'application/json' });
  assert.equal(r.status, 401, 'IAM answers for itself (no token)');
  assert.match(r.headers['x-upstream-tls'] ?? '', /^TLSv1\.[23] localhost$/, 'the IAM leg ran TLS with SNI localhost');
  assert.equal(r.headers['content-security-policy'], undefined);
  assert.equal(r.headers['x-frame-options'], undefined, 'framing headers are for documents');
  for (const path of ['/v3/auth/tokens', '/v2/images', '/v2/cloudimages', '/v1/cloudimages/quota']) {
    const a = await get(ROOT, path, { accept: 'application/json' });
    assert.equal(a.status, 401, `${path}: the service answers for itself (no token)`);
    assert.equal(a.headers['cache-control'], 'no-store', `${path}: an API answer is never stored by the browser`);
  }
});

test('the TLS stand-in for IAM refuses another SNI name and another Host, so the leg above proves both', async () => {
  const front = new URL(process.env.TLS_FRONT_BASE);
  const handshake = (servername) => new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: Number(front.port), servername, ca: CA }, () => { s.end(); resolve('ok'); });
    s.on('error', (e) => resolve(e.code ?? e.message));
  });
  assert.equal(await handshake('localhost'), 'ok');
  assert.notEqual(await handshake('wrong.example'), 'ok');
  const wrongHost = await new Promise((resolve, reject) => {
    const session = http2.connect(front.origin, { ca: CA });
    session.on('error', reject);
    const req = session.request({ ':path': '/v3', ':authority': 'other.example' });
    req.on('response', (h) => { session.close(); resolve(h[':status']); });
    req.on('error', reject);
    req.end();
  }).catch((e) => e.message);
  assert.notEqual(wrongHost, 200);
});
