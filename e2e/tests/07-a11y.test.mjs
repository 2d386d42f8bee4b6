// Accessibility: axe-core finds no serious or critical violation on any screen, and a share
// can be driven from the keyboard alone (Tab, Space, Enter and typing).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BASE, USERS, launch, newPage, signIn, openStopForm, reset, seed } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { await reset(); ids = await seed(); });

/** Serious and critical axe findings on the page as it is now. Evaluated through the
 *  devtools protocol, so the page's CSP (no inline script) does not stand in the way. */
async function axeFindings(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  // axe reports the rules that held too: an empty run would prove nothing.
  assert.ok(result.passes.length + result.incomplete.length > 10, `axe checked too little: ${result.passes.length} rules passed`);
  const minor = result.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical').map((v) => v.id);
  if (minor.length) console.log(`# axe, minor or moderate on ${await page.evaluate(() => location.pathname)}: ${minor.join(', ')}`);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe finds no serious or critical violation on any screen', async () => {
  const page = await newPage(browser);
  const findings = {};
  // The page's own sign-in form first, with the wasm held back so that it is that form.
  let release;
  const gate = new Promise((r) => { release = r; });
  await page.route(/_bg\.wasm$/, async (route) => { await gate; await route.continue(); });
  await page.goto(`${BASE}/images`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.locator('main[data-shell]').count(), 1);
  findings['sign-in before the app'] = await axeFindings(page);
  release();
  await page.waitForFunction(() => !document.querySelector('main[data-shell]'));
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  findings['sign-in'] = await axeFindings(page);

  await signIn(page, USERS.owner);
  await page.getByLabel('Select debian-12-hardened', { exact: true }).check();
  await page.getByRole('button', { name: /Share 1 selected/ }).click();
  const form = page.getByRole('form', { name: /Share \d+ image/ });
  await form.getByTestId('member-quota').waitFor();
  await form.getByLabel('Project IDs to share with').fill(`${ids.projects['acme-dev']} not-an-id`);
  await form.getByRole('list', { name: 'Problems with the project IDs' }).waitFor();
  findings['my images with the share form'] = await axeFindings(page);

  await page.getByRole('link', { name: /Shared with me/ }).click();
  await page.getByRole('tab', { name: 'Pending' }).waitFor();
  findings['shared with me'] = await axeFindings(page);

  await page.getByRole('link', { name: /^Jobs/ }).click();
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
  findings.jobs = await axeFindings(page);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  findings.settings = await axeFindings(page);

  await page.getByRole('link', { name: 'My images' }).click();
  await page.getByRole('link', { name: 'shared-accepted-dev' }).click();
  await page.getByRole('table', { name: 'Members' }).waitFor();
  findings['image page'] = await axeFindings(page);

  await page.getByRole('link', { name: 'Share plan' }).click();
  const plan = `image,project,state\ndebian-12-hardened,acme-dev,shared\nno-such,acme-dev,shared\nshared-accepted-dev,acme-dev,not-shared\n`;
  await page.getByLabel('Plan file (CSV or JSON, at most 10 MB)').setInputFiles({ name: 'plan.csv', mimeType: 'text/csv', buffer: Buffer.from(plan) });
  await page.getByTestId('plan-summary').waitFor();
  await page.getByRole('button', { name: 'Apply plan…' }).click();
  await page.getByRole('dialog', { name: 'Apply the share plan?' }).waitFor();
  findings['share plan with its preview and confirmation'] = await axeFindings(page);
  await page.getByRole('dialog', { name: 'Apply the share plan?' }).getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My images' }).click();
  await page.getByLabel('Select debian-12-hardened', { exact: true }).check();
  await page.getByRole('button', { name: /Copy members to 1 selected/ }).click();
  const copy = page.getByRole('form', { name: /Copy members to 1 image/ });
  await copy.getByLabel('Copy the members of').selectOption({ label: 'shared-to-many' });
  await copy.getByRole('button', { name: 'Preview' }).click();
  await copy.getByTestId('copy-preview').waitFor();
  findings['copy members with its preview'] = await axeFindings(page);

  const screens = Object.keys(findings);
  assert.equal(screens.length, 9);
  for (const s of screens) assert.deepEqual(findings[s], [], `axe on ${s}`);
});

/** Presses Tab until the focused element matches, as a keyboard user would move. */
async function tabTo(page, describe, matches, limit = 250) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(() => {
      const el = document.activeElement;
      return { tag: el?.tagName, label: el?.getAttribute('aria-label') ?? el?.labels?.[0]?.innerText ?? '', text: el?.innerText ?? '' };
    });
    if (matches(here)) return;
  }
  throw new Error(`Tab never reached ${describe}`);
}

test('a share can be made from the keyboard alone', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/images`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  for (const [label, value] of [['User name', USERS.owner.user], ['Password', USERS.owner.password], ['Domain (account)', 'Default'], ['Project (name or ID)', USERS.owner.project]]) {
    await tabTo(page, label, (h) => h.tag === 'INPUT' && h.label.trim().startsWith(label));
    await page.keyboard.press('Control+A');
    await page.keyboard.type(value);
  }
  await page.keyboard.press('Enter');
  await page.getByTestId('current-project').filter({ hasText: USERS.owner.project }).waitFor();
  await page.getByLabel('Select debian-12-hardened', { exact: true }).waitFor();

  await tabTo(page, 'the debian-12-hardened checkbox', (h) => h.tag === 'INPUT' && h.label === 'Select debian-12-hardened');
  await page.keyboard.press('Space');
  assert.equal(await page.getByLabel('Select debian-12-hardened', { exact: true }).isChecked(), true);
  await tabTo(page, 'the share button', (h) => h.tag === 'BUTTON' && /Share 1 selected/.test(h.text));
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: /Share \d+ image/ });
  await form.waitFor();
  await tabTo(page, 'the project IDs field', (h) => h.tag === 'TEXTAREA');
  await page.keyboard.type(ids.projects['acme-dev']);
  await tabTo(page, 'the Share button', (h) => h.tag === 'BUTTON' && h.text.trim() === 'Share');
  await page.keyboard.press('Enter');
  await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor();
  const s = await seed();
  assert.equal(s.images['debian-12-hardened'].members[ids.projects['acme-dev']], 'pending');
});

test('a confirmation starts on Cancel, keeps Tab inside, closes on Escape and gives the focus back', async () => {
  const page = await newPage(browser);
  await signIn(page, USERS.owner);
  const form = await openStopForm(page, ['shared-to-many'], [ids.projects['acme-dev']]);
  const opener = form.getByRole('button', { name: 'Stop sharing…' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Stop sharing?' });
  const cancel = dialog.getByRole('button', { name: 'Cancel' });
  const confirm = dialog.getByRole('button', { name: 'Stop sharing', exact: true });
  const focused = (locator) => locator.evaluate((el) => el === document.activeElement);
  await page.waitForFunction(() => document.activeElement?.textContent === 'Cancel');
  assert.equal(await focused(cancel), true, 'the harmless choice first');
  await page.keyboard.press('Tab');
  assert.equal(await focused(confirm), true, 'Tab from the last control wraps to the first');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(cancel), true, 'Shift+Tab from the first wraps to the last');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.textContent === 'Stop sharing…');
  assert.equal(await focused(opener), true, 'the focus is back on what opened it');
  assert.equal(await form.getByLabel('Project IDs to stop sharing with').inputValue(), ids.projects['acme-dev'], 'nothing typed is lost');
});
