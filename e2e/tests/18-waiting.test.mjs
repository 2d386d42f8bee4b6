// Waiting you can see: a request with no answer for 3 s says which service it waits for and
// for how long, with a Cancel that aborts it and keeps the page (the sandbox's deadline here
// is the default 30 s; the fault matrix runs every call family's hang at 3 s).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, reset, seed, fault, clearFaults, launch, newPage, signIn, fillSignIn, countRequests, openShareForm } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); await clearFaults(); ids = await seed(); });

const waiting = (scope) => scope.getByTestId('waiting');

test('sign-in: the wait on IAM shows with its seconds, and Cancel keeps every typed field', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/images`);
  await fillSignIn(page, USERS.owner);
  await fault({ method: 'POST', path: '/v3/auth/tokens', hang: true, count: 5 });
  const posts = countRequests(page, 'POST', '/v3/auth/tokens');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waiting(page).filter({ hasText: /Waiting for IAM… [3-9] s/ }).waitFor({ timeout: 4500 });
  await waiting(page).filter({ hasText: /Waiting for IAM… [4-9] s/ }).waitFor({ timeout: 3000 });
  await waiting(page).getByRole('button', { name: 'Cancel' }).click();
  await page.locator('form.sign-in').getByRole('alert').filter({ hasText: /Cancelled/ }).waitFor();
  assert.equal(await waiting(page).count(), 0);
  assert.equal(posts.n, 1, 'one request, aborted; nothing more');
  assert.equal(await page.getByLabel('User name').inputValue(), USERS.owner.user);
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), USERS.owner.password);
  assert.equal(await page.getByLabel('Project (name or ID)').inputValue(), USERS.owner.project);
  await clearFaults();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-project').filter({ hasText: USERS.owner.project }).waitFor();
});

test('a read: the image page names the service and counts, Cancel stops it and everything after it', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const image = ids.images['shared-to-many'].id;
  await fault({ method: 'GET', path: `/v2/images/${image}`, hang: true, count: 5 });
  const reads = countRequests(page, 'GET', `/v2/images/${image}`);
  await page.getByRole('link', { name: 'shared-to-many', exact: true }).click();
  await waiting(page).filter({ hasText: /Waiting for IMS… [3-9] s/ }).waitFor({ timeout: 4500 });
  assert.match(await waiting(page).innerText(), /nothing more is sent/);
  await waiting(page).getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('main').getByRole('alert').filter({ hasText: /Loading the image failed: Cancelled/ }).waitFor();
  await page.getByRole('main').getByRole('alert').filter({ hasText: /Loading members failed: Cancelled/ }).waitFor();
  assert.equal(reads.n, 1, 'the image read once, and its members never');
  await clearFaults();
  await page.getByRole('main').getByRole('alert').filter({ hasText: 'Loading members failed' }).getByRole('button', { name: /Retry|Try again/ }).click();
  await page.getByRole('table', { name: 'Members' }).waitFor();
});

test('a write: the share waits visibly, and its Cancel says the change may still be carried out', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShareForm(page, ['debian-12-hardened'], [ids.projects['acme-dev']]);
  await fault({ method: 'POST', path: '/v1/cloudimages/members', hang: true, count: 5 });
  const posts = countRequests(page, 'POST', '/v1/cloudimages/members');
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  const w = waiting(form).filter({ hasText: /Waiting for IMS… [3-9] s/ });
  await w.waitFor({ timeout: 4500 });
  assert.match(await w.innerText(), /may still be carried out/);
  await w.getByRole('button', { name: 'Cancel' }).click();
  await form.getByRole('alert').filter({ hasText: /Cancelled\. The change may still be carried out/ }).waitFor();
  assert.equal(posts.n, 1, 'sent once, never again by itself');
  assert.equal(await form.getByLabel('Project IDs to share with').inputValue(), ids.projects['acme-dev'], 'the form keeps what was typed');
});
