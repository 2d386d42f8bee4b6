// Share plans: a CSV or JSON file read, checked row by row, compared with the members that
// exist, previewed, and applied only once confirmed (removals confirmed on their own); bad
// files are refused with a clear message and nothing is sent.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { USERS, launch, newPage, signIn, reset, seed } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

const FILE_LABEL = 'Plan file (CSV or JSON, at most 10 MB)';

async function openPlan(page) {
  await signIn(page, USERS.owner);
  await page.getByRole('link', { name: 'Share plan' }).click();
  await page.getByRole('heading', { name: 'Share plan', level: 1 }).waitFor();
}

async function pick(page, name, buffer, mimeType = 'text/csv') {
  await page.getByLabel(FILE_LABEL).setInputFiles({ name, mimeType, buffer });
}

/** Writes to the image service (any method but GET, on /v1 or /v2) the page sends from now on. */
function writes(page) {
  let n = 0;
  page.on('request', (r) => {
    if (r.method() !== 'GET' && r.method() !== 'OPTIONS' && /^\/v[12]\//.test(new URL(r.url()).pathname)) n += 1;
  });
  return () => n;
}

function mixedPlan() {
  const p = ids.projects;
  return [
    '# rollout of the hardened images',
    'image,project,state',
    'debian-12-hardened,acme-dev,shared',
    `ubuntu-24.04-base,${p['acme-test']},shared`,
    'shared-accepted-dev,acme-dev,not-shared',
    `shared-to-many,${p['acme-test']},shared`,
    'centos-7.9-legacy,partner-prod,shared',
    'no-such-image,acme-dev,shared',
    'debian-12-hardened,12345,shared',
    '',
  ].join('\n');
}

test('a plan is previewed as to add, to remove, unchanged and invalid, with line numbers, and nothing is sent before confirming', async () => {
  const page = await newPage(browser);
  await openPlan(page);
  const sent = writes(page);
  await pick(page, 'rollout.csv', Buffer.from(mixedPlan()));
  const summary = page.getByTestId('plan-summary');
  await summary.filter({ hasText: 'rollout.csv: 7 row(s) — to add 2, to remove 1, unchanged 1, invalid 3.' }).waitFor();
  // The check's progress coming and going leaves the file field as it was.
  assert.equal(await page.getByLabel(FILE_LABEL).evaluate((i) => i.files[0]?.name), 'rollout.csv', 'the field still names the chosen file');
  const invalid = await page.getByRole('table', { name: 'Invalid rows' }).innerText();
  assert.match(invalid, /7\s+partner-prod is neither a project ID \(32 hex characters\) nor a project name you know/);
  assert.match(invalid, /8\s+no image is named no-such-image/);
  assert.match(invalid, /9\s+12345 is neither a project ID/);
  const add = await page.getByRole('table', { name: 'To add' }).innerText();
  assert.match(add, /3\s+debian-12-hardened\s+acme-dev/, 'the project shows with its name');
  assert.match(add, new RegExp(`4\\s+ubuntu-24.04-base\\s+${ids.projects['acme-test']}`));
  assert.match(await page.getByRole('table', { name: 'To remove' }).innerText(), /5\s+shared-accepted-dev\s+acme-dev/);
  await page.getByRole('button', { name: 'Apply plan…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply the share plan?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(sent(), 0, 'previewing and cancelling sends no write');
});

test('applying without the removal confirmation shares only; each row gets its result, exported as CSV', async () => {
  const page = await newPage(browser);
  await openPlan(page);
  const sent = writes(page);
  await pick(page, 'rollout.csv', Buffer.from(mixedPlan()));
  await page.getByTestId('plan-summary').filter({ hasText: 'to add 2, to remove 1' }).waitFor();
  await page.getByRole('button', { name: 'Apply plan…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply the share plan?' });
  assert.equal(await dialog.getByLabel(/Also stop sharing 1 pair\(s\)/).isChecked(), false, 'removals are not confirmed by default');
  await dialog.getByRole('button', { name: 'Apply' }).dblclick();
  await page.getByTestId('plan-progress').filter({ hasText: '2 done, 0 failed, 0 pending of 2 change(s).' }).waitFor({ timeout: 30000 });
  assert.equal(sent(), 2, 'two images with different projects: two batch calls, each once despite the double click');
  const after = await seed();
  assert.equal(after.images['debian-12-hardened'].members[ids.projects['acme-dev']], 'pending');
  assert.equal(after.images['ubuntu-24.04-base'].members[ids.projects['acme-test']], 'pending');
  assert.equal(after.images['shared-accepted-dev'].members[ids.projects['acme-dev']], 'accepted', 'no removal without its confirmation');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export results as CSV' }).click()]);
  assert.equal(file.suggestedFilename(), 'share-plan-results.csv');
  const lines = (await readFile(await file.path(), 'utf8')).trim().split('\r\n');
  assert.equal(lines[0], 'line,image_id,image_name,project_id,project_name,action,result,message');
  assert.ok(lines.includes(`3,${ids.images['debian-12-hardened'].id},debian-12-hardened,${ids.projects['acme-dev']},acme-dev,share,done,`), lines.join('\n'));
  assert.equal(lines.length, 3);
});

test('removals confirmed on their own stop sharing too', async () => {
  const page = await newPage(browser);
  await openPlan(page);
  await pick(page, 'rollout.json', Buffer.from(JSON.stringify([
    { image: 'shared-accepted-dev', project: 'acme-dev', state: 'not-shared' },
    { image: ids.images['centos-7.9-legacy'].id, project: ids.projects['partner-prod'], state: 'shared' },
  ])), 'application/json');
  await page.getByTestId('plan-summary').filter({ hasText: 'to add 1, to remove 1, unchanged 0, invalid 0' }).waitFor();
  await page.getByRole('button', { name: 'Apply plan…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply the share plan?' });
  await dialog.getByLabel(/Also stop sharing 1 pair\(s\)/).check();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('plan-progress').filter({ hasText: '2 done, 0 failed, 0 pending of 2 change(s).' }).waitFor({ timeout: 30000 });
  const after = await seed();
  assert.equal(after.images['shared-accepted-dev'].members[ids.projects['acme-dev']], undefined);
  assert.equal(after.images['centos-7.9-legacy'].members[ids.projects['partner-prod']], 'pending');
});

test('bad files get a clear message next to the field and send nothing', async () => {
  const page = await newPage(browser);
  await openPlan(page);
  const sent = writes(page);
  const error = page.locator('#plan-file-error');
  const cases = [
    ['wrong-columns.csv', Buffer.from('img,proj,status\ndebian-12-hardened,acme-dev,shared\n'), /Line 1 should be the header with the columns image, project and state; it has: img, proj, status\./],
    ['latin1.csv', Buffer.concat([Buffer.from('image,project,state\ndebian-12-hardened,acme-d'), Buffer.from([0xe9, 0x76]), Buffer.from(',shared\n')]), /Line 2 is not UTF-8 text/],
    ['huge.csv', Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), /huge\.csv is 11 MB; at most 10 MB is read\./],
    ['broken.json', Buffer.from('[{"image": "debian-12-hardened",]'), /The JSON is not valid at line 1/],
  ];
  for (const [name, buffer, message] of cases) {
    await pick(page, name, buffer);
    await error.filter({ hasText: message }).waitFor();
    assert.equal(await page.getByLabel(FILE_LABEL).getAttribute('aria-invalid'), 'true', name);
    assert.equal(await page.getByTestId('plan-summary').count(), 0, `${name}: no preview`);
  }
  // A file of only bad rows previews them, offers nothing to apply.
  await pick(page, 'all-bad.csv', Buffer.from(`image,project,state\nno-such,acme-dev,shared\ndebian-12-hardened,not-an-id,shared\ndebian-12-hardened,acme-dev,maybe\n,${ids.projects['acme-dev']},shared\n`));
  await page.getByTestId('plan-summary').filter({ hasText: 'to add 0, to remove 0, unchanged 0, invalid 4' }).waitFor();
  assert.equal(await error.innerText(), '');
  const invalid = await page.getByRole('table', { name: 'Invalid rows' }).innerText();
  assert.match(invalid, /2\s+no image is named no-such/);
  assert.match(invalid, /3\s+not-an-id is neither a project ID/);
  assert.match(invalid, /4\s+the state maybe is neither shared nor not-shared/);
  assert.match(invalid, /5\s+the image is missing/);
  assert.equal(await page.getByRole('button', { name: 'Apply plan…' }).isDisabled(), true);
  assert.equal(sent(), 0);
});

test('a plan of 10,000 rows is compared and previewed in one go', async () => {
  const page = await newPage(browser);
  await openPlan(page);
  const rows = ['image,project,state'];
  for (let n = 0; n < 10000; n += 1) rows.push(`${n % 2 ? 'debian-12-hardened' : 'ubuntu-24.04-base'},${n.toString(16).padStart(32, '0')},shared`);
  await pick(page, 'big.csv', Buffer.from(rows.join('\n')));
  await page.getByTestId('plan-summary').filter({ hasText: 'big.csv: 10000 row(s) — to add 10000, to remove 0, unchanged 0, invalid 0.' }).waitFor({ timeout: 30000 });
  assert.equal(await page.getByRole('table', { name: 'To add' }).getByRole('row').count(), 201, 'header + 200 rows shown');
  await page.getByText('and 9800 more').waitFor();
  console.log(`# share plan of 10,000 rows in the browser: ${await page.getByText(/Compared with the current members in \d+ ms/).innerText()}`);
  assert.deepEqual(page.errors, []);
});
