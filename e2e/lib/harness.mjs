// Shared by every journey: the browser, sign-in as a user would, and the sandbox's admin API.
import { chromium } from 'playwright-core';
import { afterEach } from 'node:test';
import assert from 'node:assert/strict';

export const BASE = process.env.E2E_BASE ?? 'http://127.0.0.1:18090';
export const BIG_BASE = process.env.E2E_BIG_BASE ?? 'http://127.0.0.1:18091';

export const USERS = {
  owner: { user: 'owner', password: 'Owner-Pass-1', project: 'acme-images' },
  dev: { user: 'dev', password: 'Dev-Pass-1', project: 'acme-dev' },
  tester: { user: 'tester', password: 'Test-Pass-1', project: 'acme-test' },
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Every Content-Security-Policy violation any page reports; each test must end with none. */
const cspViolations = [];
afterEach(() => {
  const seen = cspViolations.splice(0);
  assert.deepEqual(seen, [], 'the console ran into its Content-Security-Policy');
});

/**
 * A fresh context and page; page errors fail the test that reads `errors`, and any
 * `securitypolicyviolation` event fails the test it happens in. Over https (the nginx layer)
 * the local CA is not in Chromium's store, so certificate errors are ignored there: TLS and
 * HTTP/2 are negotiated all the same.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true, ...options });
  await context.exposeBinding('__imsReportCsp', (_source, v) => cspViolations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__imsReportCsp({ directive: e.violatedDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}`, sample: e.sample });
    });
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.setDefaultTimeout(15000);
  return page;
}

export async function admin(base, path, body = {}, method = 'POST') {
  const r = await fetch(`${base}/__admin/${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`admin ${path}: ${r.status}`);
  return r.status === 204 ? null : r.json();
}

export const seed = (base = BASE) => fetch(`${base}/__admin/seed`).then((r) => r.json());
export const reset = (base = BASE) => admin(base, 'reset');
export const fault = (spec, base = BASE) => admin(base, 'faults', spec);
export const clearFaults = (base = BASE) => admin(base, 'faults', {}, 'DELETE');

export async function fillSignIn(page, who) {
  await page.getByLabel('User name').fill(who.user);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByLabel('Domain (account)').fill('Default');
  await page.getByLabel('Project (name or ID)').fill(who.project);
}

export async function signIn(page, who, path = '/images', base = BASE) {
  await page.goto(`${base}${path}`);
  await fillSignIn(page, who);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-project').filter({ hasText: who.project }).waitFor();
}

/** Counts requests whose method and path match, from now on. */
export function countRequests(page, method, pathPart) {
  const counter = { n: 0 };
  page.on('request', (r) => {
    if (r.method() === method && new URL(r.url()).pathname.includes(pathPart)) counter.n += 1;
  });
  return counter;
}

export async function rowFor(page, name) {
  return page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });
}

/** Selects `names` on My images, opens the stop-sharing form and types `projects` into it. */
export async function openStopForm(page, names, projects = []) {
  for (const n of names) await page.getByLabel(`Select ${n}`, { exact: true }).check();
  await page.getByRole('button', { name: new RegExp(`Stop sharing ${names.length} selected`) }).click();
  const form = page.getByRole('form', { name: /Stop sharing \d+ image/ });
  if (projects.length) await form.getByLabel('Project IDs to stop sharing with').fill(projects.join('\n'));
  return form;
}

/** Selects `names` on My images, opens the share form and types `projects` into it. */
export async function openShareForm(page, names, projects = []) {
  for (const n of names) await page.getByLabel(`Select ${n}`, { exact: true }).check();
  await page.getByRole('button', { name: new RegExp(`Share ${names.length} selected`) }).click();
  const form = page.getByRole('form', { name: /Share \d+ image/ });
  if (projects.length) await form.getByLabel('Project IDs to share with').fill(projects.join('\n'));
  return form;
}
