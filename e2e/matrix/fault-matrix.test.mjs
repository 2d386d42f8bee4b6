// The fault matrix: every call family the console makes meets every failure a cloud API
// shows, in the browser, against the sandbox (its deadline set to 3 s in config.json).
// For every pair: a plain message next to the cause (with the request ID when the answer
// had one), or the sign-in dialog for a 401, or — where the service answered 200 — the
// action done; the form keeps what was typed; no write is sent twice; and once the fault
// clears, the same action succeeds. The run writes the matrix to the log and to
// docs/fault-matrix.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BASE, USERS, launch, newPage, signIn, openShareForm, reset, seed, fault, clearFaults } from '../lib/harness.mjs';

const FAULTS = [
  ['401', { status: 401 }],
  ['403', { status: 403 }],
  ['404', { status: 404 }],
  ['409', { status: 409 }],
  ['413', { status: 413 }],
  ['429 + Retry-After', { status: 429, retry_after: 1 }],
  ['500', { status: 500 }],
  ['502 HTML', { status: 502, html: true }],
  ['503 HTML', { status: 503, html: true }],
  ['504 HTML', { status: 504, html: true }],
  ['hang past the deadline', { hang: true }],
  ['connection reset', { reset: true }],
  ['malformed JSON', { malformed: true }],
  ['empty body', { status: 200, empty: true }],
];

/** What the message must say for each fault. */
const WORDS = {
  '401': /session has ended|refused|Authentication failed|401 Unauthorized/i,
  '403': /HTTP 403/,
  '404': /HTTP 404|404 Not Found/,
  '409': /HTTP 409/,
  '413': /HTTP 413/,
  '429 + Retry-After': /slow down/,
  '500': /HTTP 500/,
  '502 HTML': /HTTP 502/,
  '503 HTML': /HTTP 503/,
  '504 HTML': /HTTP 504/,
  'hang past the deadline': /No answer from (IAM|IMS) in 3 s|IMS does not answer: checked again in \d+ s/,
  'connection reset': /could not be reached|cut off/,
  'malformed JSON': /HTTP 200 but unexpected answer|answered as if removed, but it is still a member/,
  'empty body': /HTTP 200 but unexpected answer|answered as if removed, but it is still a member/,
};
/** A hung read's first message: at its first deadline, beside what waits, with a Cancel. */
const FIRST_WORDS = /No answer from (IAM|IMS) in 3 s — trying again \(2 of 3\)/;
const ANSWERED = (f) => !['hang past the deadline', 'connection reset'].includes(f);

let browser;
let ids;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const notices = (page) => page.getByRole('status', { name: 'Notices' });
const signInDialog = (page) => page.getByRole('dialog', { name: 'Sign in again' });
const inboxRow = (page, name) => page.getByRole('table', { name: 'Images shared with this project' }).getByRole('row').filter({ hasText: name });

