// The region follows the project: a project named <region>_<name> works against that
// region's image endpoint from the catalog; the header shows the region and the switcher
// groups projects by region. The sandbox serves two regions.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, reset, seed, openShareForm, countRequests } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

const OWNER_REGION2 = { user: 'owner', password: 'Owner-Pass-1', project: 'sandbox-2_acme' };

test('a project of the second region lists and shares that region\'s images, and the header says so', async () => {
  const page = await newPage(browser);
  const regional = countRequests(page, 'GET', '/sandbox-2/v2/cloudimages');
  await signIn(page, OWNER_REGION2);
  assert.equal(await page.getByTestId('current-region').innerText(), 'sandbox-2');
  await page.getByRole('link', { name: 'rocky-9-region2', exact: true }).waitFor();
  await page.getByRole('link', { name: 'debian-12-region2', exact: true }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'debian-12-hardened', exact: true }).count(), 0, 'the first region\'s images are not there');
  assert.ok(regional.n >= 1, 'the list came from the second region\'s endpoint');
  const shares = countRequests(page, 'POST', '/sandbox-2/v1/cloudimages/members');
  const form = await openShareForm(page, ['debian-12-region2'], [ids.projects['sandbox-2_partner']]);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor({ timeout: 30000 });
  assert.equal(shares.n, 1);
  const after = await seed();
  assert.equal(after.images['debian-12-region2'].region, 'sandbox-2');
  assert.equal(after.images['debian-12-region2'].members[ids.projects['sandbox-2_partner']], 'pending');
});

test('the project switcher groups projects by region and a switch moves to the other region', async () => {
  const page = await newPage(browser);
  await signIn(page, OWNER_REGION2);
  await page.getByRole('button', { name: 'Switch project…' }).click();
  const select = page.getByLabel('Switch project');
  await select.locator('optgroup').first().waitFor({ state: 'attached' });
  const groups = await select.locator('optgroup').evaluateAll((gs) => gs.map((g) => [g.label, [...g.querySelectorAll('option')].map((o) => o.textContent)]));
  assert.deepEqual(groups, [['sandbox-1', ['acme-dev', 'acme-images']], ['sandbox-2', ['sandbox-2_acme']]]);
  await select.selectOption({ label: 'acme-images' });
  await page.getByTestId('current-project').filter({ hasText: 'acme-images' }).waitFor();
  assert.equal(await page.getByTestId('current-region').innerText(), 'sandbox-1');
  await page.getByRole('link', { name: 'debian-12-hardened', exact: true }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'rocky-9-region2', exact: true }).count(), 0);
});
