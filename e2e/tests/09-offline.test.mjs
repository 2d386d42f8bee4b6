// Offline and back: job polling and parallel batches pause behind a visible banner and go on
// by themselves when the network returns, with nothing lost and nothing sent twice.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, launch, newPage, signIn, openShareForm, reset, seed, admin, countRequests } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); await admin(BASE, 'settings', { glance_mode: false }).catch(() => {}); });
beforeEach(async () => { await reset(); ids = await seed(); });

const banner = (page) => page.getByRole('status').filter({ hasText: 'You are offline.' });
const notices = (page) => page.getByRole('status', { name: 'Notices' });

test('job polling waits behind the offline banner and finishes the job once back online', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShareForm(page, ['debian-12-hardened'], [ids.projects['acme-dev']]);
  const shares = countRequests(page, 'POST', '/v1/cloudimages/members');
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await form.getByText(/Started 1 share job/).waitFor();

  await page.context().setOffline(true);
  await banner(page).waitFor();
  const polls = countRequests(page, 'GET', '/jobs/');
  // The poller has ticked while offline (it says so on the job) and made no fetch, which
  // could only fail.
  const panel = page.getByRole('complementary', { name: 'Job activity' });
  await panel.getByText('Offline: checked again when the network is back.').waitFor();
  assert.equal(polls.n, 0, 'no poll while offline');
  assert.equal(await panel.getByText('Succeeded').count(), 0);

  await page.context().setOffline(false);
  await banner(page).waitFor({ state: 'detached' });
  await notices(page).getByText(/Share job for 1 image\(s\) succeeded/).waitFor();
  assert.equal(shares.n, 1, 'the share was sent once');
  assert.deepEqual(page.errors, []);
});

test('a parallel native batch pauses while offline and completes every pair once when back', async () => {
  await admin(BASE, 'settings', { glance_mode: true });
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  // Images already shared (Glance visibility "shared"), to projects not yet members.
  const images = ['shared-pending-dev', 'shared-rejected-dev'];
  const projects = [ids.projects['acme-test'], ids.projects['partner-prod']];
  const form = await openShareForm(page, images, projects);
  const adds = countRequests(page, 'POST', '/members');
  // Offline before the batch starts: no pair may be sent until the network is back.
  await page.context().setOffline(true);
  await banner(page).waitFor();
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  // The job's workers have started and wait (the job says so): nothing has gone out.
  await page.getByRole('complementary', { name: 'Job activity' }).getByText('Offline: the remaining calls wait for the network.').waitFor();
  assert.equal(adds.n, 0, 'nothing is sent while offline');
  await page.context().setOffline(false);
  await notices(page).getByText(/Share job for 2 image\(s\) succeeded/).waitFor();
  assert.equal(adds.n, 4, 'every pair sent exactly once');
  const s = await seed();
  for (const n of images) for (const p of projects) assert.equal(s.images[n].members[p], 'pending', `${n} → ${p}`);
  await admin(BASE, 'settings', { glance_mode: false });
});
