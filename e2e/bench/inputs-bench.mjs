// Benchmark (not a test): large inputs in the browser, each timed in the page from the input
// to the next frame after the console showed its result. Prints one JSON line for xtask:
// 10,000 project IDs pasted into the share form and checked; 25,000 address-book entries
// imported from a CSV file; the medians go to the file BENCH_RESULT names.
// Usage: E2E_BASE=… node bench/inputs-bench.mjs
import { writeFileSync } from 'node:fs';
import { launch, newPage, signIn, USERS, reset } from '../lib/harness.mjs';

await reset();
const browser = await launch();
const page = await newPage(browser);
page.setDefaultTimeout(120000);
await signIn(page, USERS.owner);

// 10,000 IDs, one of them repeated at the end: the duplicate check is part of the work.
const ids = Array.from({ length: 10000 }, (_, i) => (0xd00000 + i).toString(16).padStart(32, '0'));
await page.getByLabel('Select debian-12-hardened', { exact: true }).check();
await page.getByRole('button', { name: /Share 1 selected/ }).click();
const paste = [];
for (let run = 0; run < 5; run++) {
  const text = (run % 2 ? ids : [...ids].reverse()).join('\n');
  paste.push(await page.evaluate((text) => new Promise((resolve) => {
    const box = document.getElementById('share-projects');
    const shown = document.querySelector('[data-testid=share-preview]');
    const before = shown.textContent;
    const start = performance.now();
    const seen = new MutationObserver(() => {
      if (shown.textContent.includes('× 10000 projects') && shown.textContent !== before) { seen.disconnect(); requestAnimationFrame(() => resolve(performance.now() - start)); }
    });
    seen.observe(shown, { childList: true, characterData: true, subtree: true });
    box.value = '';
    box.dispatchEvent(new InputEvent('input', { bubbles: true }));
    box.value = text;
    box.dispatchEvent(new InputEvent('input', { bubbles: true }));
  }), text));
}

// 25,000 address-book entries, from picking the file to the frame with "Imported 25000".
const rows = ['project_id,name'];
for (let n = 0; n < 25000; n++) rows.push(`${(0xe00000 + n).toString(16).padStart(32, '0')},partner-${n}`);
const file = { name: 'book.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) };
await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
const picker = page.getByLabel('Import address book (CSV: project_id, name)');
const imports = [];
for (let run = 0; run < 3; run++) {
  await page.evaluate(() => {
    window.imsImportDone = new Promise((resolve) => {
      const start = performance.now();
      const input = document.getElementById('book-import');
      input.addEventListener('change', () => { window.imsImportStart = performance.now(); }, { once: true, capture: true });
      const seen = new MutationObserver(() => {
        const o = document.querySelector('[data-testid=book-outcome]');
        if (o && o.textContent.startsWith('Imported 25000') && window.imsImportStart) { seen.disconnect(); requestAnimationFrame(() => resolve(performance.now() - window.imsImportStart)); }
      });
      seen.observe(document.body, { childList: true, characterData: true, subtree: true });
      void start;
    });
  });
  await page.evaluate(() => { const o = document.querySelector('[data-testid=book-outcome]'); if (o) o.textContent = ''; });
  await picker.setInputFiles(file);
  imports.push(await page.evaluate(() => window.imsImportDone));
}
const entries = await page.evaluate(() => JSON.parse(localStorage.getItem('ims-share-console.address-book') ?? '[]').length);
await browser.close();

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const r = (x) => Math.round(x * 10) / 10;
console.log(`10,000 project IDs pasted and checked (share form): median ${r(median(paste))} ms of ${paste.length} (min ${r(Math.min(...paste))}, max ${r(Math.max(...paste))})`);
console.log(`25,000 address-book entries imported: median ${r(median(imports))} ms of ${imports.length} (min ${r(Math.min(...imports))}, max ${r(Math.max(...imports))}); ${entries} in the book`);
if (process.env.BENCH_RESULT) writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ paste_ms: median(paste), import_ms: median(imports), entries }));
