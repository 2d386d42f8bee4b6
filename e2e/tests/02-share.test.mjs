// Issue: the owner's side. Listing, filtering, sharing in batches, jobs, members, stop sharing,
// and the failures: bad and duplicate IDs, own project, encrypted image, a 503 retried.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, launch, newPage, signIn, reset, seed, admin, fault, clearFaults, countRequests, rowFor, openStopForm } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

async function openShare(page, names) {
  for (const n of names) await page.getByLabel(`Select ${n}`, { exact: true }).check();
  await page.getByRole('button', { name: new RegExp(`Share ${names.length} selected`) }).click();
  return page.getByRole('form', { name: /Share \d+ image/ });
}

test('my images lists the project\'s images with marks, filters by name or ID and sorts', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  await page.getByTestId('image-count').filter({ hasText: '24 images, 24 shown' }).waitFor();
  const enc = await rowFor(page, 'encrypted-granted');
  assert.match(await enc.innerText(), /Encrypted/);
  assert.match(await (await rowFor(page, 'full-ecs-app')).innerText(), /Full-ECS/);
  assert.match(await (await rowFor(page, 'public-ubuntu-mirror')).innerText(), /Public/);
  await page.getByLabel('Filter by name or ID').fill('ubuntu');
  await page.getByTestId('image-count').filter({ hasText: '4 shown' }).waitFor();
  await page.getByLabel('Filter by name or ID').fill(ids.images['rocky-9-db'].id.slice(0, 13));
  await page.getByTestId('image-count').filter({ hasText: '1 shown' }).waitFor();
  await page.getByLabel('Filter by name or ID').fill('');
  await page.getByRole('button', { name: /^Size/ }).click();
  await page.getByRole('button', { name: /^Size ▲/ }).click();
  const first = page.getByRole('row').nth(1);
  assert.match(await first.innerText(), /full-ecs-db/, 'largest first after sorting by size descending');
});

test('bad, duplicate and own-project IDs are marked in place and block sending', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShare(page, ['ubuntu-24.04-base']);
  const dev = ids.projects['acme-dev'];
  await form.getByLabel('Project IDs to share with').fill(`${dev}, xyz ${dev.toUpperCase()}\n${ids.projects['acme-images']}`);
  const problems = form.getByRole('list', { name: 'Problems with the project IDs' });
  const text = await problems.innerText();
  assert.match(text, /#2 xyz: not a project ID/);
  assert.match(text, /#3 .*duplicate of ID #1/);
  assert.match(text, /#4 .*your own project/);
  assert.equal(await form.getByRole('button', { name: 'Share', exact: true }).isDisabled(), true);
  await form.getByLabel('Project IDs to share with').fill(`${dev} ${dev}`);
  assert.equal(await form.getByRole('button', { name: 'Share', exact: true }).isDisabled(), false, 'a duplicate alone is sent once');
  assert.match(await form.getByTestId('share-preview').innerText(), /1 image × 1 project = 1 share/);
});

test('typing in the share form goes on undisturbed when the member quota arrives', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  let release;
  const quotaHeld = new Promise((r) => { release = r; });
  await page.route('**/v1/cloudimages/quota', async (route) => { await quotaHeld; await route.continue(); });
  const form = await openShare(page, ['ubuntu-24.04-base']);
  const field = form.getByLabel('Project IDs to share with');
  await field.focus();
  await page.keyboard.type(ids.projects['acme-dev'].slice(0, 10));
  release();
  await form.getByTestId('member-quota').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'share-projects', 'the focus stays in the field');
  await page.keyboard.type(ids.projects['acme-dev'].slice(10));
  assert.equal(await field.inputValue(), ids.projects['acme-dev']);
  assert.equal(await form.getByRole('button', { name: 'Share', exact: true }).isEnabled(), true);
});

test('sharing starts a job that is watched to success; the members appear on the image', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShare(page, ['debian-12-hardened', 'ubuntu-24.04-base']);
  await form.getByTestId('member-quota').waitFor();
  assert.match(await form.getByTestId('member-quota').innerText(), /Member quota \(image_member, as IMS reports it\): up to 256 members per image/);
  await form.getByLabel('Project IDs to share with').fill(`${ids.projects['acme-dev']}\n${ids.projects['acme-test']}`);
  assert.match(await form.getByTestId('share-preview').innerText(), /2 images × 2 projects = 4 shares\. Sent as 1 call/);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await form.getByText(/Started 1 share job/).waitFor();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 2 image\(s\) succeeded/).waitFor();
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  const row = page.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1);
  assert.match(await row.innerText(), /Share[\s\S]*Succeeded/);
  await row.getByText('4 result(s)').click();
  assert.equal(await row.locator('.results li.ok').count(), 4);
  await page.getByRole('link', { name: 'My images' }).click();
  await page.getByRole('link', { name: 'ubuntu-24.04-base' }).click();
  const members = page.getByRole('table', { name: 'Members' });
  await members.waitFor();
  assert.match(await members.innerText(), new RegExp(`${ids.projects['acme-dev']}\\s+project\\s+pending`));
  assert.match(await members.innerText(), new RegExp(`${ids.projects['acme-test']}\\s+project\\s+pending`));
});

