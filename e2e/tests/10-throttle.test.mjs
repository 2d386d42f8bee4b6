// Throttling: a 429 with Retry-After on the parallel native calls (Glance flavor) makes the
// console wait as asked, send fewer calls at once, and still finish every pair exactly once;
// the job says the service asked to slow down.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, launch, newPage, signIn, openShareForm, reset, seed, admin, fault } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); await admin(BASE, 'settings', { glance_mode: false }).catch(() => {}); });
beforeEach(async () => { await reset(); ids = await seed(); await admin(BASE, 'settings', { glance_mode: true }); });

test('a throttled native batch waits, slows down and completes every pair once', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const images = ['shared-pending-dev', 'shared-rejected-dev'];
  const projects = [ids.projects['acme-test'], ids.projects['partner-prod']];
  const form = await openShareForm(page, images, projects);
  const answers = [];
  page.on('response', (r) => { if (r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/members')) answers.push(r.status()); });
  await fault({ method: 'POST', path: '/v2/images/*/members', status: 429, retry_after: 1, count: 2 });
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 2 image\(s\) succeeded/).waitFor({ timeout: 30000 });
  assert.equal(answers.filter((s) => s === 429).length, 2, 'two calls were throttled');
  assert.equal(answers.filter((s) => s === 201 || s === 200).length, 4, 'each pair was done once');
  await page.getByRole('link', { name: /^Jobs/ }).click();
  const row = page.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1);
  assert.match(await row.innerText(), /Succeeded[\s\S]*The service asked to slow down: \d call\(s\) in flight now\./);
  const s = await seed();
  for (const n of images) for (const p of projects) assert.equal(s.images[n].members[p], 'pending');
});
