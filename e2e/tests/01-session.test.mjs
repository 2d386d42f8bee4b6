// Issue: foundation. Sign-in, the header, reload, sign-out, IAM errors, expiry and return.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, launch, newPage, signIn, fillSignIn, reset, admin, seed, fault, countRequests } from '../lib/harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); });

test('signing in shows user, project and time left in the header', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const session = page.getByRole('definition').filter({ hasText: /h \d+ min/ });
  assert.match(await session.innerText(), /23 h 59 min|24 h 0 min/);
  assert.equal(await page.getByTestId('current-project').innerText(), 'acme-images');
  await page.getByRole('heading', { name: 'My images' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the token is kept in sessionStorage only, never in localStorage or the URL', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const stored = await page.evaluate(() => ({ session: Object.keys(sessionStorage), local: localStorage.length, url: location.href, raw: JSON.stringify(sessionStorage) }));
  assert.ok(stored.session.includes('ims-share-console.session'));
  assert.equal(stored.local, 0);
  assert.ok(!stored.url.includes('MII'));
  assert.ok(!stored.raw.includes('Owner-Pass-1'), 'the password is never stored');
});

test('a reload keeps the session and the page', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, '/jobs');
  await page.reload();
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
  assert.equal(await page.getByTestId('current-project').innerText(), 'acme-images');
});

test('signing out clears the session and revokes the token', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('ims-share-console.session')).info.token);
  // Revocation is best effort and does not hold the sign-out up: its answer is awaited here.
  const revoked = page.waitForResponse((r) => r.request().method() === 'DELETE' && new URL(r.url()).pathname.endsWith('/v3/auth/tokens'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('ims-share-console.session')), null);
  assert.equal((await revoked).status(), 204);
  const status = (await fetch(`${BASE}/v3/auth/tokens`, { headers: { 'X-Auth-Token': token, 'X-Subject-Token': token } })).status;
  assert.equal(status, 401, 'IAM no longer knows the token');
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
});

test('a wrong password shows the IAM message next to the form and keeps what was typed', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/images`);
  await fillSignIn(page, { ...USERS.owner, password: 'wrong-one' });
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.locator('form.sign-in').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Sign-in refused: The username or password is wrong\./);
  assert.equal(await page.getByLabel('User name').inputValue(), 'owner');
  assert.equal(await page.getByLabel('Project (name or ID)').inputValue(), 'acme-images');
});

test('a double click on the app\'s Sign in sends one request', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/images`);
  await page.waitForFunction(() => !document.querySelector('main[data-shell]') && document.querySelector('form.sign-in'));
  await fillSignIn(page, USERS.owner);
  await fault({ method: 'POST', path: '/v3/auth/tokens', delay_ms: 400 });
  const posts = countRequests(page, 'POST', '/v3/auth/tokens');
  await page.getByRole('button', { name: 'Sign in' }).dblclick();
  await page.getByTestId('current-project').filter({ hasText: USERS.owner.project }).waitFor();
  assert.equal(posts.n, 1);
});

test('empty fields are named next to the field, and nothing is sent', async () => {
  const page = await newPage(browser);
  let posts = 0;
  page.on('request', (r) => { if (r.method() === 'POST') posts += 1; });
  await page.goto(`${BASE}/images`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Enter the password.').waitFor();
  assert.equal(posts, 0);
});

test('the message under an empty field leaves the focus and caret in that field', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/images`);
  // The app's own form, not the page's: its messages are what is under test.
  await page.waitForFunction(() => !document.querySelector('main[data-shell]') && document.querySelector('form.sign-in'));
  await page.getByLabel('User name').fill(USERS.owner.user);
  await page.getByLabel('Password', { exact: true }).fill(USERS.owner.password);
  await page.getByLabel('Domain (account)').fill('Default');
  const project = page.getByLabel('Project (name or ID)');
  await project.focus();
  await project.press('Enter');
  await page.getByText('Enter the project.').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'sign-in-project');
  await page.keyboard.type(USERS.owner.project);
  assert.equal(await project.inputValue(), USERS.owner.project, 'typing goes on in the same field');
});

test('an existing token signs in after IAM checks it; a bad one is refused', async () => {
  const login = await fetch(`${BASE}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'dev', password: 'Dev-Pass-1', domain: { name: 'Default' } } } }, scope: { project: { name: 'acme-dev', domain: { name: 'Default' } } } } }) });
  const token = login.headers.get('x-subject-token');
  const page = await newPage(browser);
  await page.goto(`${BASE}/shared`);
  await page.getByRole('button', { name: 'Use an existing token' }).click();
  await page.getByLabel('Token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('form.sign-in').getByRole('alert').waitFor();
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  await page.getByRole('heading', { name: 'Shared with me' }).waitFor();
});

test('an expired token brings sign-in back over the page, then returns with the typed text', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  await page.getByLabel('Select rocky-9-db').check();
  await page.getByRole('button', { name: /Share 1 selected/ }).click();
  const ids = (await seed()).projects;
  await page.getByLabel('Project IDs to share with').fill(`${ids['acme-dev']}\n${ids['acme-test']}`);
  await admin(BASE, 'tokens/expire');
  // The next call gets a 401: the filter input does not call, the Reload button does.
  await page.getByRole('button', { name: 'Reload' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in again' });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('User name').inputValue(), 'owner');
  assert.equal(await dialog.getByLabel('Project (name or ID)').inputValue(), 'acme-images');
  await dialog.getByLabel('Password', { exact: true }).fill(USERS.owner.password);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.getByLabel('Project IDs to share with').inputValue(), `${ids['acme-dev']}\n${ids['acme-test']}`);
  assert.match(await page.getByTestId('share-preview').innerText(), /1 image × 2 projects = 2 shares/);
});

test('a token that reaches expires_at ends the session by itself', async () => {
  await admin(BASE, 'settings', { token_ttl_s: 3 });
  const page = await newPage(browser);
  await signIn(page, USERS.owner, '/settings');
  await page.getByRole('dialog', { name: 'Sign in again' }).waitFor({ timeout: 8000 });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('ims-share-console.session')), null, 'the expired token is dropped');
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
});

test('a visit to an unknown address signs in, then shows the not-found page', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, '/nowhere');
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
});

test('a console that cannot start shows an error screen, not a blank page', async () => {
  const page = await newPage(browser);
  await page.route('**/config.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"flavor": "nova"' }));
  await page.goto(`${BASE}/images`);
  const alert = page.getByRole('alert');
  await alert.getByRole('heading', { name: 'The console could not start' }).waitFor();
  assert.match(await alert.innerText(), /config\.json is not valid/);
  await alert.getByRole('button', { name: 'Reload' }).waitFor();
});
