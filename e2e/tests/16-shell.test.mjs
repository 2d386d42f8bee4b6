// Issue: performance (cold start). The sign-in form is in the page itself, usable before the
// wasm has arrived; the app adopts what was typed there, the focus, and a submit asked for.
// The wasm is held back by the test (a route that waits on a gate), so "before the app" is a
// state the test controls, not a race.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, launch, newPage, reset, countRequests, fillSignIn, signIn } from '../lib/harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); });

/** Holds every request for the wasm until `release()` is called. */
async function holdWasm(page) {
  let release;
  const gate = new Promise((r) => { release = r; });
  let asked = 0;
  await page.route(/_bg\.wasm$/, async (route) => {
    asked += 1;
    await gate;
    await route.continue();
  });
  return { release: () => release(), asked: () => asked };
}

/** True once the app (not the page's own form) has rendered. */
const appMounted = (page) => page.evaluate(() => !document.querySelector('main[data-shell]'));

test('the sign-in form shows and takes input before the app has loaded, and the app keeps it', async () => {
  const page = await newPage(browser);
  const wasm = await holdWasm(page);
  await page.goto(`${BASE}/images`);
  await page.getByLabel('Password', { exact: true }).waitFor({ state: 'visible' });
  assert.equal(await appMounted(page), false, 'the form is the page\'s own: the wasm is held');
  await page.getByLabel('User name').fill(USERS.owner.user);
  await page.getByLabel('Project (name or ID)').fill(USERS.owner.project);
  await page.getByLabel('Password', { exact: true }).fill(USERS.owner.password.slice(0, 4));
  wasm.release();
  await page.waitForFunction(() => !document.querySelector('main[data-shell]'));
  // The app's own form now: every value carried over, the focus still in the password field,
  // so typing goes on where it stopped.
  assert.equal(await page.getByLabel('User name').inputValue(), USERS.owner.user);
  assert.equal(await page.getByLabel('Project (name or ID)').inputValue(), USERS.owner.project);
  assert.equal(await page.getByLabel('Domain (account)').inputValue(), 'Default', 'the configured domain fills the empty field');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'sign-in-password');
  await page.keyboard.type(USERS.owner.password.slice(4));
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), USERS.owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-project').filter({ hasText: USERS.owner.project }).waitFor();
});

test('keys typed while the app takes over from the page\'s form all land, in order', async () => {
  const page = await newPage(browser);
  const wasm = await holdWasm(page);
  await page.goto(`${BASE}/images`);
  // A slow machine: the app's first render outlasts the scheduler's time slice, so the
  // browser gets its turn (and the keys theirs) while the app starts.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
  const user = page.getByLabel('User name');
  await user.click();
  const text = 'owner-typed-across-the-take-over-0123456789-abcdefghijklmnopqrstuvwxyz';
  // Typing goes on, a key every few milliseconds, from before the wasm is let go until after
  // the app has taken over: whichever key falls on the take-over, none is lost.
  const typing = page.keyboard.type(text, { delay: 8 });
  await page.waitForFunction(() => document.getElementById('sign-in-user').value.length >= 8);
  wasm.release();
  await typing;
  await page.waitForFunction(() => !document.querySelector('main[data-shell]'));
  assert.equal(await user.inputValue(), text);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'sign-in-user');
});

