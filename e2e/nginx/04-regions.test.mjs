// Two regions behind the shipped nginx config: `--region` renders one location per region
// under /ims/<region>/, and config.json's "ims_url": "/ims/{region}" sends each project's
// calls to the region its name carries.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, openShareForm, reset, seed } from '../lib/harness.mjs';

const ADMIN = process.env.SANDBOX_BASE;
const BASE = process.env.NGINX_REGIONS_BASE;

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(ADMIN); ids = await seed(ADMIN); });

/** The image-service paths the page called, from now on. */
function imagePaths(page) {
  const seen = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\/v[12]\//.test(path)) seen.push(path);
  });
  return seen;
}

test('each project\'s calls go through its region\'s location, over HTTP/2', async () => {
  const page = await newPage(browser);
  const paths = imagePaths(page);
  await signIn(page, { user: 'owner', password: 'Owner-Pass-1', project: 'sandbox-2_acme' }, '/images', BASE);
  assert.equal(await page.getByTestId('current-region').innerText(), 'sandbox-2');
  await page.getByRole('link', { name: 'rocky-9-region2', exact: true }).waitFor();
  const form = await openShareForm(page, ['rocky-9-region2'], [ids.projects['acme-dev']]);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor({ timeout: 30000 });
  assert.ok(paths.length > 0 && paths.every((p) => p.startsWith('/ims/sandbox-2/')), paths.join('\n'));
  assert.equal((await seed(ADMIN)).images['rocky-9-region2'].members[ids.projects['acme-dev']], 'pending');

  paths.length = 0;
  await page.getByRole('button', { name: 'Switch project…' }).click();
  await page.getByLabel('Switch project').selectOption({ label: 'acme-images' });
  await page.getByTestId('current-region').filter({ hasText: 'sandbox-1' }).waitFor();
  await page.getByRole('link', { name: 'debian-12-hardened', exact: true }).waitFor();
  assert.ok(paths.length > 0 && paths.every((p) => p.startsWith('/ims/sandbox-1/')), paths.join('\n'));
  const protocols = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.nextHopProtocol));
  assert.deepEqual([...new Set(protocols)], ['h2']);
});

test('a region\'s API answers are never stored by the browser', async () => {
  const page = await newPage(browser);
  const seen = [];
  page.on('response', (r) => {
    if (!new URL(r.url()).pathname.startsWith('/ims/sandbox-2/')) return;
    seen.push(r.request().allHeaders().then((h) => [r.url(), r.headers()['cache-control'], h['cache-control']]));
  });
  await signIn(page, { user: 'owner', password: 'Owner-Pass-1', project: 'sandbox-2_acme' }, '/images', BASE);
  await page.getByRole('link', { name: 'rocky-9-region2', exact: true }).waitFor();
  const answers = await Promise.all(seen);
  assert.ok(answers.length > 0, 'the image list came through the region\'s location');
  for (const [url, cache, asked] of answers) {
    assert.equal(cache, 'no-store', `${url}: the proxy says no-store`);
    // A fetch with cache: "no-store" goes to the network with Cache-Control: no-cache.
    assert.equal(asked, 'no-cache', `${url}: the console's fetch asks for no stored answer`);
  }
});
