// Benchmark (not a test): share 10 images x 20 projects on real Glance as raw HTTP with 8
// calls in flight (the floor), with openstacksdk one call after another, and through the
// console in headless Chromium, served directly (Glance over CORS, HTTP/1.1) and through the
// shipped nginx config (TLS, HTTP/2); print shares per second and the console's ratio to the
// floor. Each run starts from no members. BENCH_SETTING names Glance's token cache setting.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { launch, newPage, signIn } from '../lib/harness.mjs';

const seed = JSON.parse(readFileSync(process.env.OS_SEED, 'utf8'));
const CONSOLE = process.env.OS_CONSOLE;
const NGINX_CONSOLE = process.env.OS_NGINX_CONSOLE;
const SETTING = process.env.BENCH_SETTING ?? '';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const images = Object.entries(seed.images).filter(([n]) => n.startsWith('bench-')).map(([, id]) => id);
const projects = Array.from({ length: 20 }, (_, i) => (0xbe0000 + i).toString(16).padStart(32, '0'));
const owner = { user: 'owner', password: seed.users.owner.password, project: 'owner' };

async function token() {
  const body = { auth: { identity: { methods: ['password'], password: { user: { name: owner.user, password: owner.password, domain: { name: 'Default' } } } }, scope: { project: { name: 'owner', domain: { name: 'Default' } } } } };
  const r = await fetch(`${seed.keystone}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return r.headers.get('x-subject-token');
}

async function pool(tasks, width) {
  let next = 0;
  const worker = async () => { while (next < tasks.length) { const t = tasks[next++]; await t(); } };
  await Promise.all(Array.from({ length: width }, worker));
}

const pairs = images.flatMap((i) => projects.map((p) => [i, p]));

// A plain client's policy for one call: up to three more tries on 5xx, 429 or a dropped
// connection (Glance on SQLite answers "database is locked" now and then), after 0.4 s, 1.2 s,
// 3.6 s. The console tries as often; a call that failed while the service answered others is
// put back in its queue for 0.1 s (doubling, six times at most) while its slot sends the next; it waits as long as
// here only while the service answers nothing else (ims_api::retry).
async function send(url, init) {
  let delay = 400;
  for (let attempt = 0; ; attempt++) {
    let status;
    try { status = (await fetch(url, init)).status; } catch { status = 0; }
    if (!(status === 0 || status === 429 || status >= 500) || attempt === 3) return status;
    await new Promise((r) => setTimeout(r, delay));
    delay *= 3;
  }
}

async function clear(tok) {
  await pool(pairs.map(([i, p]) => () => send(`${seed.glance}/v2/images/${i}/members/${p}`, { method: 'DELETE', headers: { 'X-Auth-Token': tok, Accept: 'application/json' } })), 8);
}

async function countMembers(tok) {
  let n = 0;
  for (const i of images) {
    // Gunicorn may close a kept-alive connection under us: a dropped read is read again.
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await fetch(`${seed.glance}/v2/images/${i}/members`, { headers: { 'X-Auth-Token': tok, Accept: 'application/json' } });
        n += (await r.json()).members.length;
        break;
      } catch (e) {
        if (attempt === 2) throw e;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }
  return n;
}

async function raw(tok) {
  const t0 = performance.now();
  let failed = 0;
  await pool(pairs.map(([i, p]) => async () => {
    const status = await send(`${seed.glance}/v2/images/${i}/members`, { method: 'POST', headers: { 'X-Auth-Token': tok, Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify({ member: p }) });
    if (status !== 200) failed += 1;
  }), 8);
  return { ms: performance.now() - t0, failed };
}

function sdk() {
  const out = execFileSync(process.env.OS_PYTHON, ['bench/sdk-share.py', process.env.OS_SEED, ...images, '--', ...projects], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

async function viaConsole(browser, base) {
  const page = await newPage(browser);
  await signIn(page, owner, '/images', base);
  await page.getByLabel('Filter by name or ID').fill('bench-');
  await page.getByTestId('image-count').filter({ hasText: '10 shown' }).waitFor();
  await page.getByRole('button', { name: 'Select all 10 matching' }).click();
  await page.getByRole('button', { name: /Share 10 selected/ }).click();
  const form = page.getByRole('form', { name: /Share 10 image/ });
  await form.getByLabel('Project IDs to share with').fill(projects.join('\n'));
  // Timed inside the page, from the click to the frame that shows the job's notice. Waiting
  // on a locator from here would add Playwright's polling, which comes every 0.5 s after the
  // first few tries: up to half a second on top of the console's own time.
  await page.evaluate(() => {
    document.addEventListener('click', () => { window.__benchClickAt = performance.now(); }, { capture: true, once: true });
    const watch = new MutationObserver(() => {
      const notices = document.querySelector('[role=status][aria-label=Notices]');
      if (!notices || !/Share job .*(succeeded|failed)/.test(notices.textContent)) return;
      watch.disconnect();
      requestAnimationFrame(() => { window.__benchNoticeAt = performance.now(); });
    });
    watch.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job .*(succeeded|failed)/).waitFor({ timeout: 120000 });
  const at = await page.waitForFunction(() => window.__benchNoticeAt && [window.__benchClickAt, window.__benchNoticeAt]);
  const [clickAt, noticeAt] = await at.jsonValue();
  const ms = Math.round(noticeAt - clickAt);
  await page.context().close();
  return { ms };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tok = await token();
const browser = await launch();
const runs = { raw: [], sdk: [], direct: [], nginx: [] };
const check = async (name) => {
  const n = await countMembers(tok);
  if (n !== pairs.length) throw new Error(`${name}: ${n} of ${pairs.length} members`);
  return n;
};
for (let round = 0; round < ROUNDS; round++) {
  await clear(tok);
  const r = await raw(tok);
  await check('raw');
  runs.raw.push(r.ms);
  await clear(tok);
  const k = sdk();
  await check('openstacksdk');
  runs.sdk.push(k.ms);
  await clear(tok);
  const c = await viaConsole(browser, CONSOLE);
  await check('console direct');
  runs.direct.push(c.ms);
  let line = `round ${round + 1}: raw ${r.ms.toFixed(0)} ms (${r.failed} failed), openstacksdk ${k.ms.toFixed(0)} ms (${k.failed} failed), console direct ${c.ms} ms`;
  if (NGINX_CONSOLE) {
    await clear(tok);
    const n = await viaConsole(browser, NGINX_CONSOLE);
    await check('console through nginx');
    runs.nginx.push(n.ms);
    line += `, console through nginx ${n.ms} ms`;
  }
  console.log(line);
}
await clear(tok);
await browser.close();
const rate = (ms) => (pairs.length / (ms / 1000)).toFixed(1);
const floor = median(runs.raw);
const row = (label, xs) => {
  const ms = median(xs);
  return `  ${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms = ${rate(ms).padStart(5)} shares/s = ${(floor / ms).toFixed(3)}x the floor`;
};
console.log(`\nshare benchmark on real Glance${SETTING ? ` (${SETTING})` : ''}: ${images.length} images x ${projects.length} projects = ${pairs.length} shares, median of ${ROUNDS} rounds`);
console.log(row('raw HTTP, 8 in parallel (the floor)', runs.raw));
console.log(row('openstacksdk, one after another', runs.sdk));
console.log(row('console, served directly (HTTP/1.1)', runs.direct));
if (runs.nginx.length) console.log(row('console through nginx (TLS, HTTP/2)', runs.nginx));
// For `cargo xtask bench`, which sets the goals side by side: the medians, in ms.
if (process.env.BENCH_RESULT) {
  writeFileSync(process.env.BENCH_RESULT, JSON.stringify({
    floor_ms: floor, sdk_ms: median(runs.sdk), direct_ms: median(runs.direct), nginx_ms: runs.nginx.length ? median(runs.nginx) : null,
  }));
}