test('more projects than the chunk size go out as several jobs', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShare(page, ['alpine-3.20-edge']);
  const many = Array.from({ length: 205 }, (_, i) => (0xabc000 + i).toString(16).padStart(32, '0'));
  await form.getByLabel('Project IDs to share with').fill(many.join('\n'));
  assert.match(await form.getByTestId('share-preview').innerText(), /205 projects = 205 shares\. Sent as 3 call/);
  const posts = countRequests(page, 'POST', '/v1/cloudimages/members');
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await form.getByText(/Started 3 share job/).waitFor();
  assert.equal(posts.n, 3);
});

test('an encrypted image without a key grant: the job fails and says why in plain words', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShare(page, ['encrypted-nogrant']);
  assert.match(await form.getByRole('list', { name: 'Images the service may refuse' }).innerText(), /IMG\.0099/);
  await form.getByLabel('Project IDs to share with').fill(ids.projects['acme-dev']);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job failed: .*KMS key/).waitFor();
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  const row = page.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1);
  assert.match(await row.innerText(), /Failed[\s\S]*grant the KMS key first[\s\S]*IMG\.0099/);
});

test('a 503 keeps the form as typed, shows the error with Retry, and the retry succeeds', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShare(page, ['centos-7.9-legacy']);
  const typed = `${ids.projects['acme-test']}, ${ids.projects['partner-prod']}`;
  await form.getByLabel('Project IDs to share with').fill(typed);
  await fault({ method: 'POST', path: '/v1/cloudimages/members', status: 503 });
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  const alert = form.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Sharing failed:[\s\S]*unavailable[\s\S]*HTTP 503[\s\S]*Request ID: req-/);
  assert.equal(await form.getByLabel('Project IDs to share with').inputValue(), typed);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await form.getByText(/Started 1 share job/).waitFor();
});

test('a double click on Share sends one request', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShare(page, ['fedora-40-ci']);
  await form.getByLabel('Project IDs to share with').fill(ids.projects['acme-test']);
  await fault({ method: 'POST', path: '/v1/cloudimages/members', delay_ms: 400 });
  const posts = countRequests(page, 'POST', '/v1/cloudimages/members');
  await form.getByRole('button', { name: 'Share', exact: true }).dblclick();
  await form.getByText(/Started 1 share job/).waitFor();
  assert.equal(posts.n, 1);
});

test('on the image page a double click adds a member once and removes it once', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, `/images/${ids.images['shared-to-many'].id}`);
  await page.getByRole('table', { name: 'Members' }).waitFor();
  const newcomer = 'cd'.repeat(16);
  await page.getByLabel('Project ID').fill(newcomer);
  await fault({ method: 'POST', path: '/v1/cloudimages/members', delay_ms: 400 });
  const posts = countRequests(page, 'POST', '/members');
  await page.getByRole('button', { name: 'Add member' }).dblclick();
  await page.getByRole('status', { name: 'Added member' }).waitFor();
  assert.equal(posts.n, 1);
  await page.getByLabel(`Select member ${newcomer}`).check();
  await page.getByRole('button', { name: /Remove 1 selected/ }).click();
  await fault({ method: 'DELETE', path: '/v1/cloudimages/members', delay_ms: 400 });
  const deletes = countRequests(page, 'DELETE', '/members');
  await page.getByRole('dialog', { name: 'Remove members?' }).getByRole('button', { name: 'Remove' }).dblclick();
  await page.waitForFunction((id) => !document.querySelector('table[aria-label=Members]').innerText.includes(id), newcomer);
  assert.equal(deletes.n, 1);
});

