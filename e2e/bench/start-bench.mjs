// Cold start: time from navigation to a visible password field, in a fresh browser context
// each run (nothing cached), median of 7 (BENCH_RUNS), the targets interleaved. Usage:
//   node bench/start-bench.mjs NAME=URL [NAME=URL …]   (the first is the reference)
// BENCH_RUNS sets another number of runs, for comparing variants with more samples.
import { writeFileSync } from 'node:fs';
import { launch } from '../lib/harness.mjs';

const targets = process.argv.slice(2).map((a) => { const i = a.indexOf('='); return { name: a.slice(0, i), url: a.slice(i + 1), times: [] }; });
const RUNS = Number(process.env.BENCH_RUNS || 7);
const browser = await launch();
for (let run = 0; run < RUNS; run++) {
  for (const t of targets) {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    // Measured inside the page, against its own navigation start, by a watcher that is there
    // before the page's first byte (an init script). A poll from the test process would add
    // its own round trips to the figure.
    await context.addInitScript(() => {
      const seen = () => {
        if (window.__passwordVisibleAt) return true;
        const el = document.querySelector('input[type=password]');
        if (el && el.offsetParent !== null) {
          window.__passwordVisibleAt = performance.now();
          return true;
        }
        return false;
      };
      // Checked at each frame, just before it paints, and not before: a field in the DOM is
      // not on the screen until the stylesheets it waits for have come.
      const frame = () => { if (!seen()) requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
      // The console's own form replacing the page's: the app is running.
      const app = () => {
        if (document.querySelector('form.sign-in') && !document.querySelector('main[data-shell]')) window.__appAt = performance.now();
        else requestAnimationFrame(app);
      };
      requestAnimationFrame(app);
    });
    const page = await context.newPage();
    await page.goto(t.url, { waitUntil: 'commit' });
    const ms = await page.waitForFunction(() => window.__passwordVisibleAt || false, null, { timeout: 30000 });
    t.times.push(await ms.jsonValue());
    if (t.name.startsWith('console')) {
      const app = await page.waitForFunction(() => window.__appAt || false, null, { timeout: 30000 });
      (t.app ??= []).push(await app.jsonValue());
    }
    await context.close();
  }
}
await browser.close();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
// The first target is the reference the others are compared with.
const reference = median(targets[0].times);
for (const t of targets) {
  const ratio = t === targets[0] ? '' : `  = ${(median(t.times) / reference).toFixed(2)}x ${targets[0].name}`;
  console.log(`${t.name.padEnd(32)} median ${median(t.times).toFixed(0)} ms${ratio}  (runs: ${t.times.map((x) => x.toFixed(0)).join(', ')})`);
  if (t.app) console.log(`${''.padEnd(32)} the app running (its own form in place): median ${median(t.app).toFixed(0)} ms`);
}
// For `cargo xtask bench`, which sets the goals side by side: each target's median, in ms.
if (process.env.BENCH_RESULT) {
  writeFileSync(process.env.BENCH_RESULT, JSON.stringify(Object.fromEntries(targets.map((t) => [t.name, median(t.times)]))));
}
