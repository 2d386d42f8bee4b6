// Cold start: time from navigation to a visible password field, in a fresh browser context
// each run (nothing cached), median of 7, the targets interleaved. Usage:
//   node bench/start-bench.mjs NAME=URL [NAME=URL …]   (the first is the reference)
import { launch } from '../lib/harness.mjs';

const targets = process.argv.slice(2).map((a) => { const i = a.indexOf('='); return { name: a.slice(0, i), url: a.slice(i + 1), times: [] }; });
const RUNS = 7;
const browser = await launch();
for (let run = 0; run < RUNS; run++) {
  for (const t of targets) {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(t.url, { waitUntil: 'commit' });
    // Measured inside the page, against its own navigation start.
    const ms = await page.waitForFunction(() => {
      const el = document.querySelector('input[type=password]');
      return el && el.offsetParent !== null ? performance.now() : false;
    }, null, { polling: 'raf', timeout: 30000 });
    t.times.push(await ms.jsonValue());
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
}
