// Names for project IDs: the user's own projects and an address book kept in Settings
// (localStorage; add, edit, import and export as CSV); names beside IDs; a name typed where
// IDs go offers its ID.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { USERS, launch, newPage, signIn, reset, seed, openShareForm } from '../lib/harness.mjs';

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

async function settings(page) {
  await page.getByRole('link', { name: 'Settings' }).click();
  return page.getByRole('region', { name: 'Address book' });
}

test('the address book adds, checks, edits and removes entries, and keeps them in localStorage only', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const book = await settings(page);
  await book.getByLabel('Project ID', { exact: true }).fill('12345');
  await book.getByRole('button', { name: 'Add', exact: true }).click();
  await book.locator('#book-id-error').filter({ hasText: '12345 is not a project ID: 32 hexadecimal characters.' }).waitFor();
  await book.locator('#book-name-error').filter({ hasText: 'Enter a name.' }).waitFor();
  assert.equal(await book.getByLabel('Project ID', { exact: true }).inputValue(), '12345', 'what was typed stays');
  await book.getByLabel('Project ID', { exact: true }).fill(ids.projects['acme-test'].toUpperCase());
  await book.getByLabel('Name', { exact: true }).fill('QA team');
  await book.getByRole('button', { name: 'Add', exact: true }).click();
  const table = book.getByRole('table', { name: 'Address book' });
  await table.getByRole('row').filter({ hasText: 'QA team' }).filter({ hasText: ids.projects['acme-test'] }).waitFor();
  await book.getByRole('button', { name: 'Edit QA team' }).click();
  await book.getByLabel('Name', { exact: true }).fill('acme-test');
  await book.getByRole('button', { name: 'Save changes' }).click();
  await table.getByRole('row').filter({ hasText: 'acme-test' }).waitFor();
  assert.equal(await table.getByRole('row').filter({ hasText: 'QA team' }).count(), 0);
  const stored = await page.evaluate(() => ({ local: localStorage.getItem('ims-share-console.address-book'), keys: Object.keys(localStorage) }));
  assert.deepEqual(JSON.parse(stored.local), [{ id: ids.projects['acme-test'], name: 'acme-test' }]);
  assert.deepEqual(stored.keys, ['ims-share-console.address-book'], 'nothing else, and no token, in localStorage');
  await page.reload();
  await (await settings(page)).getByRole('table', { name: 'Address book' }).getByRole('row').filter({ hasText: 'acme-test' }).waitFor();
  await page.getByRole('button', { name: 'Remove acme-test' }).click();
  await page.getByText('No entries yet.').waitFor();
});

test('the address book imports and exports CSV, naming the bad lines', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const book = await settings(page);
  const csv = `# partners\nname,project_id\npartner production,${ids.projects['partner-prod']}\nbroken,xyz\nacme-test,${ids.projects['acme-test']}\n`;
  await book.getByLabel(/Import address book/).setInputFiles({ name: 'book.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await book.getByTestId('book-outcome').filter({ hasText: 'Imported 2 entries; skipped 1: line 4: xyz is not a project ID' }).waitFor();
  await book.getByLabel(/Import address book/).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('who,what\n') });
  await book.getByTestId('book-outcome').filter({ hasText: 'Nothing imported: Line 1 should be the header with the columns project_id and name.' }).waitFor();
  const [file] = await Promise.all([page.waitForEvent('download'), book.getByRole('button', { name: 'Export address book as CSV' }).click()]);
  const text = await readFile(await file.path(), 'utf8');
  assert.equal(text, `project_id,name\r\n${ids.projects['acme-test']},acme-test\r\n${ids.projects['partner-prod']},partner production\r\n`);
});

test('names show beside IDs in members and inbox owners, and a typed name offers its ID', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const book = await settings(page);
  await book.getByLabel('Project ID', { exact: true }).fill(ids.projects['partner-prod']);
  await book.getByLabel('Name', { exact: true }).fill('partner production');
  await book.getByRole('button', { name: 'Add', exact: true }).click();
  await book.getByRole('table', { name: 'Address book' }).getByText('partner production').waitFor();
  // Members: own project names and address-book names.
  await page.goto(`${new URL(page.url()).origin}/images/${ids.images['shared-to-many'].id}`);
  const members = page.getByRole('table', { name: 'Members' });
  await members.getByText('partner production').waitFor();
  assert.match(await members.innerText(), /acme-dev\s+[0-9a-f]{32}/);
  // The share form: a name where an ID goes.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My images' }).click();
  const form = await openShareForm(page, ['debian-12-hardened']);
  const box = form.getByLabel('Project IDs to share with');
  await box.fill(`${ids.projects['acme-test']}, partner pro`);
  await form.getByRole('button', { name: 'Use the ID of partner production' }).click();
  assert.equal(await box.inputValue(), `${ids.projects['acme-test']}, ${ids.projects['partner-prod']}`);
  assert.match(await form.getByRole('list', { name: 'Projects known by name' }).innerText(), /partner production/);
  await form.getByTestId('share-preview').filter({ hasText: /^1 image × 2 projects/ }).waitFor();
  // Inbox owners: the dev user knows acme-images only if it is in its own list or its book.
  const dev = await newPage(browser);
  await signIn(dev, USERS.dev, '/shared');
  await dev.evaluate((id) => localStorage.setItem('ims-share-console.address-book', JSON.stringify([{ id, name: 'image factory' }])), ids.projects['acme-images']);
  await dev.reload();
  await dev.getByRole('table', { name: 'Images shared with this project' }).getByText('image factory').first().waitFor();
});
