// Issue: the Glance flavor, against the sandbox switched to plain-Glance behaviour; plus the
// client jobs' "retry the failed ones", which needs the sandbox's faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, USERS, reset, seed, admin, fault, clearFaults, launch, newPage, signIn, countRequests } from '../lib/harness.mjs';
import { defineGlanceJourneys } from '../lib/glance-journeys.mjs';

const s = await seed();
const images = Object.fromEntries(Object.entries(s.images).map(([k, v]) => [k, v.id]));

defineGlanceJourneys({
  name: 'sandbox in Glance mode',
  base: BASE,
  owner: USERS.owner,
  recipient: USERS.tester,
  recipient2: { user: 'partner', password: 'Partner-Pass-1', project: 'partner-prod' },
  projects: s.projects,
  images,
  privateImage: 'ubuntu-24.04-base',
  sharedImage: 'shared-rejected-dev',
  // Accepted by acme-dev, pending for acme-test.
  copySource: 'shared-accepted-dev',
  copyAccepted: 'acme-dev',
  copyPending: 'acme-test',
  // Another project of the owner's, for "also accept in my projects".
  ownOther: 'acme-dev',
  prepare: async () => { await reset(); await admin(BASE, 'settings', { glance_mode: true }); },
  token: async (who) => {
    const r = await fetch(`${BASE}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: who.user, password: who.password, domain: { name: 'Default' } } } }, scope: { project: { name: who.project, domain: { name: 'Default' } } } } }) });
    return r.headers.get('x-subject-token');
  },
  revoke: async (token) => {
    const r = await fetch(`${BASE}/v3/auth/tokens`, { method: 'DELETE', headers: { 'X-Auth-Token': token, 'X-Subject-Token': token } });
    assert.equal(r.status, 204);
  },
});

test('[sandbox in Glance mode] failed native calls are listed and "retry the failed ones" sends only those', async () => {
  await reset();
  await admin(BASE, 'settings', { glance_mode: true });
  const browser = await launch();
  try {
    const page = await newPage(browser);
    await signIn(page, USERS.owner);
    await page.getByLabel('Select shared-accepted-dev', { exact: true }).check();
    await page.getByRole('button', { name: /Share 1 selected/ }).click();
    const form = page.getByRole('form', { name: /Share 1 image/ });
    await form.getByLabel('Project IDs to share with').fill(`${s.projects['partner-prod']} ${'cd'.repeat(16)} ${'ef'.repeat(16)}`);
    await fault({ method: 'POST', path: `/v2/images/${images['shared-accepted-dev']}/members`, status: 500, count: 100 });
    await form.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('status', { name: 'Notices' }).getByText(/Share job failed: 3 of 3 calls failed/).waitFor({ timeout: 20000 });
    await clearFaults();
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const failed = page.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1);
    await failed.getByText('3 result(s)').click();
    assert.equal(await failed.locator('.results li.bad').count(), 3);
    const shares = countRequests(page, 'POST', '/members');
    await failed.getByRole('button', { name: 'Retry the failed ones' }).dblclick();
    await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 1 image\(s\) succeeded/).waitFor({ timeout: 20000 });
    // One retry, once: the failed job names it and offers no second one.
    const table = page.getByRole('table', { name: 'Jobs' });
    assert.equal(await table.getByRole('row').count(), 3, 'a header, the retry and the failed job');
    const retried = table.getByRole('row').filter({ hasText: /Sent again as job local-/ });
    assert.equal(await retried.count(), 1);
    assert.equal(await retried.getByRole('button', { name: 'Retry the failed ones' }).count(), 0);
    assert.equal(shares.n, 3, 'each failed call sent again once');
    const members = await (await fetch(`${BASE}/__admin/seed`)).json();
    assert.equal(Object.keys(members.images['shared-accepted-dev'].members).length, 5);
  } finally {
    await browser.close();
  }
});

test('[sandbox in Glance mode] native calls that fail now and then while others succeed are sent again, and the job ends with every member', async () => {
  await reset();
  await admin(BASE, 'settings', { glance_mode: true });
  const before = (await (await fetch(`${BASE}/__admin/seed`)).json()).images;
  const browser = await launch();
  try {
    const page = await newPage(browser);
    await signIn(page, USERS.owner);
    await page.getByLabel('Select shared-accepted-dev', { exact: true }).check();
    await page.getByLabel('Select shared-rejected-dev', { exact: true }).check();
    await page.getByRole('button', { name: /Share 2 selected/ }).click();
    const form = page.getByRole('form', { name: /Share 2 image/ });
    const projects = ['a1', 'b2', 'c3'].map((p) => p.repeat(16));
    await form.getByLabel('Project IDs to share with').fill(projects.join('\n'));
    // The second image's calls go out once the first image's have been answered: two of them
    // meet a 500 (as Glance on SQLite answers when two writes meet) while the others succeed.
    await fault({ method: 'POST', path: `/v2/images/${images['shared-rejected-dev']}/members`, status: 500, count: 2 });
    await form.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('status', { name: 'Notices' }).getByText(/Share job for 2 image\(s\) succeeded/).waitFor({ timeout: 20000 });
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const job = page.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1);
    await job.getByText('The service answered HTTP 500; retrying.').first().waitFor();
    await job.getByText('6 result(s)').click();
    assert.equal(await job.locator('.results li.bad').count(), 0);
    const after = (await (await fetch(`${BASE}/__admin/seed`)).json()).images;
    for (const name of ['shared-accepted-dev', 'shared-rejected-dev']) {
      for (const p of projects) assert.ok(after[name].members[p], `${name} is shared with ${p}`);
      assert.equal(Object.keys(after[name].members).length, Object.keys(before[name].members).length + 3);
    }
  } finally {
    await clearFaults();
    await browser.close();
  }
});
