// The user journeys through `cargo xtask nginx` (TLS, HTTP/2) in front of the sandbox, under
// the strict CSP (the harness fails a test on any violation): sign-in, share, accept, and the
// same build under /console/.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, launch, newPage, signIn, openShareForm, reset, seed } from '../lib/harness.mjs';

const ADMIN = process.env.SANDBOX_BASE;
const SUB = process.env.NGINX_SUBPATH_BASE;

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(ADMIN); ids = await seed(ADMIN); });

const protocols = (page) => page.evaluate(() => [
  performance.getEntriesByType('navigation')[0].nextHopProtocol,
  ...performance.getEntriesByType('resource').map((e) => e.nextHopProtocol),
]);

test('signing in through nginx runs over HTTP/2 and lists the images', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, '/images', BASE);
  await page.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
  const seen = new Set(await protocols(page));
  assert.deepEqual([...seen], ['h2'], 'every request of the page went over HTTP/2');
  assert.deepEqual(page.errors, []);
});

test('a share through nginx is sent, watched to success and recorded by the service', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, '/images', BASE);
  const form = await openShareForm(page, ['debian-12-hardened', 'ubuntu-24.04-base'], [ids.projects['acme-dev']]);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 2 image\(s\) succeeded/).waitFor();
  const s = await seed(ADMIN);
  assert.equal(s.images['debian-12-hardened'].members[ids.projects['acme-dev']], 'pending');
  assert.equal(s.images['ubuntu-24.04-base'].members[ids.projects['acme-dev']], 'pending');
});

test('the recipient accepts through nginx', async () => {
  const owner = await newPage(browser);
  await signIn(owner, USERS.owner, '/images', BASE);
  const form = await openShareForm(owner, ['fedora-40-ci'], [ids.projects['acme-test']]);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await owner.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor();

  const recipient = await newPage(browser);
  await signIn(recipient, USERS.tester, '/shared', BASE);
  const row = recipient.getByRole('table', { name: 'Images shared with this project' }).getByRole('row').filter({ hasText: 'fedora-40-ci' });
  await row.waitFor();
  await recipient.getByLabel('Select fedora-40-ci').check();
  await recipient.getByRole('button', { name: 'Accept 1 selected' }).click();
  await recipient.getByRole('status', { name: 'Notices' }).getByText(/Accept job for 1 image\(s\) succeeded/).waitFor();
  const s = await seed(ADMIN);
  assert.equal(s.images['fedora-40-ci'].members[ids.projects['acme-test']], 'accepted');
});

test('under /console/ the same journey works and a deep link survives a reload', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, '/jobs', SUB);
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/console/jobs');
  await page.getByRole('link', { name: 'My images' }).click();
  await page.getByTestId('image-count').filter({ hasText: /24 images/ }).waitFor();
});