test('a sign-in filled and sent while the app takes over signs in, with one request', async () => {
  const page = await newPage(browser);
  const wasm = await holdWasm(page);
  const logins = countRequests(page, 'POST', '/v3/auth/tokens');
  await page.goto(`${BASE}/images`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
  await page.getByLabel('User name').waitFor();
  wasm.release();
  await fillSignIn(page, USERS.owner);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-project').filter({ hasText: USERS.owner.project }).waitFor({ timeout: 30000 });
  assert.equal(logins.n, 1);
});

test('a click on "Sign in" before the app has loaded is held, then sent once', async () => {
  const page = await newPage(browser);
  const wasm = await holdWasm(page);
  const logins = countRequests(page, 'POST', '/v3/auth/tokens');
  await page.goto(`${BASE}/images`);
  await fillSignIn(page, USERS.owner);
  const button = page.getByRole('button', { name: 'Signing in…' });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await button.waitFor();
  assert.equal(await button.isDisabled(), true, 'a second click cannot send again');
  assert.equal(page.url(), `${BASE}/images`, 'the form was not submitted by the browser (no password in a URL)');
  assert.equal(logins.n, 0, 'nothing is sent before the app has loaded');
  wasm.release();
  await page.getByTestId('current-project').filter({ hasText: USERS.owner.project }).waitFor();
  assert.equal(logins.n, 1);
  assert.equal(page.url(), `${BASE}/images`);
});

test('an empty field submitted before the app has loaded gets its message from the app', async () => {
  const page = await newPage(browser);
  const wasm = await holdWasm(page);
  const logins = countRequests(page, 'POST', '/v3/auth/tokens');
  await page.goto(`${BASE}/`);
  await page.getByLabel('User name').fill(USERS.owner.user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  wasm.release();
  await page.getByText('Enter the password.').waitFor();
  await page.getByText('Enter the project.').waitFor();
  assert.equal(await page.getByLabel('User name').inputValue(), USERS.owner.user);
  assert.equal(logins.n, 0);
});

test('"Use an existing token" chosen before the app has loaded stays chosen', async () => {
  const page = await newPage(browser);
  const wasm = await holdWasm(page);
  await page.goto(`${BASE}/`);
  await page.getByRole('button', { name: 'Use an existing token' }).click();
  await page.getByLabel('Token').fill('not-a-token');
  assert.equal(await page.getByLabel('User name').isVisible(), false);
  wasm.release();
  await page.waitForFunction(() => !document.querySelector('main[data-shell]'));
  assert.equal(await page.getByRole('button', { name: 'Use an existing token' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByLabel('Token').inputValue(), 'not-a-token');
});

test('a reload with a session never shows the sign-in form', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const wasm = await holdWasm(page);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByText('Loading IMS Share Console…').waitFor({ state: 'visible' });
  assert.equal(await page.getByLabel('Password', { exact: true }).isVisible(), false);
  wasm.release();
  await page.getByRole('heading', { name: 'My images' }).waitFor();
});

test('config.json is fetched once, beside the wasm, and the app uses that answer', async () => {
  const page = await newPage(browser);
  const configs = countRequests(page, 'GET', '/config.json');
  const wasm = await holdWasm(page);
  await page.goto(`${BASE}/`);
  // Asked for while the wasm is still held: not after the app has started.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/config.json')));
  assert.equal(wasm.asked() >= 1, true);
  wasm.release();
  await page.waitForFunction(() => !document.querySelector('main[data-shell]'));
  await page.getByLabel('Domain (account)').waitFor();
  assert.equal(await page.getByLabel('Domain (account)').inputValue(), 'Default');
  assert.equal(configs.n, 1, 'the app did not fetch config.json a second time');
});

test('a wasm that does not arrive is said in the page, with what was typed and a usable button kept', async () => {
  const page = await newPage(browser);
  let fail;
  const gate = new Promise((r) => { fail = r; });
  await page.route(/_bg\.wasm$/, async (route) => { await gate; await route.abort('failed'); });
  await page.goto(`${BASE}/images`);
  await page.getByLabel('User name').fill(USERS.owner.user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Signing in…' }).waitFor();
  fail();
  const alert = page.getByRole('alert').filter({ hasText: 'The console could not start' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /did not load|did not start/);
  assert.equal(await page.getByLabel('User name').inputValue(), USERS.owner.user);
  // The held submit is let go: the button is usable again, and now points at the Reload.
  const signIn = page.getByRole('button', { name: 'Sign in' });
  assert.equal(await signIn.isEnabled(), true);
  await signIn.click();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Reload');
  await page.unroute(/_bg\.wasm$/);
  await alert.getByRole('button', { name: 'Reload' }).click();
  await page.waitForFunction(() => !document.querySelector('main[data-shell]') && document.querySelector('form.sign-in'));
  assert.equal(await page.getByRole('alert').filter({ hasText: 'The console could not start' }).count(), 0);
});
