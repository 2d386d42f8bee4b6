// The Glance flavor's journeys, run against a target: the sandbox in Glance mode, or real
// OpenStack Keystone + Glance. A target names its console address, users and images.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn } from './harness.mjs';

export function defineGlanceJourneys(target) {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });
  beforeEach(async () => { await target.prepare(); });

  const inboxRow = (page, name) => page.getByRole('table', { name: 'Images shared with this project' }).getByRole('row').filter({ hasText: name });
  const membersText = (page) => page.getByRole('table', { name: 'Members' }).innerText();

  test(`[${target.name}] password sign-in detects the Glance flavor and lists the owner's images`, async () => {
    const page = await newPage(browser);
    await signIn(page, target.owner, '/images', target.base);
    await page.getByRole('link', { name: target.privateImage, exact: true }).waitFor();
    await page.getByRole('link', { name: target.sharedImage, exact: true }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    assert.equal(await page.getByTestId('flavor').innerText(), 'OpenStack Glance');
    assert.deepEqual(page.errors, []);
  });

  test(`[${target.name}] an existing token from Keystone signs in`, async () => {
    const token = await target.token(target.recipient);
    const page = await newPage(browser);
    await page.goto(`${target.base}/shared`);
    await page.getByRole('button', { name: 'Use an existing token' }).click();
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('current-project').filter({ hasText: target.recipient.project }).waitFor();
  });

  test(`[${target.name}] share to several projects in parallel native calls, accept and reject as the recipient, stop sharing`, async () => {
    const owner = await newPage(browser);
    await signIn(owner, target.owner, '/images', target.base);
    await owner.getByLabel(`Select ${target.privateImage}`, { exact: true }).check();
    await owner.getByLabel(`Select ${target.sharedImage}`, { exact: true }).check();
    await owner.getByRole('button', { name: /Share 2 selected/ }).click();
    const form = owner.getByRole('form', { name: /Share 2 image/ });
    const projects = [target.projects[target.recipient.project], target.projects[target.recipient2.project]];
    await form.getByLabel('Project IDs to share with').fill(projects.join('\n'));
    const share = form.getByRole('button', { name: 'Share', exact: true });
    assert.equal(await share.isDisabled(), true, 'a private image must be switched to shared first');
    await form.getByLabel(/Switch 1 image\(s\) to visibility "shared" first/).check();
    await share.click();
    await owner.getByRole('status', { name: 'Notices' }).getByText(/Share job for 2 image\(s\) succeeded/).waitFor({ timeout: 30000 });
    await owner.getByRole('link', { name: 'Jobs', exact: true }).click();
    const row = owner.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1);
    assert.match(await row.innerText(), /Share \(native calls\)[\s\S]*Succeeded/);
    await row.getByText('4 result(s)').click();
    assert.equal(await row.locator('.results li.ok').count(), 4);
    await owner.goto(`${target.base}/images/${target.images[target.privateImage]}`);
    await owner.getByRole('table', { name: 'Members' }).waitFor();
    for (const p of projects) assert.match(await membersText(owner), new RegExp(`${p}\\s+pending`));

    const recipient = await newPage(browser);
    await signIn(recipient, target.recipient, '/shared', target.base);
    await inboxRow(recipient, target.privateImage).waitFor();
    await recipient.getByLabel(`Select ${target.privateImage}`, { exact: true }).check();
    await recipient.getByRole('button', { name: 'Accept 1 selected' }).click();
    await recipient.getByRole('status', { name: 'Notices' }).getByText(/Accept job for 1 image\(s\) succeeded/).waitFor({ timeout: 30000 });
    await recipient.getByLabel(`Select ${target.sharedImage}`, { exact: true }).check();
    await recipient.getByRole('button', { name: 'Reject 1 selected' }).click();
    await recipient.getByRole('status', { name: 'Notices' }).getByText(/Reject job for 1 image\(s\) succeeded/).waitFor({ timeout: 30000 });
    await recipient.getByRole('tab', { name: 'Accepted' }).click();
    await inboxRow(recipient, target.privateImage).waitFor();
    await recipient.getByRole('tab', { name: 'Rejected' }).click();
    await inboxRow(recipient, target.sharedImage).waitFor();

    await owner.reload();
    await owner.getByRole('table', { name: 'Members' }).waitFor();
    assert.match(await membersText(owner), new RegExp(`${projects[0]}\\s+accepted`));
    await owner.goto(`${target.base}/images`);
    await owner.getByLabel(`Select ${target.privateImage}`, { exact: true }).check();
    await owner.getByRole('button', { name: /Stop sharing 1 selected/ }).click();
    const stop = owner.getByRole('form', { name: /Stop sharing 1 image/ });
    await stop.getByLabel('Project IDs to stop sharing with').fill(projects[1]);
    await stop.getByRole('button', { name: 'Stop sharing…' }).click();
    await owner.getByRole('dialog', { name: 'Stop sharing?' }).getByRole('button', { name: 'Stop sharing' }).click();
    await owner.getByRole('status', { name: 'Notices' }).getByText(/Stop sharing job for 1 image\(s\) succeeded/).waitFor({ timeout: 30000 });
    await owner.goto(`${target.base}/images/${target.images[target.privateImage]}`);
    await owner.getByRole('table', { name: 'Members' }).waitFor();
    assert.doesNotMatch(await membersText(owner), new RegExp(projects[1]));
    assert.match(await membersText(owner), new RegExp(projects[0]));
  });

  test(`[${target.name}] a token revoked in Keystone leads back to sign-in`, async () => {
    const page = await newPage(browser);
    await signIn(page, target.recipient, '/shared', target.base);
    // Every call the page makes by itself (the inbox and the pending badge) has answered
    // before the token is revoked: the next call is the click's, and it meets the revocation.
    await page.getByRole('link', { name: /Shared with me/ }).locator('.badge').waitFor();
    const inbox = page.getByRole('table', { name: 'Images shared with this project' });
    await inbox.getByRole('row').nth(1).or(page.getByText('No pending images.')).first().waitFor();
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('ims-share-console.session')).info.token);
    await target.revoke(token);
    await page.getByRole('tab', { name: 'Rejected' }).click();
    await page.getByRole('dialog', { name: 'Sign in again' }).waitFor();
  });
}
