// Exports: the members of the selected images (or of all) as CSV and JSON, with project
// names where the user knows them, and a job's results as CSV.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { USERS, launch, newPage, signIn, openShareForm, reset, seed } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

async function download(page, click) {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('the members of the selected images export as CSV, named where known', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  await page.getByLabel('Select shared-to-many', { exact: true }).check();
  await page.getByLabel('Select shared-accepted-dev', { exact: true }).check();
  const { name, text } = await download(page, () => page.getByRole('button', { name: 'Export members of 2 image(s) as CSV' }).click());
  assert.equal(name, 'image-members.csv');
  const lines = text.trim().split('\r\n');
  assert.equal(lines[0], 'image_id,image_name,project_id,project_name,status,created,updated,member_type');
  assert.equal(lines.length, 1 + 3 + 2);
  const many = ids.images['shared-to-many'].id;
  const dev = ids.projects['acme-dev'];
  assert.ok(lines.some((l) => l.startsWith(`${many},shared-to-many,${dev},acme-dev,accepted,`)), 'the owner knows acme-dev by name');
  assert.ok(lines.some((l) => l.startsWith(`${many},shared-to-many,${ids.projects['partner-prod']},,pending,`)), 'an unknown project has no name');
  await page.getByTestId('export-outcome').filter({ hasText: 'Exported 5 member(s) of 2 image(s) to image-members.csv.' }).waitFor();
});

test('with nothing selected, every image\'s members export as JSON', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const s = await seed();
  const expected = Object.values(s.images).filter((i) => i.owner === ids.projects['acme-images'] || i.owner === 'acme-images')
    .reduce((n, i) => n + Object.keys(i.members ?? {}).length, 0);
  const { name, text } = await download(page, () => page.getByRole('button', { name: 'as JSON' }).click());
  assert.equal(name, 'image-members.json');
  const rows = JSON.parse(text);
  assert.ok(rows.length > 0);
  assert.equal(rows.length, expected);
  assert.deepEqual(Object.keys(rows[0]), ['image_id', 'image_name', 'project_id', 'project_name', 'status', 'created', 'updated', 'member_type']);
});

test('a job\'s results export as CSV', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openShareForm(page, ['debian-12-hardened'], [ids.projects['acme-dev'], ids.projects['acme-test']]);
  await form.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor();
  await page.getByRole('link', { name: /^Jobs/ }).click();
  const row = page.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1);
  await row.getByText(/result\(s\)/).click();
  const { name, text } = await download(page, () => row.getByRole('button', { name: 'Export results as CSV' }).click());
  assert.match(name, /^job-.+-results\.csv$/);
  const lines = text.trim().split('\r\n');
  assert.equal(lines[0], 'job,job_id,image_id,project_id,result,message');
  assert.ok(lines.length >= 2);
  assert.ok(lines.slice(1).every((l) => l.startsWith('Share,') && l.includes(',ok,')));
});

test('the members export as Terraform for the provider chosen, and the file parses as HCL', async () => {
  const { parse } = await import('@cdktf/hcl2json');
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  await page.getByLabel('Select shared-to-many', { exact: true }).check();
  await page.getByLabel('Select shared-accepted-dev', { exact: true }).check();
  for (const [provider, resource] of [['huaweicloud', 'huaweicloud_images_image_share'], ['opentelekomcloud', 'opentelekomcloud_ims_image_share_v1']]) {
    await page.getByLabel('Terraform provider').selectOption(provider);
    const { name, text } = await download(page, () => page.getByRole('button', { name: 'as Terraform' }).click());
    assert.equal(name, 'image-members.tf');
    const hcl = await parse(name, text);
    assert.ok(hcl.terraform[0].required_providers[0][provider], `${provider} is pinned`);
    const shares = hcl.resource[resource];
    assert.deepEqual(Object.keys(shares).sort(), ['shared_accepted_dev', 'shared_to_many']);
    assert.equal(shares.shared_to_many[0].source_image_id, ids.images['shared-to-many'].id);
    assert.deepEqual([...shares.shared_to_many[0].target_project_ids].sort(),
      [ids.projects['acme-dev'], ids.projects['acme-test'], ids.projects['partner-prod']].sort());
    assert.match(text, new RegExp(`"${ids.projects['acme-dev']}", # acme-dev`), 'names from the address book as comments');
    assert.match(text, /documentation defines it\n# from version \d+\.\d+\.\d+ on/, 'the provider version is cited');
  }
});
