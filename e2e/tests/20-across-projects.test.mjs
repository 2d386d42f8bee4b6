// Issue: across your own projects. Replicating an image shared with you into a private copy
// (IMS), one job each, the copy then listed under My images; on plain Glance the action is
// absent and the page says why.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, launch, newPage, signIn, reset, seed, admin } from '../lib/harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); });

const tab = (page, name) => page.getByRole('tab', { name });

test('an accepted image is replicated into the project: its name checked, one job, the copy under My images', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await tab(page, 'Accepted').click();
  await page.getByRole('button', { name: 'Replicate partner-monitoring into acme-dev' }).click();
  const form = page.getByRole('form', { name: 'Replicate 1 image(s) into acme-dev' });
  const name = form.getByLabel('Name of the copy of partner-monitoring');
  assert.equal(await name.inputValue(), 'partner-monitoring-copy');
  await name.fill('monitoring;golden');
  await form.getByText('Only letters, digits, spaces, _, - and . are allowed.').waitFor();
  assert.equal(await form.getByRole('button', { name: 'Replicate', exact: true }).isDisabled(), true);
  await name.fill('monitoring-golden');
  await form.getByRole('button', { name: 'Replicate', exact: true }).click();
  await form.getByText(/Started 1 replicate job/).waitFor();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Replicate job for 1 image\(s\) succeeded/).waitFor();
  const s = await seed();
  assert.equal(s.images['monitoring-golden'].owner, s.projects['acme-dev']);
  assert.equal(s.images['monitoring-golden'].visibility, 'private');
  await page.getByRole('link', { name: 'My images' }).click();
  await page.getByLabel('Select monitoring-golden', { exact: true }).waitFor();
});

test('several accepted images are replicated at once, one job each, encrypted with the key given', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await tab(page, 'Accepted').click();
  await page.getByLabel('Select partner-monitoring').check();
  await page.getByLabel('Select shared-to-many').check();
  await page.getByRole('button', { name: 'Replicate 2 selected into acme-dev…' }).click();
  const form = page.getByRole('form', { name: 'Replicate 2 image(s) into acme-dev' });
  await form.getByLabel('KMS key ID to encrypt the copies (optional)').fill('cmk-team-shared');
  await form.getByRole('button', { name: 'Replicate', exact: true }).click();
  await form.getByText(/Started 2 replicate job/).waitFor();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Replicate job for 1 image\(s\) succeeded/).nth(1).waitFor();
  const s = await seed();
  for (const copy of ['partner-monitoring-copy', 'shared-to-many-copy']) {
    assert.equal(s.images[copy].owner, s.projects['acme-dev'], copy);
    assert.equal(s.images[copy].encrypted, true, `${copy} is encrypted with the key given`);
  }
});

test('on plain Glance the Accepted tab offers no replica and says why in one line', async () => {
  await admin(BASE, 'settings', { glance_mode: true });
  const page = await newPage(browser);
  await signIn(page, USERS.dev, '/shared');
  await tab(page, 'Accepted').click();
  await page.getByText('Replicas are an IMS call (a copy job); plain Glance has none').waitFor();
  assert.equal(await page.getByRole('button', { name: /^Replicate/ }).count(), 0);
});

async function shareTo(page, image, projects) {
  await page.getByLabel(`Select ${image}`, { exact: true }).check();
  await page.getByRole('button', { name: /Share 1 selected/ }).click();
  const form = page.getByRole('form', { name: /Share 1 image/ });
  await form.getByLabel('Project IDs to share with').fill(projects.join('\n'));
  return form;
}

for (const glance of [false, true]) {
  test(`${glance ? '[sandbox in Glance mode] ' : ''}a share to an own and a foreign project, also accepted in the own one: accepted there, pending for the other`, async () => {
    if (glance) await admin(BASE, 'settings', { glance_mode: true });
    const s = await seed();
    const page = await newPage(browser);
    await signIn(page, USERS.owner);
    const form = await shareTo(page, 'debian-12-hardened', [s.projects['acme-dev'], s.projects['partner-prod']]);
    const also = form.getByLabel('Also accept in my 1 project(s): acme-dev');
    assert.equal(await also.isChecked(), false, 'not ticked unless asked');
    await also.check();
    if (glance) await form.getByLabel(/Switch 1 image\(s\) to visibility "shared" first/).check();
    await form.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const acceptRow = page.getByRole('row').filter({ hasText: 'Accept (in your projects)' });
    await acceptRow.getByText('Succeeded').waitFor({ timeout: 20000 });
    const after = (await seed()).images['debian-12-hardened'].members;
    assert.equal(after[s.projects['acme-dev']], 'accepted');
    assert.equal(after[s.projects['partner-prod']], 'pending');
  });
}

test('where IAM refuses to rescope, the password is asked once, used, and not kept', async () => {
  await admin(BASE, 'settings', { refuse_rescope: true });
  const s = await seed();
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await shareTo(page, 'debian-12-hardened', [s.projects['acme-dev']]);
  await form.getByLabel('Also accept in my 1 project(s): acme-dev').check();
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Accept with your password?' });
  await dialog.getByText(/IAM does not let this session act in acme-dev/).waitFor({ timeout: 20000 });
  await dialog.getByLabel('Password').fill('Owner-Pass-1');
  await dialog.getByRole('button', { name: 'Accept there' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  const accepts = page.getByRole('row').filter({ hasText: 'Accept (in your projects)' });
  await accepts.filter({ hasText: 'Succeeded' }).waitFor({ timeout: 20000 });
  assert.match(await accepts.filter({ hasText: 'Failed' }).innerText(), /1 result/, 'the refused rescope is the first run\'s result');
  assert.equal((await seed()).images['debian-12-hardened'].members[s.projects['acme-dev']], 'accepted');
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
  assert.equal(stored.includes('Owner-Pass-1'), false, 'the password is in no storage');
});

test('a finished share job offers "Accept in my projects", which accepts there', async () => {
  const s = await seed();
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await shareTo(page, 'debian-12-hardened', [s.projects['acme-dev']]);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor();
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  await page.getByRole('button', { name: 'Accept in my projects' }).dblclick();
  await page.getByRole('row').filter({ hasText: 'Accept (in your projects)' }).getByText('Succeeded').waitFor({ timeout: 20000 });
  assert.equal((await seed()).images['debian-12-hardened'].members[s.projects['acme-dev']], 'accepted');
  assert.equal(await page.getByRole('row').filter({ hasText: 'Accept (in your projects)' }).count(), 1, 'a double click starts one accept');
});
