// Embedding in a portal on another origin: the hand-off, expiry and renewal mid-form, the
// events the portal hears, navigate and theme, and a page on an origin that is not allowed.
// PORTAL_BASE serves e2e/portal on an allowed origin, FOREIGN_BASE the same files on one that
// is not; E2E_BASE is the console, configured with PORTAL_BASE in embed.allowed_origins.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, reset, seed, admin } from '../lib/harness.mjs';

const PORTAL = process.env.PORTAL_BASE;
const FOREIGN = process.env.FOREIGN_BASE;

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

const portalUrl = (base, path = '/images', extra = '') => `${base}/?console=${encodeURIComponent(`${BASE}${path}`)}&iam=${encodeURIComponent(BASE)}${extra}`;
const received = (page) => page.evaluate(() => window.received);
const waitForMessage = (page, type, pred = 'true') => page.waitForFunction(([t, p]) => window.received.some((m) => m.type === t && new Function('m', `return ${p}`)(m)), [type, pred]);

async function openPortal(extra = '', path = '/images') {
  const page = await newPage(browser);
  await page.goto(portalUrl(PORTAL, path, extra));
  return { page, frame: page.frameLocator('#console') };
}

test('the hand-off lists the images, with no sign-in form', async () => {
  const { page, frame } = await openPortal();
  await frame.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
  assert.equal(await frame.getByRole('heading', { name: 'Sign in' }).count(), 0);
  assert.equal(await frame.getByRole('button', { name: 'Sign out' }).count(), 0, 'the portal owns sign-out');
  await frame.getByTestId('current-project').filter({ hasText: 'acme-images' }).waitFor();
  const msgs = await received(page);
  assert.deepEqual(msgs[0], { type: 'ims-console:ready' });
  assert.ok(msgs.some((m) => m.type === 'ims-console:signed-in' && m.user === 'owner' && m.project === 'acme-images'));
});

test('an expiry mid-form: session-expired, a new token from the portal, the typed IDs kept, the share done', async () => {
  const { page, frame } = await openPortal();
  await frame.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
  await frame.getByLabel('Select debian-12-hardened', { exact: true }).check();
  await frame.getByRole('button', { name: /Share 1 selected/ }).click();
  const form = frame.getByRole('form', { name: /Share \d+ image/ });
  await form.getByLabel('Project IDs to share with').fill(ids.projects['acme-dev']);
  await admin(BASE, 'tokens/expire');
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await waitForMessage(page, 'ims-console:session-expired');
  // The portal answers by itself with a new token; the console checks it and goes on.
  await page.waitForFunction(() => window.received.filter((m) => m.type === 'ims-console:signed-in').length === 2);
  await frame.getByRole('dialog', { name: 'Session ended' }).waitFor({ state: 'detached' });
  assert.equal(await form.getByLabel('Project IDs to share with').inputValue(), ids.projects['acme-dev']);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await waitForMessage(page, 'ims-console:job-finished', "m.kind === 'share' && m.status === 'SUCCESS'");
  const done = (await received(page)).find((m) => m.type === 'ims-console:job-finished');
  assert.deepEqual(done, { type: 'ims-console:job-finished', kind: 'share', status: 'SUCCESS', images: 1, projects: 1, failed: 0 });
  const s = await seed();
  assert.equal(s.images['debian-12-hardened'].members[ids.projects['acme-dev']], 'pending');
});

test('navigated and resize reach the portal; navigate is obeyed; theme is applied', async () => {
  const { page, frame } = await openPortal();
  await frame.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
  await waitForMessage(page, 'ims-console:navigated', "m.path === '/images'");
  await waitForMessage(page, 'ims-console:resize', 'm.height > 100');
  await page.getByRole('button', { name: 'Open Jobs in the console' }).click();
  await frame.getByRole('heading', { name: 'Jobs' }).waitFor();
  await waitForMessage(page, 'ims-console:navigated', "m.path === '/jobs'");

  const header = frame.locator('header.top');
  const before = await header.evaluate((el) => getComputedStyle(el).backgroundColor);
  await page.getByRole('button', { name: 'Purple theme' }).click();
  const consoleFrame = page.frames().find((f) => f.url().startsWith(BASE));
  await consoleFrame.waitForFunction(() => getComputedStyle(document.querySelector('header.top')).backgroundColor === 'rgb(58, 42, 92)');
  const after = await header.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(before, after);
  assert.equal(await frame.locator('html').evaluate((el) => getComputedStyle(el).getPropertyValue('--ims-accent').trim()), '#7a1fa2');
});

test('a page on an origin that is not allowed cannot frame the console and gets no message', async () => {
  const page = await newPage(browser);
  const blocked = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
  await page.goto(portalUrl(FOREIGN));
  await blocked;
  assert.deepEqual(await received(page), []);
});

