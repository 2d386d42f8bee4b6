// Issue: the recipient's side. The owner shares, the recipient (a second browser context)
// sees the badge and the images, accepts, rejects, re-accepts; full-ECS needs a vault ID;
// the wrong project is told plainly; errors are retried.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { USERS, launch, newPage, signIn, reset, seed, fault, clearFaults, countRequests } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

const tab = (page, name) => page.getByRole('tab', { name });
const inboxRow = (page, name) => page.getByRole('table', { name: 'Images shared with this project' }).getByRole('row').filter({ hasText: name });

async function share(page, names, project) {
  await page.getByLabel('Filter by name or ID').fill('');
  for (const n of names) await page.getByLabel(`Select ${n}`, { exact: true }).check();
  await page.getByRole('button', { name: new RegExp(`Share ${names.length} selected`) }).click();
  const form = page.getByRole('form', { name: /Share \d+ image/ });
  await form.getByLabel('Project IDs to share with').fill(project);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for .* succeeded/).waitFor();
}

async function badge(page) {
  const link = page.getByRole('link', { name: /Shared with me/ });
  const label = await link.locator('.badge').getAttribute('aria-label');
  return label;
}

test('owner shares; the recipient sees the badge and the images, accepts some, rejects others, re-accepts', async () => {
  const owner = await newPage(browser);
  const recipient = await newPage(browser); // its own context: its own sessionStorage
  await signIn(recipient, USERS.tester, '/shared');
  await recipient.getByRole('link', { name: /Shared with me/ }).locator('.badge').waitFor();
  assert.equal(await badge(recipient), '1 pending', 'seed: shared-accepted-dev is pending for acme-test');

  await signIn(owner, USERS.owner);
  await share(owner, ['alpine-3.20-edge', 'debian-12-hardened', 'fedora-40-ci'], ids.projects['acme-test']);

  // The recipient's badge refreshes on reload of the inbox (a new sign-in or a job end does it too).
  await recipient.reload();
  await recipient.getByRole('link', { name: /Shared with me/ }).locator('.badge').filter({ hasText: '4' }).waitFor();
  for (const n of ['alpine-3.20-edge', 'debian-12-hardened', 'fedora-40-ci']) {
    assert.match(await inboxRow(recipient, n).innerText(), new RegExp(ids.projects['acme-images']), 'owner project shown');
  }
  await recipient.getByLabel('Select alpine-3.20-edge').check();
  await recipient.getByLabel('Select debian-12-hardened').check();
  await recipient.getByRole('button', { name: 'Accept 2 selected' }).click();
  await recipient.getByRole('status', { name: 'Notices' }).getByText(/Accept job for 2 image\(s\) succeeded/).waitFor();
  await recipient.getByLabel('Select fedora-40-ci').check();
  await recipient.getByRole('button', { name: 'Reject 1 selected' }).click();
  await recipient.getByRole('status', { name: 'Notices' }).getByText(/Reject job for 1 image\(s\) succeeded/).waitFor();
  await recipient.getByRole('link', { name: /Shared with me/ }).locator('.badge').filter({ hasText: '1' }).waitFor();

  await tab(recipient, 'Accepted').click();
  await inboxRow(recipient, 'alpine-3.20-edge').waitFor();
  await inboxRow(recipient, 'debian-12-hardened').waitFor();
  await tab(recipient, 'Rejected').click();
  await inboxRow(recipient, 'fedora-40-ci').waitFor();
  // Re-accept the rejected one, one at a time (on IMS: the batch call and its job).
  await recipient.getByRole('button', { name: 'Accept fedora-40-ci' }).click();
  await recipient.getByText('fedora-40-ci is now accepted.').waitFor();
  await tab(recipient, 'Accepted').click();
  await inboxRow(recipient, 'fedora-40-ci').waitFor();
  const s = await seed();
  assert.equal(s.images['fedora-40-ci'].members[ids.projects['acme-test']], 'accepted');
  // IMS has no way back to pending: the row does not offer it, and says what to do instead.
  await recipient.getByText('IMS takes accepted or rejected only: to use a rejected image, accept it.').waitFor();
  assert.equal(await recipient.getByRole('button', { name: 'Move fedora-40-ci back to pending' }).count(), 0);
  assert.deepEqual(recipient.errors, []);
});

test('a full-ECS image asks for the vault ID, refuses in the form without it, and is accepted with it', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await inboxRow(page, 'partner-full-ecs').waitFor();
  const puts = countRequests(page, 'PUT', '/v1/cloudimages/members');
  await page.getByLabel('Select partner-full-ecs').check();
  await page.getByLabel('CBR vault ID for full-ECS images').waitFor();
  assert.match(await page.locator('#vault-help').innerText(), /Cloud Backup and Recovery vaults/);
  await page.getByRole('button', { name: 'Accept 1 selected' }).click();
  await page.getByText('A full-ECS image is accepted into a CBR vault: enter the vault ID.').waitFor();
  assert.equal(puts.n, 0, 'refused in the form, not by the server');
  await page.getByLabel('CBR vault ID for full-ECS images').fill('vault-0a1b2c');
  await page.getByRole('button', { name: 'Accept 1 selected' }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Accept job for 1 image\(s\) succeeded/).waitFor();
  assert.equal(puts.n, 1);
  const s = await seed();
  assert.equal(s.images['partner-full-ecs'].members[ids.projects['acme-dev']], 'accepted');
});

