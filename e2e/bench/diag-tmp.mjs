import { readFileSync } from 'node:fs';
import { launch, newPage, signIn } from '../lib/harness.mjs';
const seed = JSON.parse(readFileSync(process.env.OS_SEED, 'utf8'));
const CONSOLE = process.env.OS_CONSOLE;
const images = Object.entries(seed.images).filter(([n]) => n.startsWith('bench-')).map(([, id]) => id);
const projects = Array.from({ length: 20 }, (_, i) => (0xbe0000 + i).toString(16).padStart(32, '0'));
const owner = { user: 'owner', password: seed.users.owner.password, project: 'owner' };
async function token() {
  const body = { auth: { identity: { methods: ['password'], password: { user: { name: owner.user, password: owner.password, domain: { name: 'Default' } } } }, scope: { project: { name: 'owner', domain: { name: 'Default' } } } } };
  const r = await fetch(`${seed.keystone}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return r.headers.get('x-subject-token');
}
const tok = await token();
async function clear() {
  const ps = images.flatMap((i) => projects.map((p) => [i, p]));
  let k = 0;
  await Promise.all(Array.from({ length: 4 }, async () => { while (k < ps.length) { const [i, p] = ps[k++]; for (let a = 0; a < 5; a++) { const s = (await fetch(`${seed.glance}/v2/images/${i}/members/${p}`, { method: 'DELETE', headers: { 'X-Auth-Token': tok } })).status; if (s < 500) break; await new Promise((r) => setTimeout(r, 200)); } } }));
}
const browser = await launch();
for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
  await clear();
  const page = await newPage(browser);
  await page.addInitScript(() => {
    const orig = window.fetch; window.__log = []; window.__lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
    window.fetch = async (input, init) => {
      const rec = { t0: performance.now(), m: (init && init.method) || input.method || 'GET', u: String(input.url ?? input) }; window.__log.push(rec);
      try { const r = await orig(input, init); rec.t1 = performance.now(); rec.s = r.status; return r; } catch (e) { rec.t1 = performance.now(); rec.s = 0; throw e; }
    };
  });
  await signIn(page, owner, '/images', CONSOLE);
  await page.getByLabel('Filter by name or ID').fill('bench-');
  await page.getByTestId('image-count').filter({ hasText: '10 shown' }).waitFor();
  await page.getByRole('button', { name: 'Select all 10 matching' }).click();
  await page.getByRole('button', { name: /Share 10 selected/ }).click();
  const form = page.getByRole('form', { name: /Share 10 image/ });
  await form.getByLabel('Project IDs to share with').fill(projects.join('\n'));
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
  const [click, end] = await (await page.waitForFunction(() => window.__benchNoticeAt && [window.__benchClickAt, window.__benchNoticeAt])).jsonValue();
  const all = await page.evaluate(() => window.__log); const lastPost = Math.max(...all.filter((r) => r.m === 'POST').map((r) => r.t1)); console.log('after last POST:', all.filter((r) => r.t0 >= lastPost - 50).map((r) => `${r.m} ${r.u.replace(/^https?:\/\/[^/]+/, '')} ${(r.t0 - lastPost).toFixed(0)}..${(r.t1 - lastPost).toFixed(0)}`).join(' | '), 'end', (end - lastPost).toFixed(0), 'longtasks', JSON.stringify((await page.evaluate(() => window.__lt)).filter(([t]) => t > lastPost - 500).map(([t, d]) => [Math.round(t - lastPost), Math.round(d)]))); const log = all.filter((r) => r.t0 >= click && r.m === 'POST' && /members$/.test(r.u));
  const other = {}; all.filter((r) => r.t0 >= click && r.t0 <= end && !(r.m === 'POST' && /members$/.test(r.u))).forEach((r) => { const k = r.m + ' ' + r.u.replace(/^https?:\/\/[^/]+/, '').replace(/[0-9a-f-]{32,36}/g, 'ID').replace(/\?.*/, '?'); other[k] = (other[k] ?? 0) + 1; }); console.log('other calls during job', JSON.stringify(other));
  const st = {}; log.forEach((r) => { st[r.s] = (st[r.s] ?? 0) + 1; });
  const first = Math.min(...log.map((r) => r.t0)), last = Math.max(...log.map((r) => r.t1));
  // in-flight histogram and idle time
  const ev = log.flatMap((r) => [[r.t0, 1], [r.t1, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let n = 0, prev = first, hist = {}, idle = 0;
  for (const [t, d] of ev) { hist[n] = (hist[n] ?? 0) + (t - prev); if (n === 0) idle += t - prev; prev = t; n += d; }
  const lat = log.filter((r) => r.s === 201 || r.s === 200).map((r) => r.t1 - r.t0).sort((a, b) => a - b);
  const lat5 = log.filter((r) => r.s >= 500).map((r) => r.t1 - r.t0).sort((a, b) => a - b);
  console.log(`round ${round + 1}: total ${(end - click).toFixed(0)} ms, click->first ${(first - click).toFixed(0)}, calls ${first.toFixed(0) - first.toFixed(0)}..${(last - first).toFixed(0)} ms, last->notice ${(end - last).toFixed(0)}; statuses ${JSON.stringify(st)}; idle ${idle.toFixed(0)} ms; inflight ${Object.entries(hist).map(([k, v]) => `${k}:${v.toFixed(0)}`).join(' ')}; ok-lat p50 ${lat[lat.length >> 1]?.toFixed(1)} p90 ${lat[Math.floor(lat.length * 0.9)]?.toFixed(1)}; 5xx-lat p50 ${lat5[lat5.length >> 1]?.toFixed(1)}`);
  await page.context().close();
}
await browser.close();
