// Benchmark (not a test): share 10 images x 20 projects on real Glance, once through the
// console in headless Chromium and once as raw HTTP with 8 calls in flight, and print shares
// per second for both. Each run starts from no members.
import { readFileSync } from 'node:fs';
import { launch, newPage, signIn } from '../lib/harness.mjs';

const seed = JSON.parse(readFileSync(process.env.OS_SEED, 'utf8'));
const CONSOLE = process.env.OS_CONSOLE;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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

// The console's policy for one call: up to two more tries on 5xx, 429 or a dropped
// connection (Glance on SQLite answers "database is locked" now and then), 0.4 s then 1.2 s.
async function send(url, init) {
  let delay = 400;
  for (let attempt = 0; ; attempt++) {
    let status;
    try { status = (await fetch(url, init)).status; } catch { status = 0; }
    if (!(status === 0 || status === 429 || status >= 500) || attempt === 2) return status;
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
    const r = await fetch(`${seed.glance}/v2/images/${i}/members`, { headers: { 'X-Auth-Token': tok, Accept: 'application/json' } });
    n += (await r.json()).members.length;
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

async function viaConsole(browser) {
  const page = await newPage(browser);
  await signIn(page, owner, '/images', CONSOLE);
  await page.getByLabel('Filter by name or ID').fill('bench-');
  await page.getByTestId('image-count').filter({ hasText: '10 shown' }).waitFor();
  await page.getByRole('button', { name: 'Select all 10 matching' }).click();
  await page.getByRole('button', { name: /Share 10 selected/ }).click();
  const form = page.getByRole('form', { name: /Share 10 image/ });
  await form.getByLabel('Project IDs to share with').fill(projects.join('\n'));
  const t0 = Date.now();
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job .*(succeeded|failed)/).waitFor({ timeout: 120000 });
  const ms = Date.now() - t0;
  await page.context().close();
  return { ms };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tok = await token();
const browser = await launch();
const rawRuns = [];
const consoleRuns = [];
for (let round = 0; round < ROUNDS; round++) {
  await clear(tok);
  const r = await raw(tok);
  const rawCount = await countMembers(tok);
  rawRuns.push(r.ms);
  await clear(tok);
  const c = await viaConsole(browser);
  const consoleCount = await countMembers(tok);
  consoleRuns.push(c.ms);
  console.log(`round ${round + 1}: raw ${r.ms.toFixed(0)} ms (${rawCount} members, ${r.failed} failed); console ${c.ms} ms (${consoleCount} members)`);
  if (rawCount !== pairs.length || consoleCount !== pairs.length) throw new Error('a run did not create every member');
}
await clear(tok);
await browser.close();
const rate = (ms) => (pairs.length / (ms / 1000)).toFixed(1);
console.log(`\nshare benchmark on real Glance: ${images.length} images x ${projects.length} projects = ${pairs.length} shares, median of ${ROUNDS} rounds`);
console.log(`  raw HTTP, 8 in parallel:         ${median(rawRuns).toFixed(0)} ms  = ${rate(median(rawRuns))} shares/s`);
console.log(`  console (headless Chromium):     ${median(consoleRuns).toFixed(0)} ms  = ${rate(median(consoleRuns))} shares/s`);
console.log(`  console / raw floor:             ${(median(rawRuns) / median(consoleRuns) * 100).toFixed(0)} %`);