test('accept all pending answers every pending image in one job', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.tester, '/shared');
  await inboxRow(page, 'shared-accepted-dev').waitFor();
  await page.getByRole('button', { name: 'Accept all 1 pending' }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Accept job for 1 image\(s\) succeeded/).waitFor();
  await page.getByText('No pending images.').waitFor();
});

test('answering from the wrong project is explained plainly, before anything is sent', async () => {
  const page = await newPage(browser);
  // The owner user may also work in acme-dev; signed in to acme-images it tries to accept an
  // image that was shared with acme-dev.
  await signIn(page, USERS.owner, '/shared');
  await page.getByText('Answer by image ID').click();
  await page.getByLabel('Image IDs').fill(ids.images['shared-pending-dev'].id);
  const puts = countRequests(page, 'PUT', '/v1/cloudimages/members');
  await page.getByRole('button', { name: 'Accept these' }).click();
  const msg = page.getByText(/Not shared with acme-images, the project you are signed in to/);
  await msg.waitFor();
  assert.match(await msg.innerText(), /switch to that project first/);
  assert.equal(puts.n, 0);
  // Switching project with the token method, then the same ID is accepted.
  await page.getByRole('button', { name: 'Switch project…' }).click();
  await page.getByLabel('Switch project').selectOption({ label: 'acme-dev' });
  await page.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  // The page stayed mounted: the ID typed before the switch is still there.
  assert.equal(await page.getByLabel('Image IDs').inputValue(), ids.images['shared-pending-dev'].id);
  await page.getByRole('button', { name: 'Accept these' }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Accept job for 1 image\(s\) succeeded/).waitFor();
});

test('a server 403 for the wrong project says which project to switch to', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await inboxRow(page, 'test-fixtures').waitFor();
  await fault({ method: 'PUT', path: '/v1/cloudimages/members', status: 403, count: 1 });
  await page.getByLabel('Select test-fixtures').check();
  await page.getByRole('button', { name: 'Reject 1 selected' }).click();
  const alert = page.getByRole('alert').filter({ hasText: /Only the project an image was shared with/ });
  await alert.waitFor();
  assert.match(await alert.innerText(), /You are signed in to acme-dev/);
  assert.equal(await page.getByLabel('Select test-fixtures').isChecked(), true, 'the selection is kept');
});

test('a 503 on accept keeps the selection and a second try goes through; a double click sends once', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await inboxRow(page, 'test-fixtures').waitFor();
  await fault({ method: 'PUT', path: '/v1/cloudimages/members', status: 503, count: 1 });
  await page.getByLabel('Select test-fixtures').check();
  await page.getByRole('button', { name: 'Accept 1 selected' }).click();
  await page.getByRole('alert').filter({ hasText: /HTTP 503/ }).waitFor();
  assert.equal(await page.getByLabel('Select test-fixtures').isChecked(), true);
  await clearFaults();
  await fault({ method: 'PUT', path: '/v1/cloudimages/members', delay_ms: 400 });
  const puts = countRequests(page, 'PUT', '/v1/cloudimages/members');
  await page.getByRole('button', { name: 'Accept 1 selected' }).dblclick();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Accept job for 1 image\(s\) succeeded/).waitFor();
  assert.equal(puts.n, 1);
});

test('the switcher falls back to the password when re-scoping is refused', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, '/shared');
  await page.getByRole('button', { name: 'Switch project…' }).click();
  await fault({ method: 'POST', path: '/v3/auth/tokens', status: 403, count: 1 });
  await page.getByLabel('Switch project').selectOption({ label: 'acme-dev' });
  const dialog = page.getByRole('dialog', { name: 'Sign in again' });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('Project (name or ID)').inputValue(), 'acme-dev');
  await dialog.getByLabel('Password', { exact: true }).fill(USERS.owner.password);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  await inboxRow(page, 'shared-pending-dev').waitFor();
});

test('a double click on a row\'s Accept sends one answer', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await inboxRow(page, 'test-fixtures').waitFor();
  await fault({ method: 'PUT', path: '/v1/cloudimages/members', delay_ms: 600 });
  const puts = countRequests(page, 'PUT', '/members');
  await page.getByRole('button', { name: 'Accept test-fixtures' }).dblclick();
  await page.getByRole('status').filter({ hasText: 'test-fixtures is now accepted.' }).waitFor();
  assert.equal(puts.n, 1);
});