test('a session message from a sibling frame of another origin changes nothing', async () => {
  const { page, frame } = await openPortal('&handover=off');
  await frame.getByText('Waiting for the portal to sign you in…').waitFor();
  const tokenChecks = { n: 0 };
  page.on('request', (r) => { if (r.method() === 'GET' && r.url().includes('/v3/auth/tokens')) tokenChecks.n += 1; });
  const r = await fetch(`${BASE}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'owner', password: 'Owner-Pass-1', domain: { name: 'Default' } } } }, scope: { project: { name: 'acme-images', domain: { name: 'Default' } } } } }) });
  const token = r.headers.get('x-subject-token');
  const posted = page.evaluate(() => new Promise((resolve) => window.addEventListener('message', (e) => { if (e.data && e.data.foreignPosted) resolve(true); })));
  await page.evaluate(([src]) => {
    const f = document.createElement('iframe');
    f.src = src;
    document.body.appendChild(f);
  }, [`${FOREIGN}/foreign.html?token=${encodeURIComponent(token)}`]);
  await posted;
  // Then the portal itself speaks: once its message is handled, the foreign one was too.
  await page.getByRole('button', { name: 'Open Jobs in the console' }).click();
  await waitForMessage(page, 'ims-console:navigated', "m.path === '/jobs'");
  assert.equal(tokenChecks.n, 0, 'the foreign token was never even checked');
  await frame.getByText('Waiting for the portal to sign you in…').waitFor();
  assert.ok(!(await received(page)).some((m) => m.type === 'ims-console:signed-in'));
});

test('no message the console sends ever contains a token', async () => {
  const { page, frame } = await openPortal();
  await frame.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
  await page.getByRole('button', { name: 'Hand over a new session' }).click();
  await page.waitForFunction(() => window.received.filter((m) => m.type === 'ims-console:signed-in').length === 2);
  const { msgs, issued } = await page.evaluate(() => ({ msgs: window.received, issued: window.issued }));
  assert.ok(issued.length >= 2);
  const text = JSON.stringify(msgs);
  for (const t of issued) assert.ok(!text.includes(t), 'a token leaked into a message');
  assert.ok(msgs.every((m) => !('token' in m)));
});

/** The fallback console framed by a portal that hands nothing over, dev signed in with its own form. */
async function fallbackSignedInAsDev() {
  const page = await newPage(browser);
  const fallback = process.env.FALLBACK_BASE;
  await page.goto(`${PORTAL}/?console=${encodeURIComponent(`${fallback}/images`)}&iam=${encodeURIComponent(fallback)}&handover=off`);
  const frame = page.frameLocator('#console');
  await frame.getByRole('heading', { name: 'Sign in' }).waitFor();
  await frame.getByLabel('User name').fill('dev');
  await frame.getByLabel('Password', { exact: true }).fill('Dev-Pass-1');
  await frame.getByLabel('Domain (account)').fill('Default');
  await frame.getByLabel('Project (name or ID)').fill('acme-dev');
  await frame.getByRole('button', { name: 'Sign in' }).click();
  await frame.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  return { page, frame, fallback };
}

test('with sign_in kept as a fallback, the framed console offers its own sign-in, and no sign-out', async () => {
  const { page, frame } = await fallbackSignedInAsDev();
  assert.equal(await frame.getByRole('button', { name: 'Sign out' }).count(), 0, 'embedded: the portal owns sign-out');
  const msgs = await received(page);
  assert.deepEqual(msgs[0], { type: 'ims-console:ready' }, 'it still asks the portal first');
});

/** The console frame's window (for its own storage). */
const consoleFrame = (page, base = BASE) => page.frames().find((f) => f.url().startsWith(base));
/** The portal opened, debian-12-hardened shared with `project` from the frame, its job ended. */
async function portalWithAJob(project) {
  const { page, frame } = await openPortal();
  await frame.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
  await frame.getByLabel('Select debian-12-hardened', { exact: true }).check();
  await frame.getByRole('button', { name: /Share 1 selected/ }).click();
  const form = frame.getByRole('form', { name: /Share \d+ image/ });
  await form.getByLabel('Project IDs to share with').fill(project);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await waitForMessage(page, 'ims-console:job-finished', "m.kind === 'share'");
  return { page, frame, form };
}

const tokenValid = async (token) => (await fetch(`${BASE}/v3/auth/tokens`, { headers: { 'X-Auth-Token': token, 'X-Subject-Token': token, accept: 'application/json' } })).status === 200;

test('the portal\'s sign-out revokes the token, forgets the jobs and closes the forms, then the console answers ready', async () => {
  const { page, frame, form } = await portalWithAJob(ids.projects['acme-dev']);
  assert.ok(await consoleFrame(page).evaluate(() => sessionStorage.getItem('ims-share-console.jobs')));
  // A form left open when the portal's user signs out.
  await frame.getByRole('button', { name: /Share 1 selected/ }).click();
  await form.waitFor();
  const token = await page.evaluate(() => window.issued.at(-1));
  assert.ok(await tokenValid(token));
  await page.getByRole('button', { name: 'Sign out of the portal' }).click();
  await page.waitForFunction(() => window.received.filter((m) => m.type === 'ims-console:ready').length === 2);
  assert.equal(await tokenValid(token), false, 'revoked before ready');
  await frame.getByText('Waiting for the portal to sign you in…').waitFor();
  assert.equal(await form.count(), 0, 'the form is closed');
  assert.equal(await consoleFrame(page).evaluate(() => sessionStorage.getItem('ims-share-console.jobs')), null);
  await page.getByRole('button', { name: 'Hand over a new session' }).click();
  await frame.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
  await page.getByRole('button', { name: 'Open Jobs in the console' }).click();
  await frame.getByText('No jobs in this tab yet.').waitFor();
});

test('a session for another user ends the first one\'s: its token revoked, its jobs gone', async () => {
  const { page, frame } = await portalWithAJob(ids.projects['acme-test']);
  const ownerToken = await page.evaluate(() => window.issued.at(-1));
  await page.getByRole('button', { name: 'Sign in as dev instead' }).click();
  await waitForMessage(page, 'ims-console:signed-in', "m.user === 'dev'");
  await frame.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  assert.equal(await tokenValid(ownerToken), false, 'the first user\'s token was revoked');
  await page.getByRole('button', { name: 'Open Jobs in the console' }).click();
  await frame.getByText('No jobs in this tab yet.').waitFor();
});

test('the token a portal hands over is never in sessionStorage: a reload asks the portal again', async () => {
  const { page, frame } = await openPortal();
  await frame.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
  const stored = await consoleFrame(page).evaluate(() => Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)]));
  const token = await page.evaluate(() => window.issued.at(-1));
  assert.ok(!stored.some(([, v]) => v.includes(token)), 'no stored value holds the token');
  await consoleFrame(page).evaluate(() => location.reload());
  await page.waitForFunction(() => window.received.filter((m) => m.type === 'ims-console:ready').length === 2);
  await frame.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
});

test('a session kept from an earlier load is checked with IAM: signed-in while valid, ready once it is not', async () => {
  const { page, frame, fallback } = await fallbackSignedInAsDev();
  const checks = { n: 0 };
  page.on('request', (r) => { if (r.method() === 'GET' && r.url().includes('/v3/auth/tokens')) checks.n += 1; });
  let seen = (await received(page)).length;
  await consoleFrame(page, fallback).evaluate(() => location.reload());
  await page.waitForFunction((n) => window.received.slice(n).some((m) => m.type === 'ims-console:signed-in' || m.type === 'ims-console:ready'), seen);
  const first = (await received(page)).slice(seen).find((m) => m.type === 'ims-console:signed-in' || m.type === 'ims-console:ready');
  assert.deepEqual(first, { type: 'ims-console:signed-in', user: 'dev', project: 'acme-dev' });
  assert.ok(checks.n >= 1, 'the kept token was checked with IAM');
  await admin(fallback, 'tokens/expire');
  seen = (await received(page)).length;
  await consoleFrame(page, fallback).evaluate(() => location.reload());
  await page.waitForFunction((n) => window.received.slice(n).some((m) => m.type === 'ims-console:signed-in' || m.type === 'ims-console:ready'), seen);
  const next = (await received(page)).slice(seen).find((m) => m.type === 'ims-console:signed-in' || m.type === 'ims-console:ready');
  assert.deepEqual(next, { type: 'ims-console:ready' });
  await frame.getByRole('heading', { name: 'Sign in' }).waitFor();
});

test('a navigate message with a crafted path is ignored', async () => {
  const { page, frame } = await openPortal();
  await frame.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
  const paths = [];
  page.on('request', (r) => paths.push(new URL(r.url()).pathname));
  await page.evaluate(() => document.getElementById('console').contentWindow.postMessage({ type: 'ims-console:navigate', path: '/images/..%2F..%2Fv3%2Fdomains%3F' }, new URL(document.getElementById('console').src).origin));
  await page.getByRole('button', { name: 'Open Jobs in the console' }).click();
  await waitForMessage(page, 'ims-console:navigated', "m.path === '/jobs'");
  assert.ok(!(await received(page)).some((m) => m.type === 'ims-console:navigated' && m.path.includes('..')));
  assert.ok(!paths.some((p) => /^\/v[123]\/.*domains/i.test(p)));
});
