// Issue: IMS as it stands today. Accounts and organizations as members beside projects, the
// paged v1 member list with each member's kind, a plan row for an account, stopping an
// organization, a cloud without the feature (the sandbox's OTC mode) said in plain words, and
// no deprecated v2 member writes on the IMS flavor.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, launch, newPage, signIn, reset, seed, admin, countRequests } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

const URN = `organizations::${'0123456789abcdef'.repeat(2)}:ou:o-abc123/ou-def456`;

/** Native member writes (POST, PUT, DELETE under /v2/images/{id}/members) from now on. */
function deprecatedWrites(page) {
  const seen = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\/v2\/images\/[^/]+\/members/.test(path) && r.method() !== 'GET') seen.push(`${r.method()} ${path}`);
  });
  return seen;
}

async function openShare(page, name) {
  await page.getByLabel(`Select ${name}`, { exact: true }).check();
  await page.getByRole('button', { name: /Share 1 selected/ }).click();
  return page.getByRole('form', { name: /Share 1 image/ });
}

/** Shares `image` through the API as the owner and waits for the job to end. */
async function shareByApi(image, body) {
  const login = await fetch(`${BASE}/v3/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'owner', password: 'Owner-Pass-1', domain: { name: 'Default' } } } }, scope: { project: { name: 'acme-images', domain: { name: 'Default' } } } } }),
  });
  const token = login.headers.get('x-subject-token');
  const headers = { 'x-auth-token': token, 'content-type': 'application/json', accept: 'application/json' };
  const started = await (await fetch(`${BASE}/v1/cloudimages/members`, { method: 'POST', headers, body: JSON.stringify({ images: [image], ...body }) })).json();
  const project = ids.projects['acme-images'];
  for (;;) {
    const job = await (await fetch(`${BASE}/v1/${project}/jobs/${started.job_id}`, { headers })).json();
    if (job.status === 'SUCCESS') return;
    if (job.status === 'FAIL') throw new Error(`share failed: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('one job shares an image with a project, an account and an OU, each in its own box', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const deprecated = deprecatedWrites(page);
  const form = await openShare(page, 'debian-12-hardened');
  await form.getByLabel('Project IDs to share with').fill(ids.projects['partner-prod']);
  await form.getByLabel('Account IDs to share with').fill(`${ids.domains.globex}\n${ids.domains.Default}`);
  await form.getByText('this is your own account').waitFor();
  assert.equal(await form.getByRole('button', { name: 'Share', exact: true }).isDisabled(), true, 'the own account blocks the send');
  await form.getByLabel('Account IDs to share with').fill(ids.domains.globex);
  await form.getByLabel('Organization or OU URNs to share with').fill('organizations::abc:ou:o-1');
  await form.getByText(/not an organization URN/).waitFor();
  await form.getByLabel('Organization or OU URNs to share with').fill(URN);
  await form.getByTestId('share-preview').filter({ hasText: '1 image × 1 project + 1 account + 1 organization = 3 shares' }).waitFor();
  const posts = countRequests(page, 'POST', '/v1/cloudimages/members');
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await form.getByText(/Started 1 share job/).waitFor();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor();
  const members = (await seed()).images['debian-12-hardened'].members;
  assert.equal(members[ids.projects['partner-prod']], 'pending');
  assert.equal(members[ids.domains.globex], 'pending');
  assert.equal(members['ou-def456'], 'pending');
  assert.equal(posts.n, 1, 'one batch call carried all three kinds');
  assert.deepEqual(deprecated, []);
});

test('the members table shows all three kinds over pages of one, with address-book names', async () => {
  await shareByApi(ids.images['debian-12-hardened'].id, { projects: [ids.projects['partner-prod']], domains: [ids.domains.globex], organizations: [URN] });
  await admin(BASE, 'settings', { member_page_max: 1 });
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  await page.getByRole('link', { name: 'Settings' }).click();
  const book = page.getByRole('region', { name: 'Address book' });
  await book.getByLabel('Project ID', { exact: true }).fill(ids.domains.globex);
  await book.getByLabel('Name', { exact: true }).fill('Globex account');
  await book.getByRole('button', { name: 'Add', exact: true }).click();
  await book.getByRole('table', { name: 'Address book' }).getByText('Globex account').waitFor();
  const pages = countRequests(page, 'GET', `/cloudimages/${ids.images['debian-12-hardened'].id}/members`);
  await page.goto(`${BASE}/images/${ids.images['debian-12-hardened'].id}`);
  const table = page.getByRole('table', { name: 'Members' });
  await table.getByRole('row').filter({ hasText: URN }).waitFor();
  const row = (text) => table.getByRole('row').filter({ hasText: text });
  assert.match(await row(ids.projects['partner-prod']).innerText(), /project\s+pending/);
  assert.match(await row('Globex account').innerText(), /account\s+pending/);
  assert.match(await row(URN).innerText(), /organization\s+pending/);
  assert.ok(pages.n >= 3, `the list came in ${pages.n} page(s)`);
});

test('a plan row names an account, and the plan shares with it', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const deprecated = deprecatedWrites(page);
  await page.getByRole('link', { name: 'Share plan' }).click();
  const plan = `image,project,state,member_type\ndebian-12-hardened,${ids.domains.globex},shared,domain\ndebian-12-hardened,${ids.domains.Default},shared,domain\n`;
  await page.getByLabel('Plan file (CSV or JSON, at most 10 MB)').setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(plan) });
  await page.getByTestId('plan-summary').filter({ hasText: 'to add 1, to remove 0, unchanged 0, invalid 1' }).waitFor();
  await page.getByRole('table', { name: 'Invalid rows' }).getByText(/your own account/).waitFor();
  await page.getByRole('button', { name: 'Apply plan…' }).click();
  await page.getByRole('dialog', { name: 'Apply the share plan?' }).getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('plan-progress').filter({ hasText: '1 done, 0 failed, 0 pending of 1 change(s).' }).waitFor({ timeout: 30000 });
  assert.equal((await seed()).images['debian-12-hardened'].members[ids.domains.globex], 'pending');
  assert.deepEqual(deprecated, []);
});

