// A minimal portal: the whole embedding protocol of IMS Share Console in one file.
// Query parameters: console (the console's URL), iam (IAM base URL, default: the console's
// origin), user, password, project, domain (the account the portal signs in with),
// handover=off (wait for the button instead of answering "ready" by itself).
(function () {
  const q = new URLSearchParams(location.search);
  const consoleUrl = new URL(q.get('console') || 'http://127.0.0.1:8080/');
  const consoleOrigin = consoleUrl.origin;
  const iam = q.get('iam') || consoleOrigin;
  const account = {
    user: q.get('user') || 'owner',
    password: q.get('password') || 'Owner-Pass-1',
    project: q.get('project') || 'acme-images',
    domain: q.get('domain') || 'Default',
  };
  const frame = document.getElementById('console');
  const log = document.getElementById('log');
  window.received = [];
  window.issued = [];
  let autoHandOver = q.get('handover') !== 'off';

  // The portal's single sign-on, here a password sign-in with IAM.
  async function issueToken() {
    const body = { auth: { identity: { methods: ['password'], password: { user: { name: account.user, password: account.password, domain: { name: account.domain } } } },
      scope: { project: { name: account.project, domain: { name: account.domain } } } } };
    const r = await fetch(`${iam}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`IAM answered ${r.status}`);
    const token = r.headers.get('x-subject-token');
    window.issued.push(token);
    return token;
  }

  function send(msg) { frame.contentWindow.postMessage(msg, consoleOrigin); }
  async function handOver() { send({ type: 'ims-console:session', token: await issueToken() }); }

  window.addEventListener('message', (e) => {
    if (e.origin !== consoleOrigin || e.source !== frame.contentWindow) return;
    const m = e.data || {};
    window.received.push(m);
    const li = document.createElement('li');
    li.textContent = JSON.stringify(m);
    log.appendChild(li);
    if (autoHandOver && (m.type === 'ims-console:ready' || m.type === 'ims-console:session-expired')) handOver();
    if (m.type === 'ims-console:resize') frame.style.height = `${Math.max(400, m.height)}px`;
  });

  document.getElementById('renew').addEventListener('click', handOver);
  // Another user of the portal, in the same tab: the console ends the first one's session
  // (its token revoked, its jobs forgotten) before it takes the new one.
  document.getElementById('switch-user').addEventListener('click', () => {
    Object.assign(account, { user: 'dev', password: 'Dev-Pass-1', project: 'acme-dev' });
    handOver();
  });
  // The portal's user signs out: the console revokes the token and answers "ready"; the
  // portal has nobody to hand over until someone signs in again.
  document.getElementById('sign-out').addEventListener('click', () => {
    autoHandOver = false;
    send({ type: 'ims-console:sign-out' });
  });
  document.getElementById('go-jobs').addEventListener('click', () => send({ type: 'ims-console:navigate', path: '/jobs' }));
  document.getElementById('theme').addEventListener('click', () => send({ type: 'ims-console:theme', vars: { '--ims-accent': '#7a1fa2', '--ims-header-bg': '#3a2a5c' } }));
  frame.src = consoleUrl.href;
})();