async function tokenFor(who) {
  const r = await fetch(`${BASE}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: who.user, password: who.password, domain: { name: 'Default' } } } }, scope: { project: { name: who.project, domain: { name: 'Default' } } } } }),
  });
  return r.headers.get('x-subject-token');
}

/**
 * One entry per call family: how to reach the call, what triggers it, where its message
 * shows, what typed input must survive, and what success looks like after the fault.
 */
const FAMILIES = [
  {
    name: 'sign-in', method: 'POST', path: '/v3/auth/tokens', write: false,
    async prepare(page) {
      await page.goto(`${BASE}/images`);
      await page.getByLabel('User name').fill(USERS.owner.user);
      await page.getByLabel('Password', { exact: true }).fill(USERS.owner.password);
      await page.getByLabel('Domain (account)').fill('Default');
      await page.getByLabel('Project (name or ID)').fill(USERS.owner.project);
    },
    act: (page) => page.getByRole('button', { name: 'Sign in' }).click(),
    near: (page) => page.locator('form.sign-in').getByRole('alert'),
    kept: async (page) => assert.equal(await page.getByLabel('User name').inputValue(), USERS.owner.user),
    done: (page) => page.getByTestId('current-project'),
  },
  {
    name: 'token check', method: 'GET', path: '/v3/auth/tokens', write: false,
    async prepare(page, ctx) {
      ctx.token = await tokenFor(USERS.dev);
      await page.goto(`${BASE}/images`);
      await page.getByRole('button', { name: 'Use an existing token' }).click();
      await page.getByLabel('Token').fill(ctx.token);
    },
    act: (page) => page.getByRole('button', { name: 'Sign in' }).click(),
    near: (page) => page.locator('form.sign-in').getByRole('alert'),
    kept: async (page, ctx) => assert.equal(await page.getByLabel('Token').inputValue(), ctx.token),
    done: (page) => page.getByTestId('current-project'),
  },
  {
    name: 'list images', method: 'GET', path: '/v2/cloudimages', write: false, reloadsAfterSignIn: true,
    async prepare(page) {
      await signIn(page, USERS.owner, '/jobs');
      // The navigation's pending badge reads the same path: its answer is in before the fault
      // goes in, or a 401 meant for My images would end the session before the click.
      await page.getByRole('link', { name: /Shared with me/ }).locator('.badge').waitFor();
    },
    act: (page) => page.getByRole('link', { name: 'My images' }).click(),
    near: (page) => page.getByRole('main').getByRole('alert'),
    retry: (page) => page.getByRole('main').getByRole('alert').getByRole('button', { name: /Retry|Try again/ }).click(),
    done: (page) => page.getByTestId('image-count').filter({ hasText: /24 images/ }),
  },
  {
    name: 'list members', method: 'GET', path: '/v1/*/cloudimages/*/members', write: false, reloadsAfterSignIn: true,
    async prepare(page) { await signIn(page, USERS.owner); },
    act: (page) => page.getByRole('link', { name: 'shared-to-many' }).click(),
    near: (page) => page.getByRole('main').getByRole('alert').filter({ hasText: 'Loading members failed' }),
    retry: (page) => page.getByRole('main').getByRole('alert').filter({ hasText: 'Loading members failed' }).getByRole('button').click(),
    done: (page) => page.getByRole('table', { name: 'Members' }),
  },
  {
    name: 'quota', method: 'GET', path: '/v1/cloudimages/quota', write: false,
    async prepare(page) { await signIn(page, USERS.owner); },
    async act(page, ctx) { ctx.form = await openShareForm(page, ['debian-12-hardened']); },
    near: (page, ctx) => ctx.form.getByText(/The member quota could not be read/),
    retry: async (page, ctx) => {
      await ctx.form.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('button', { name: /Share 1 selected/ }).click();
      ctx.form = page.getByRole('form', { name: /Share \d+ image/ });
    },
    reloadsAfterSignIn: true,
    done: (page, ctx) => ctx.form.getByTestId('member-quota'),
  },
  {
    name: 'batch share', method: 'POST', path: '/v1/cloudimages/members', write: true,
    async prepare(page, ctx) {
      await signIn(page, USERS.owner);
      ctx.form = await openShareForm(page, ['debian-12-hardened']);
      await ctx.form.getByLabel('Project IDs to share with').fill(ids.projects['acme-dev']);
    },
    act: (page, ctx) => ctx.form.getByRole('button', { name: 'Share', exact: true }).click(),
    near: (page, ctx) => ctx.form.getByRole('alert'),
    kept: async (page, ctx) => assert.equal(await ctx.form.getByLabel('Project IDs to share with').inputValue(), ids.projects['acme-dev']),
    retry: (page, ctx) => ctx.form.getByRole('button', { name: 'Share', exact: true }).click(),
    done: (page) => notices(page).getByText(/Share job for 1 image\(s\) succeeded/),
  },
  {
    name: 'batch accept/reject', method: 'PUT', path: '/v1/cloudimages/members', write: true,
    async prepare(page) {
      await signIn(page, USERS.tester, '/shared');
      await inboxRow(page, 'shared-accepted-dev').waitFor();
      await page.getByLabel('Select shared-accepted-dev').check();
    },
    act: (page) => page.getByRole('button', { name: 'Accept 1 selected' }).click(),
    near: (page) => page.getByRole('tabpanel').getByRole('alert'),
    kept: async (page) => assert.equal(await page.getByLabel('Select shared-accepted-dev').isChecked(), true),
    retry: (page) => page.getByRole('tabpanel').getByRole('alert').getByRole('button', { name: 'Retry' }).click(),
    done: (page) => notices(page).getByText(/Accept job for 1 image\(s\) succeeded/),
  },
  {
    name: 'batch stop', method: 'DELETE', path: '/v1/cloudimages/members', write: true,
    async prepare(page, ctx) {
      await signIn(page, USERS.owner);
      await page.getByLabel('Select shared-to-many', { exact: true }).check();
      await page.getByRole('button', { name: /Stop sharing 1 selected/ }).click();
      ctx.form = page.getByRole('form', { name: /Stop sharing 1 image/ });
      await ctx.form.getByLabel('Project IDs to stop sharing with').fill(ids.projects['acme-dev']);
      await ctx.form.getByRole('button', { name: 'Stop sharing…' }).click();
    },
    act: (page) => page.getByRole('dialog', { name: 'Stop sharing?' }).getByRole('button', { name: 'Stop sharing' }).click(),
    near: (page, ctx) => ctx.form.getByRole('alert'),
    kept: async (page, ctx) => assert.equal(await ctx.form.getByLabel('Project IDs to stop sharing with').inputValue(), ids.projects['acme-dev']),
    retry: async (page, ctx) => {
      await ctx.form.getByRole('button', { name: 'Stop sharing…' }).click();
      await page.getByRole('dialog', { name: 'Stop sharing?' }).getByRole('button', { name: 'Stop sharing' }).click();
    },
    done: (page) => notices(page).getByText(/Stop sharing job for 1 image\(s\) succeeded/),
  },
  {
    name: 'job poll', method: 'GET', path: '/v1/*/jobs/*', write: false, reloadsAfterSignIn: true,
    async prepare(page, ctx) {
      await signIn(page, USERS.owner);
      ctx.form = await openShareForm(page, ['debian-12-hardened']);
      await ctx.form.getByLabel('Project IDs to share with').fill(ids.projects['acme-dev']);
    },
    act: (page, ctx) => ctx.form.getByRole('button', { name: 'Share', exact: true }).click(),
    near: (page) => page.getByRole('complementary', { name: 'Job activity' }).getByText(/checking failed, retrying|does not answer: checked again/),
    retry: async () => {},
    done: (page) => notices(page).getByText(/Share job for 1 image\(s\) succeeded/),
  },
  {
    name: 'add one member', method: 'POST', path: '/v1/cloudimages/members', write: true,
    async prepare(page) {
      await signIn(page, USERS.owner);
      await page.getByRole('link', { name: 'debian-12-hardened' }).click();
      await page.getByRole('table', { name: 'Members' }).or(page.getByText(/No members|not shared/i)).first().waitFor();
      await page.getByLabel('Project ID').fill(ids.projects['acme-test']);
    },
    act: (page) => page.getByRole('button', { name: 'Add member' }).click(),
    near: (page) => page.locator('#add-member-error'),
    kept: async (page) => assert.equal(await page.getByLabel('Project ID').inputValue(), ids.projects['acme-test']),
    retry: (page) => page.getByRole('button', { name: 'Add member' }).click(),
    done: (page) => page.getByRole('status', { name: 'Added member' }),
  },
  {
    name: 'remove members', method: 'DELETE', path: '/v1/cloudimages/members', write: true,
    async prepare(page) {
      await signIn(page, USERS.owner);
      await page.getByRole('link', { name: 'shared-to-many' }).click();
      await page.getByLabel(`Select member ${ids.projects['partner-prod']}`).check();
      await page.getByRole('button', { name: /Remove 1 selected/ }).click();
    },
    act: (page) => page.getByRole('dialog', { name: 'Remove members?' }).getByRole('button', { name: 'Remove' }).click(),
    near: (page) => page.getByRole('main').getByRole('alert').filter({ hasText: 'not removed' }),
    retry: async (page) => {
      await page.getByRole('button', { name: /Remove 1 selected/ }).click();
      await page.getByRole('dialog', { name: 'Remove members?' }).getByRole('button', { name: 'Remove' }).click();
    },
    done: (page) => page.getByRole('table', { name: 'Members' }).filter({ hasNotText: ids.projects['partner-prod'] }),
  },
  {
    name: 'answer one image', method: 'PUT', path: '/v1/cloudimages/members', write: true,
    async prepare(page) {
      await signIn(page, USERS.tester, '/shared');
      await inboxRow(page, 'shared-accepted-dev').waitFor();
    },
    act: (page) => page.getByRole('button', { name: 'Accept shared-accepted-dev' }).click(),
    near: (page) => page.getByRole('tabpanel').getByRole('alert'),
    retry: (page) => page.getByRole('button', { name: 'Accept shared-accepted-dev' }).click(),
    done: (page) => page.getByText('shared-accepted-dev is now accepted.'),
  },
];

const outcomes = new Map();
const record = (family, faultName, outcome) => {
  if (!outcomes.has(family)) outcomes.set(family, new Map());
  outcomes.get(family).set(faultName, outcome);
};

async function firstOf(candidates, timeout) {
  const tagged = candidates.map(([tag, loc]) => loc.first().waitFor({ timeout }).then(() => tag));
  return Promise.any(tagged).catch(() => 'nothing');
}

let started = 0;
for (const family of FAMILIES) {
  for (const [faultName, spec] of FAULTS) {
    test(`${family.name} × ${faultName}`, async () => {
      started += 1;
      await reset();
      ids = await seed();
      const page = await newPage(browser);
      const log = [];
      const t0 = Date.now();
      page.on('request', (r) => log.push(`${Date.now() - t0} ms ${r.method()} ${new URL(r.url()).pathname}`));
      page.on('response', (r) => log.push(`${Date.now() - t0} ms ${r.status()} ${new URL(r.url()).pathname}`));
      try {
        const ctx = {};
        await family.prepare(page, ctx);
        const writes = { n: 0 };
        page.on('request', (r) => {
          const path = new URL(r.url()).pathname;
          const re = new RegExp(`^${family.path.replace(/\*/g, '[^/]+')}$`);
          if (r.method() === family.method && re.test(path)) writes.n += 1;
        });
        await fault({ method: family.method, path: family.path, count: 1000, ...spec });
        const hang = faultName === 'hang past the deadline';
        const acted = Date.now();
        await family.act(page, ctx);
        const doneLoc = family.done(page, ctx);
        const firstWait = page.getByTestId('waiting').filter({ hasText: FIRST_WORDS });
        const kind = await firstOf([
          ...(hang ? [['first', firstWait]] : []),
          ['message', family.near(page, ctx).filter({ hasText: WORDS[faultName] })],
          ['sign-in', signInDialog(page)],
          ['done', doneLoc],
        ], 20000);
        // A 401 may word the failure next to the action too; the dialog is what matters then.
        let kindSeen = kind !== 'nothing' && (await signInDialog(page).isVisible()) ? 'sign-in' : kind;
        let outcome = kindSeen;
        if (hang && kind !== 'nothing') {
          // The deadline (3 s) speaks at once: a message within it plus 2 s, not after the retries.
          const firstAfter = Date.now() - acted;
          assert.ok(firstAfter <= 5000, `the first message came ${firstAfter} ms after the action`);
        }
        if (kindSeen === 'first') {
          // Cancel aborts the retries and sends nothing more; the page stays, with a Retry.
          const sentBefore = writes.n;
          await firstWait.first().getByRole('button', { name: 'Cancel' }).click();
          await family.near(page, ctx).filter({ hasText: /Cancelled/ }).first().waitFor();
          assert.equal(writes.n, sentBefore, 'nothing sent after Cancel');
          kindSeen = 'message';
          outcome = 'first message, cancelled';
        } else if (kindSeen === 'message') {
          const text = await family.near(page, ctx).filter({ hasText: WORDS[faultName] }).first().innerText();
          const answeredWithId = ANSWERED(faultName) && !['malformed JSON', 'empty body'].includes(faultName);
          if (answeredWithId) assert.match(text, /Request ID: req-/, `the request ID is shown: ${text}`);
          outcome = answeredWithId ? 'message + request ID' : 'message';
        }
        if (kindSeen === 'sign-in') assert.equal(faultName, '401', 'only a 401 asks to sign in again');
        if (kind === 'done') assert.ok(['malformed JSON', 'empty body'].includes(faultName) && family.write, `done despite ${faultName}: only a write the service answered 200 may`);
        if (kind === 'nothing') {
          record(family.name, faultName, 'NOTHING SHOWN');
          const shown = await family.near(page, ctx).allInnerTexts().catch(() => []);
          assert.fail(`no expected outcome for ${family.name} × ${faultName}; next to the action: ${JSON.stringify(shown)}`);
        }
        if (family.kept && kindSeen !== 'done') await family.kept(page, ctx);
        if (family.write) assert.ok(writes.n <= 1, `the write was sent ${writes.n} times`);

        await clearFaults();
        if (kindSeen === 'sign-in') {
          const dialog = signInDialog(page);
          await dialog.getByLabel('Password', { exact: true }).fill(family.name === 'batch accept/reject' || family.name === 'answer one image' ? USERS.tester.password : USERS.owner.password);
          await dialog.getByRole('button', { name: 'Sign in' }).click();
          await dialog.waitFor({ state: 'detached' });
          if (family.kept) await family.kept(page, ctx);
        }
        // Reads load again by themselves once signed in again; an action is repeated by the user.
        const repeat = kindSeen === 'message' || (kindSeen === 'sign-in' && !family.reloadsAfterSignIn);
        if (repeat) await (family.retry ?? family.act)(page, ctx);
        await family.done(page, ctx).first().waitFor({ timeout: 20000 });
        record(family.name, faultName, `${outcome}; recovered`);
        assert.deepEqual(page.errors, []);
      } catch (e) {
        // What the page showed and what it asked for, to tell a lost input from a control that
        // never came or an answer that never arrived.
        const state = await page.evaluate(() => ({
          focused: document.activeElement?.outerHTML.slice(0, 200),
          fields: [...document.querySelectorAll('textarea, input')].map((f) => `${f.id || f.name}=${JSON.stringify(f.value)}${f.disabled ? ' (disabled)' : ''}`),
          text: document.body.innerText.slice(0, 2000),
        })).catch((err) => `page not readable: ${err.message}`);
        throw new Error(`${e.message}\npage state: ${JSON.stringify(state, null, 1)}\nrequests:\n${log.join('\n')}`);
      }
      await page.context().close();
    });
  }
}

after(() => {
  const faults = FAULTS.map(([n]) => n);
  // A run filtered with --test-name-pattern would write every pair it skipped as FAILED.
  if (started !== FAMILIES.length * faults.length) {
    console.log(`# partial run (${started} pairs): docs/fault-matrix.md left as it is`);
    return;
  }
  const lines = [
    '# Fault matrix',
    '',
    'Written by `e2e/matrix/fault-matrix.test.mjs` (run by `cargo xtask test`): each call family of',
    'the console against each failure, in headless Chromium against the sandbox, deadline 3 s.',
    '"message" is a plain message next to the action; "+ request ID" when the answer carried one;',
    '"first message, cancelled" a hung read that said so at its first deadline ("trying again (2',
    'of 3)"), then was cancelled with nothing more sent; every hung call spoke within 5 s;',
    '"sign-in" the sign-in dialog over the page (input kept); "done" a write the service answered',
    '200 to; "recovered" that the same action succeeded once the fault cleared. In every cell',
    'the typed input was kept and no write was sent twice.',
    '',
    `| call | ${faults.join(' | ')} |`,
    `|---|${faults.map(() => '---').join('|')}|`,
  ];
  let pass = 0;
  let total = 0;
  for (const f of FAMILIES) {
    const row = faults.map((fault) => {
      total += 1;
      const o = outcomes.get(f.name)?.get(fault);
      if (o?.endsWith('recovered')) pass += 1;
      return o ?? 'FAILED';
    });
    lines.push(`| ${f.name} | ${row.join(' | ')} |`);
  }
  lines.push('', `${pass} of ${total} pairs as expected.`);
  const text = lines.join('\n');
  console.log(text.split('\n').map((l) => `# ${l}`).join('\n'));
  writeFileSync(fileURLToPath(new URL('../../docs/fault-matrix.md', import.meta.url)), `${text}\n`);
});
