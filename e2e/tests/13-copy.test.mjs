// "Share like": the members of a source image (all, or the accepted ones) copied to the
// selected images after a preview; optionally the source stops being shared once the copy
// has succeeded (rotation).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { USERS, launch, newPage, signIn, reset, seed, countRequests } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

async function openCopy(page, targets) {
  for (const n of targets) await page.getByLabel(`Select ${n}`, { exact: true }).check();
  await page.getByRole('button', { name: new RegExp(`Copy members to ${targets.length} selected`) }).click();
  return page.getByRole('form', { name: /Copy members to \d+ image/ });
}

test('all members of the source are copied to two images after a preview; the source keeps them', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const shares = countRequests(page, 'POST', '/v1/cloudimages/members');
  const form = await openCopy(page, ['debian-12-hardened', 'shared-accepted-dev']);
  await form.getByRole('button', { name: 'Preview' }).click();
  await form.locator('#copy-source-error').filter({ hasText: 'Choose the image whose members are copied.' }).waitFor();
  await form.getByLabel('Copy the members of').selectOption({ label: 'shared-to-many' });
  await form.getByRole('button', { name: 'Preview' }).click();
  const preview = form.getByTestId('copy-preview');
  await preview.filter({ hasText: '3 member(s) of shared-to-many to copy: 4 new share(s) across 2 image(s); 2 already in place.' }).waitFor();
  assert.match(await preview.getByRole('list', { name: 'Projects copied' }).innerText(), /acme-dev/);
  assert.equal(shares.n, 0, 'the preview sends nothing');
  await preview.getByRole('button', { name: 'Copy members', exact: true }).dblclick();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 2 image\(s\) succeeded|Share job for 1 image\(s\) succeeded/).first().waitFor({ timeout: 30000 });
  await form.getByText(/Copying started as \d job\(s\)/).waitFor();
  const after = await seed();
  for (const p of ['acme-dev', 'acme-test', 'partner-prod']) {
    assert.ok(after.images['debian-12-hardened'].members[ids.projects[p]], `debian-12-hardened has ${p}`);
    assert.ok(after.images['shared-accepted-dev'].members[ids.projects[p]], `shared-accepted-dev has ${p}`);
    assert.ok(after.images['shared-to-many'].members[ids.projects[p]], 'the source keeps its members');
  }
  // debian-12-hardened gets all three projects, shared-accepted-dev only partner-prod: two
  // groups of images with the same new projects, one batch call each, despite the double click.
  assert.equal(shares.n, 2);
});

test('only the accepted members are copied, then the source stops being shared with them', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openCopy(page, ['ubuntu-24.04-base']);
  await form.getByLabel('Copy the members of').selectOption({ label: 'shared-to-many' });
  await form.getByLabel('Only those that accepted').check();
  await form.getByLabel(/Then stop sharing the source with them/).check();
  await form.getByRole('button', { name: 'Preview' }).click();
  const preview = form.getByTestId('copy-preview');
  await preview.filter({ hasText: '2 member(s) of shared-to-many to copy: 2 new share(s) across 1 image(s); 0 already in place.' }).waitFor();
  await preview.getByText(/Then shared-to-many stops being shared with these 2 project\(s\)/).waitFor();
  await preview.getByRole('button', { name: 'Copy members, then stop sharing the source' }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Stop sharing job for 1 image\(s\) succeeded/).waitFor({ timeout: 30000 });
  const after = await seed();
  const target = after.images['ubuntu-24.04-base'].members;
  const source = after.images['shared-to-many'].members;
  assert.deepEqual(Object.keys(target).sort(), [ids.projects['acme-dev'], ids.projects['acme-test']].sort());
  assert.deepEqual(Object.keys(source), [ids.projects['partner-prod']], 'the pending member was not copied, so it keeps the source');
});
