// `cargo xtask nginx` as a user runs it: it serves, turns an unreachable service into a JSON
// 502 the console can word, and on SIGTERM stops with no nginx process left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http2 from 'node:http2';

const PORT = process.env.STOP_TEST_PORT;
const CA = readFileSync(process.env.LOCAL_CA);


function h2get(path) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${PORT}`, { ca: CA, servername: 'localhost' });
    session.on('error', reject);
    const req = session.request({ ':path': path, accept: 'application/json' });
    let status;
    const chunks = [];
    req.on('response', (h) => { status = h[':status']; });
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { session.close(); resolve({ status, body: Buffer.concat(chunks).toString() }); });
    req.on('error', reject);
    req.end();
  });
}

test('an unreachable service gives a JSON 502; SIGTERM stops nginx and all its workers', async (t) => {
  const child = spawn(process.env.XTASK_BIN, ['nginx', '--iam', process.env.SANDBOX_BASE, '--ims', 'http://127.0.0.1:9', '--port', PORT, '--dist', process.env.PACKAGE_DIST], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { out += c; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // Whatever fails below, the server does not outlive the test.
  t.after(() => { if (child.exitCode === null) child.kill('SIGTERM'); });
  // Ready when it says so (it prints after nginx has started).
  await new Promise((resolve, reject) => {
    const poll = setInterval(() => { if (out.includes('through nginx')) { clearInterval(poll); resolve(); } }, 50);
    exited.then((e) => { clearInterval(poll); reject(new Error(`xtask nginx ended early: ${JSON.stringify(e)}\n${out}`)); });
  });
  let r;
  for (let i = 0; i < 100; i++) {
    r = await h2get('/v2/images').catch(() => null);
    if (r) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(r.status, 502);
  assert.equal(JSON.parse(r.body).error.code, 'PROXY.0502');
  const iam = await h2get('/v3/auth/tokens');
  assert.equal(iam.status, 401, 'the other upstream answers meanwhile');

  const mark = `target/nginx/${PORT}/`;
  const running = () => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(mark)) return true;
      // Workers show only "nginx: worker process": match them by their parent, the master.
      const ppid = readFileSync(`/proc/${pid}/status`, 'utf8').match(/PPid:\s+(\d+)/)?.[1];
      return cmd.startsWith('nginx: worker') && readFileSync(`/proc/${ppid}/cmdline`, 'utf8').includes(mark);
    } catch { return false; }
  });
  const before = running();
  assert.ok(before.length >= 3, `a master and its two workers run: ${before}`);
  child.kill('SIGTERM');
  const end = await exited;
  assert.equal(end.code, 0, `clean exit\n${out}`);
  const alive = (pid) => { try { return !readFileSync(`/proc/${pid}/stat`, 'utf8').match(/\) Z /); } catch { return false; } };
  assert.deepEqual(before.filter(alive), [], 'none of its nginx processes is left');
  assert.deepEqual(running(), [], 'and no other');
});
