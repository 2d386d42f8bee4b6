// Issue: plain OpenStack. The Glance-flavor journeys against real Keystone + Glance, started by
// openstack/start.sh; the console is served on OS_CONSOLE with a config.json pointing at them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineGlanceJourneys } from '../lib/glance-journeys.mjs';

const base = process.env.OS_BASE;
const seed = JSON.parse(readFileSync(`${base}/seed.json`, 'utf8'));
const who = (name) => ({ user: name, password: seed.users[name].password, project: seed.users[name].project });

async function token(u) {
  const body = { auth: { identity: { methods: ['password'], password: { user: { name: u.user, password: u.password, domain: { name: 'Default' } } } }, scope: { project: { name: u.project, domain: { name: 'Default' } } } } };
  const r = await fetch(`${seed.keystone}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 201);
  return r.headers.get('x-subject-token');
}

defineGlanceJourneys({
  name: 'real Keystone + Glance',
  base: process.env.OS_CONSOLE ?? 'http://127.0.0.1:18092',
  owner: who('owner'),
  recipient: who('consumer1'),
  recipient2: who('consumer2'),
  projects: seed.projects,
  images: seed.images,
  privateImage: 'seed-private',
  sharedImage: 'seed-shared',
  // Accepted by consumer1, pending for consumer2.
  copySource: 'seed-shared-accepted',
  copyAccepted: 'consumer1',
  copyPending: 'consumer2',
  // The seed gives the owner a role in consumer2 too, for "also accept in my projects".
  ownOther: 'consumer2',
  // The seed converges: visibility and members go back to what it defines.
  prepare: async () => { execFileSync(process.env.OS_PYTHON, [process.env.OS_SEED_SCRIPT, 'glance'], { env: process.env, stdio: 'ignore' }); },
  token,
  revoke: async (t) => {
    const r = await fetch(`${seed.keystone}/v3/auth/tokens`, { method: 'DELETE', headers: { 'X-Auth-Token': t, 'X-Subject-Token': t } });
    assert.equal(r.status, 204);
  },
});

// Glance's processes stopped (no reset, no answer): the image page says within seconds what it
// waits for, and its first deadline (30 s here) speaks at once, not after the retries.
test('[real Keystone + Glance] with Glance stopped, the wait shows within 8 s and the deadline speaks within 32 s', { timeout: 90000 }, async () => {
  const { launch, newPage, signIn } = await import('../lib/harness.mjs');
  const consoleBase = process.env.OS_CONSOLE ?? 'http://127.0.0.1:18092';
  const browser = await launch();
  const master = readFileSync(`${base}/glance.pid`, 'utf8').trim();
  const workers = execFileSync('pgrep', ['-P', master], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const pids = [master, ...workers];
  try {
    const page = await newPage(browser);
    page.setDefaultTimeout(40000);
    await signIn(page, who('owner'), '/images', consoleBase);
    await page.getByRole('link', { name: 'seed-shared', exact: true }).waitFor();
    execFileSync('kill', ['-STOP', ...pids]);
    const clicked = Date.now();
    await page.getByRole('link', { name: 'seed-shared', exact: true }).click();
    const waiting = page.getByTestId('waiting');
    await waiting.filter({ hasText: /Waiting for Glance… \d+ s/ }).waitFor({ timeout: 8000 });
    await waiting.filter({ hasText: /No answer from Glance in 30 s — trying again \(2 of 3\)/ }).waitFor({ timeout: 32000 - (Date.now() - clicked) });
    await waiting.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('main').getByRole('alert').filter({ hasText: /Cancelled/ }).first().waitFor();
  } finally {
    execFileSync('kill', ['-CONT', ...pids]);
    await browser.close();
  }
});