test('an organization stops being a member from the image page, through the batch job', async () => {
  await shareByApi(ids.images['debian-12-hardened'].id, { projects: [ids.projects['partner-prod']], organizations: [URN] });
  const page = await newPage(browser);
  await signIn(page, USERS.owner, `/images/${ids.images['debian-12-hardened'].id}`);
  const deprecated = deprecatedWrites(page);
  const deletes = countRequests(page, 'DELETE', '/v1/cloudimages/members');
  await page.getByLabel(`Select member ${URN}`).check();
  await page.getByRole('button', { name: /Remove 1 selected/ }).click();
  await page.getByRole('dialog', { name: 'Remove members?' }).getByRole('button', { name: 'Remove' }).click();
  await page.waitForFunction((urn) => !document.querySelector('table[aria-label=Members]')?.innerText.includes(urn), URN);
  const members = (await seed()).images['debian-12-hardened'].members;
  assert.equal(members['ou-def456'], undefined);
  assert.equal(members[ids.projects['partner-prod']], 'pending', 'only the organization stopped');
  assert.equal(deletes.n, 1);
  assert.deepEqual(deprecated, []);
});

test('a cloud without accounts as members refuses the share, and the form says so in plain words', async () => {
  await admin(BASE, 'settings', { cloud: 'otc' });
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShare(page, 'debian-12-hardened');
  await form.getByLabel('Project IDs to share with').fill(ids.projects['partner-prod']);
  await form.getByLabel('Account IDs to share with').fill(ids.domains.globex);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await form.getByRole('alert').filter({ hasText: 'This cloud cannot share images with accounts' }).waitFor();
  assert.equal(await form.getByLabel('Account IDs to share with').inputValue(), ids.domains.globex, 'what was typed stays');
  assert.deepEqual((await seed()).images['debian-12-hardened'].members, {}, 'nothing was shared');
});

test('the IMS flavor sends no native member write: one-image answers and the forms use the batch calls', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  const deprecated = deprecatedWrites(page);
  await page.getByRole('button', { name: 'Accept shared-pending-dev' }).click();
  await page.getByText('shared-pending-dev is now accepted.').waitFor();
  await page.getByRole('button', { name: 'Reject test-fixtures' }).click();
  await page.getByText('test-fixtures is now rejected.').waitFor();
  await page.getByLabel('Select partner-tools').check();
  await page.getByRole('button', { name: 'Accept 1 selected' }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Accept job for 1 image\(s\) succeeded/).waitFor();
  const s = await seed();
  assert.equal(s.images['shared-pending-dev'].members[ids.projects['acme-dev']], 'accepted');
  assert.equal(s.images['test-fixtures'].members[ids.projects['acme-dev']], 'rejected');
  assert.deepEqual(deprecated, []);
});
