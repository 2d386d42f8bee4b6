// State that stays true: the pending badge, the inbox list and the job panel agree after every
// kind of answer — in a batch, one image at a time, back to pending, and after a project switch.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { USERS, launch, newPage, signIn, reset, seed } from '../lib/harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); await seed(); });

const badge = (page) => page.getByRole('link', { name: /Shared with me/ }).locator('.badge');
const inbox = (page) => page.getByRole('table', { name: 'Images shared with this project' });
const notices = (page) => page.getByRole('status', { name: 'Notices' });

/** Waits until the badge shows `n` and the pending list has `n` rows. */
async function agree(page, n) {
  await badge(page).filter({ hasText: new RegExp(`^${n}$`) }).waitFor();
  await page.getByRole('tab', { name: 'Pending' }).click();
  if (n === 0) {
    await page.getByText('No pending images.').waitFor();
  } else {
    await inbox(page).getByRole('row').nth(n).waitFor();
    await inbox(page).getByRole('row').nth(n + 1).waitFor({ state: 'detached' });
  }
  assert.equal(await badge(page).getAttribute('aria-label'), `${n} pending`);
}

test('one image accepted from its row: the badge follows the list at once', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await agree(page, 5);
  await page.getByRole('button', { name: 'Accept shared-pending-dev' }).click();
  await page.getByText('shared-pending-dev is now accepted.').waitFor();
  await agree(page, 4);
});

test('one image rejected from its row: the badge counts one less once its job ends', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await agree(page, 5);
  await page.getByRole('button', { name: 'Reject shared-pending-dev' }).click();
  await page.getByText('shared-pending-dev is now rejected.').waitFor();
  await agree(page, 4);
});

test('a batch answer: badge, list and job panel agree when the job ends', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await agree(page, 5);
  await page.getByLabel('Select test-fixtures').check();
  await page.getByLabel('Select partner-tools').check();
  await page.getByRole('button', { name: 'Reject 2 selected' }).click();
  await notices(page).getByText(/Reject job for 2 image\(s\) succeeded/).waitFor();
  await agree(page, 3);
  const panel = page.getByRole('complementary', { name: 'Job activity' });
  assert.match(await panel.innerText(), /Reject · 2 image\(s\)[\s\S]*Succeeded/);
});

test('a project switch: the badge and the list are the new project\'s', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner, '/shared');
  await agree(page, 1);
  await page.getByRole('button', { name: 'Switch project…' }).click();
  await page.getByLabel('Switch project').selectOption({ label: 'acme-dev' });
  await page.getByTestId('current-project').filter({ hasText: 'acme-dev' }).waitFor();
  await agree(page, 5);
});
