// Security at the seams (docs/security.md): one user per tab's jobs, crafted IDs in the
// address bar, and a frame that no allowed portal opened.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, reset, seed, admin, fault, launch, newPage, signIn, fillSignIn, countRequests, openShareForm } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

const JOBS_KEY = 'ims-share-console.jobs';

test('sign-out forgets the jobs: the next user of the tab sees none, in memory or in sessionStorage', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShareForm(page, ['debian-12-hardened'], [ids.projects['acme-dev']]);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor({ timeout: 30000 });
  assert.ok(await page.evaluate((k) => sessionStorage.getItem(k), JOBS_KEY), 'the job is kept for reloads');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), JOBS_KEY), null, 'gone from sessionStorage');
  await fillSignIn(page, USERS.dev);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  await page.getByText('No jobs in this tab yet.').waitFor();
  assert.equal(await page.getByRole('table', { name: 'Jobs' }).getByRole('row').count(), 1, 'only the header row');
});

test('a job\'s late 401 never ends the next user\'s session, and a forgotten job sends nothing more', async () => {
  await admin(BASE, 'settings', { glance_mode: true });
  const image = ids.images['shared-accepted-dev'].id;
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShareForm(page, ['shared-accepted-dev'], [ids.projects['partner-prod'], 'cd'.repeat(16), 'ef'.repeat(16)]);
  // The first call is answered late, after the sign-out below has revoked its token.
  await fault({ method: 'POST', path: `/v2/images/${image}/members`, delay_ms: 2500, count: 3 });
  const posts = countRequests(page, 'POST', '/members');
  const late401 = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/members') && r.status() === 401, { timeout: 20000 });
  const first = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/members'));
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await first;
  const sentBeforeSignOut = posts.n;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await fillSignIn(page, USERS.dev);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  await late401;
  // The 401 belonged to the owner's token: dev's session goes on, with no sign-in dialog.
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  await page.getByText('No jobs in this tab yet.').waitFor();
  assert.equal(await page.getByRole('dialog', { name: 'Sign in again' }).count(), 0);
  await page.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  // A round trip of dev's own after the 401: the forgotten job's workers would have sent by now.
  await page.getByRole('link', { name: /^Shared with me/ }).click();
  await page.getByRole('heading', { name: 'Shared with me' }).waitFor();
  assert.equal(posts.n, sentBeforeSignOut, 'no member call after the sign-out');
  const members = (await seed()).images['shared-accepted-dev'].members;
  assert.equal(members['cd'.repeat(16)], undefined, 'the queued calls were never sent');
});

test('a client job waits while its user works in another project, and goes on when the project is back', async () => {
  await admin(BASE, 'settings', { glance_mode: true });
  const image = ids.images['shared-accepted-dev'].id;
  const targets = [ids.projects['partner-prod'], ids.projects['acme-test'], 'ab'.repeat(16)];
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShareForm(page, ['shared-accepted-dev'], targets);
  await fault({ method: 'POST', path: `/v2/images/${image}/members`, delay_ms: 2000, count: 1 });
  const posts = countRequests(page, 'POST', '/members');
  const first = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/members'));
  const firstAnswered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/members'), { timeout: 20000 });
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await first;
  await page.getByRole('button', { name: 'Switch project…' }).click();
  await page.getByLabel('Switch project').selectOption({ label: 'acme-dev' });
  await page.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  await firstAnswered;
  // A round trip in acme-dev after the first answer: the other calls would have gone by now.
  await page.getByRole('link', { name: /^Shared with me/ }).click();
  await page.getByRole('heading', { name: 'Shared with me' }).waitFor();
  assert.equal(posts.n, 1, 'nothing sent with acme-dev\'s token');
  await page.getByLabel('Switch project').selectOption({ label: 'acme-images' });
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor({ timeout: 30000 });
  const members = (await seed()).images['shared-accepted-dev'].members;
  for (const p of targets) assert.ok(members[p], `${p} is a member`);
});

test('a crafted image address sends nothing and says it is not an image ID', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const paths = [];
  page.on('request', (r) => paths.push(new URL(r.url()).pathname));
  for (const crafted of ['/images/..%2F..%2Fv3%2Fdomains%3F', '/images/%2e%2e%2Fv3%2Fdomains', '/images/not-an-id']) {
    await page.goto(`${BASE}${crafted}`);
    await page.getByRole('heading', { name: 'This is not an image ID' }).waitFor();
  }
  const api = paths.filter((p) => /^\/v[123]\//.test(p));
  assert.ok(!api.some((p) => /domains/i.test(p)), api.join('\n'));
  assert.ok(!api.some((p) => p.startsWith('/v2/images/') && !/^\/v2\/images\/[0-9a-f-]{36}(\/|$)/.test(p)), api.join('\n'));
  // A real ID still opens its page.
  await page.goto(`${BASE}/images/${ids.images['debian-12-hardened'].id}`);
  await page.getByRole('heading', { name: 'debian-12-hardened' }).waitFor();
});

test('the console\'s documents refuse every frame when no portal is allowed', async () => {
  const r = await fetch(`${BASE}/images`);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
});

test('framed with embedding off, even where the server sent no header, it shows the refusal and no sign-in form', async () => {
  const page = await newPage(browser);
  await page.route('http://framer.test/', (r) => r.fulfill({ contentType: 'text/html', body: `<!DOCTYPE html><title>Some page</title><iframe id="c" src="${BASE}/images"></iframe>` }));
  // As a server that sends neither frame-ancestors nor X-Frame-Options would serve it.
  await page.route(`${BASE}/images`, async (r) => {
    const resp = await r.fetch();
    const headers = { ...resp.headers() };
    delete headers['content-security-policy'];
    delete headers['x-frame-options'];
    await r.fulfill({ response: resp, headers });
  });
  const api = countRequests(page, 'POST', '/v3/auth/tokens');
  await page.goto('http://framer.test/');
  const frame = page.frameLocator('#c');
  await frame.getByRole('heading', { name: 'This console cannot be shown inside another page here' }).waitFor();
  assert.equal(await frame.getByRole('button', { name: 'Sign in' }).count(), 0);
  assert.equal(await frame.getByLabel('Password', { exact: true }).count(), 0);
  assert.equal(api.n, 0);
});