test('the image page adds one member through the batch job, shows its record, and removes members', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, `/images/${ids.images['shared-to-many'].id}`);
  await page.getByRole('table', { name: 'Members' }).waitFor();
  await page.getByLabel('Project ID').fill('not-an-id');
  await page.getByRole('button', { name: 'Add member' }).click();
  await page.getByText('Enter one project ID: 32 hex characters.').waitFor();
  const newcomer = 'ab'.repeat(16);
  await page.getByLabel('Project ID').fill(newcomer);
  await page.getByRole('button', { name: 'Add member' }).click();
  const added = page.getByRole('status', { name: 'Added member' });
  await added.waitFor();
  assert.match(await added.innerText(), new RegExp(`Added ${newcomer}: status pending, created \\d{4}-`));
  await page.getByRole('table', { name: 'Members' }).getByText(newcomer).waitFor();
  // A duplicate is refused with the service's words, and the field keeps the ID.
  await page.getByLabel('Project ID').fill(newcomer);
  await page.getByRole('button', { name: 'Add member' }).click();
  await page.getByText(`${newcomer} is already a member (status pending).`).waitFor();
  assert.equal(await page.getByLabel('Project ID').inputValue(), newcomer);
  await page.getByLabel(`Select member ${newcomer}`).check();
  await page.getByLabel(`Select member ${ids.projects['partner-prod']}`).check();
  await page.getByRole('button', { name: /Remove 2 selected/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove members?' });
  assert.match(await dialog.innerText(), new RegExp(newcomer));
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await dialog.waitFor({ state: 'detached' });
  const table = page.getByRole('table', { name: 'Members' });
  await page.waitForFunction((id) => !document.querySelector('table[aria-label=Members]').innerText.includes(id), newcomer);
  assert.doesNotMatch(await table.innerText(), new RegExp(ids.projects['partner-prod']));
  assert.match(await table.innerText(), new RegExp(ids.projects['acme-dev']));
});

test('stop sharing names what will stop, then the job removes the members', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openStopForm(page, ['shared-to-many'], [ids.projects['acme-dev'], ids.projects['acme-test']]);
  await form.getByRole('button', { name: 'Stop sharing…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Stop sharing?' });
  const text = await dialog.innerText();
  assert.match(text, /shared-to-many/);
  assert.match(text, new RegExp(ids.projects['acme-test']));
  await dialog.getByRole('button', { name: 'Stop sharing' }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Stop sharing job for 1 image\(s\) succeeded/).waitFor();
  const s = await seed();
  assert.deepEqual(Object.keys(s.images['shared-to-many'].members), [ids.projects['partner-prod']]);
});

test('a failing image list shows the error with a retry that recovers', async () => {
  const page = await newPage(browser);
  // Reads are retried twice by the console, and the inbox badge lists the same path: the
  // fault holds until cleared.
  await fault({ method: 'GET', path: '/v2/cloudimages', status: 500, count: 100 });
  await signIn(page, USERS.owner);
  const alert = page.getByRole('alert').filter({ hasText: 'Listing images failed' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /HTTP 500/);
  await clearFaults();
  await alert.getByRole('button', { name: 'Retry' }).click();
  await page.getByTestId('image-count').filter({ hasText: '24 images' }).waitFor();
});

test('a dropped connection and an HTML gateway page are reported in plain words', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  // Chromium silently re-sends a request whose reused connection drops: hold the fault.
  await fault({ method: 'GET', path: '/v2/cloudimages', reset: true, count: 100 });
  await page.getByRole('button', { name: 'Reload' }).click();
  await page.getByRole('alert').filter({ hasText: /could not be reached|cut off/ }).waitFor();
  await clearFaults();
  await fault({ method: 'GET', path: '/v2/cloudimages', html: true, status: 502, count: 100 });
  await page.getByRole('button', { name: 'Reload' }).click();
  const alert = page.getByRole('alert').filter({ hasText: /502/ });
  await alert.waitFor();
  assert.doesNotMatch(await alert.innerText(), /<h1>|<html/);
  assert.match(await alert.innerText(), /502 Bad Gateway The gateway could not reach the service/);
});

test('a reload goes on watching a running job, which then ends with a notice', async () => {
  await admin(BASE, 'settings', { job_delay_ms: [10000, 10000] });
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShare(page, ['oracle-linux-9']);
  await form.getByLabel('Project IDs to share with').fill(ids.projects['acme-dev']);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await form.getByText(/Started 1 share job/).waitFor();
  await page.reload();
  // While a job runs the link reads "Jobs 1 running".
  await page.getByRole('link', { name: /^Jobs/ }).click();
  const row = page.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1);
  const text = await row.innerText();
  assert.match(text, /Queued|Running/, `still running after the reload: ${text}`);
  await row.getByText('Succeeded').waitFor({ timeout: 25000 });
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor();
});

test('the image page refreshes its members when a job on that image ends', async () => {
  await admin(BASE, 'settings', { job_delay_ms: [2500, 2500] });
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShare(page, ['opensuse-15.6']);
  await form.getByLabel('Project IDs to share with').fill(ids.projects['partner-prod']);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await form.getByText(/Started 1 share job/).waitFor();
  await page.getByRole('link', { name: 'opensuse-15.6' }).click();
  await page.getByText('Not shared with anyone.').waitFor();
  await page.getByRole('table', { name: 'Members' }).getByText(ids.projects['partner-prod']).waitFor({ timeout: 10000 });
});
