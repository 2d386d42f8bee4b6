// Issue: foundation. The same build served under a sub-path (/console/): assets, config.json
// and client-side routes resolve under it; reloading a deep link works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { USERS, launch, newPage, signIn } from '../lib/harness.mjs';

const SUB = process.env.E2E_SUBPATH_BASE ?? 'http://127.0.0.1:18094/console';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('served under /console/, the console signs in, navigates and reloads deep links', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, '/shared', SUB);
  await page.getByRole('heading', { name: 'Shared with me' }).waitFor();
  await page.getByRole('link', { name: /^Jobs/ }).click();
  assert.equal(new URL(page.url()).pathname, '/console/jobs');
  await page.reload();
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
  assert.deepEqual(page.errors, []);
});
