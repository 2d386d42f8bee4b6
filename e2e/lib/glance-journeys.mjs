// The Glance flavor's journeys, run against a target: the sandbox in Glance mode, or real
// OpenStack Keystone + Glance. A target names its console address, users and images.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
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

  const membersOf = async (page, name) => {
    await page.goto(`${target.base}/images/${target.images[name]}`);
    await page.getByRole('table', { name: 'Members' }).waitFor();
    return membersText(page);
  };

  test(`[${target.name}] a share also accepted in the user's own other project: accepted there, pending for the foreign one`, async () => {
    const owner = await newPage(browser);
    await signIn(owner, target.owner, '/images', target.base);
    await owner.getByLabel(`Select ${target.sharedImage}`, { exact: true }).check();
    await owner.getByRole('button', { name: /Share 1 selected/ }).click();
    const form = owner.getByRole('form', { name: /Share 1 image/ });
    const own = target.projects[target.ownOther];
    const foreign = target.projects[target.recipient.project];
    await form.getByLabel('Project IDs to share with').fill(`${own}\n${foreign}`);
    await form.getByLabel(`Also accept in my 1 project(s): ${target.ownOther}`).check();
    await form.getByRole('button', { name: 'Share', exact: true }).click();
    await owner.getByRole('link', { name: 'Jobs', exact: true }).click();
    await owner.getByRole('row').filter({ hasText: 'Accept (in your projects)' }).getByText('Succeeded').waitFor({ timeout: 30000 });
    const text = await membersOf(owner, target.sharedImage);
    assert.match(text, new RegExp(`${own}\\s+accepted`));
    assert.match(text, new RegExp(`${foreign}\\s+pending`));
  });

  test(`[${target.name}] the members of an image export as CSV`, async () => {
    const page = await newPage(browser);
    await signIn(page, target.owner, '/images', target.base);
    await page.getByLabel(`Select ${target.copySource}`, { exact: true }).check();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export members of 1 image(s) as CSV' }).click()]);
    const lines = (await readFile(await file.path(), 'utf8')).trim().split('\r\n');
    assert.equal(lines[0], 'image_id,image_name,project_id,project_name,status,created,updated');
    const id = target.images[target.copySource];
    assert.ok(lines.some((l) => l.startsWith(`${id},${target.copySource},${target.projects[target.copyAccepted]},`) && l.includes(',accepted,')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(`${id},${target.copySource},${target.projects[target.copyPending]},`) && l.includes(',pending,')), lines.join('\n'));
  });

  test(`[${target.name}] a share plan adds and, once confirmed, removes members with native calls`, async () => {
    const page = await newPage(browser);
    await signIn(page, target.owner, '/images', target.base);
    await page.getByRole('link', { name: 'Share plan' }).click();
    const plan = ['image,project,state', `${target.privateImage},${target.projects[target.recipient.project]},shared`,
      `${target.copySource},${target.projects[target.copyPending]},not-shared`, `${target.privateImage},nobody,shared`].join('\n');
    await page.getByLabel('Plan file (CSV or JSON, at most 10 MB)').setInputFiles({ name: 'plan.csv', mimeType: 'text/csv', buffer: Buffer.from(plan) });
    await page.getByTestId('plan-summary').filter({ hasText: 'plan.csv: 3 row(s) — to add 1, to remove 1, unchanged 0, invalid 1.' }).waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Apply plan…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply the share plan?' });
    await dialog.getByText('1 image(s) will be switched to visibility "shared" first').waitFor();
    await dialog.getByLabel(/Also stop sharing 1 pair\(s\)/).check();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('plan-progress').filter({ hasText: '2 done, 0 failed, 0 pending of 2 change(s).' }).waitFor({ timeout: 30000 });
    assert.match(await membersOf(page, target.privateImage), new RegExp(`${target.projects[target.recipient.project]}\\s+pending`));
    const source = await membersOf(page, target.copySource);
    assert.doesNotMatch(source, new RegExp(target.projects[target.copyPending]));
    assert.match(source, new RegExp(target.projects[target.copyAccepted]));
  });

  test(`[${target.name}] the accepted members of one image are copied to another, then the source stops sharing with them`, async () => {
    const page = await newPage(browser);
    await signIn(page, target.owner, '/images', target.base);
    await page.getByLabel(`Select ${target.privateImage}`, { exact: true }).check();
    await page.getByRole('button', { name: /Copy members to 1 selected/ }).click();
    const form = page.getByRole('form', { name: /Copy members to 1 image/ });
    await form.getByLabel('Copy the members of').selectOption({ label: target.copySource });
    await form.getByLabel('Only those that accepted').check();
    await form.getByLabel(/Then stop sharing the source with them/).check();
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByTestId('copy-preview');
    await preview.filter({ hasText: `1 member(s) of ${target.copySource} to copy: 1 new share(s) across 1 image(s); 0 already in place.` }).waitFor({ timeout: 30000 });
    await preview.getByRole('button', { name: 'Copy members, then stop sharing the source' }).click();
    await page.getByRole('status', { name: 'Notices' }).getByText(/Stop sharing job for 1 image\(s\) succeeded/).waitFor({ timeout: 30000 });
    assert.match(await membersOf(page, target.privateImage), new RegExp(target.projects[target.copyAccepted]));
    const source = await membersOf(page, target.copySource);
    assert.doesNotMatch(source, new RegExp(target.projects[target.copyAccepted]));
    assert.match(source, new RegExp(target.projects[target.copyPending]), 'the pending member was not copied and keeps the source');
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
