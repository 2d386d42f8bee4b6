// The sign-in form of index.html, usable before the wasm has loaded: shown only when this tab
// has no session and the page is not framed (an embedding portal may sign in itself), so a
// reload never flashes it. A submit before the app is ready is held, never sent as a form:
// the app (src/shell.rs) takes the fields, the method and the pending submit when it mounts.
// The selectors do not rely on default attributes such as type="submit", which an HTML
// minifier drops.
(function () {
  // Until the app mounts (it empties #app, "Loading…" included), a failure to fetch or start
  // the wasm would leave this page waiting for ever: it says so instead, with a Reload, and
  // keeps what was typed.
  var started = function () { return !document.getElementById('booting'); };
  var report = function (text) {
    if (started() || document.getElementById('boot-problem')) return;
    var box = document.createElement('div');
    box.id = 'boot-problem';
    box.className = 'boot-problem';
    box.setAttribute('role', 'alert');
    var title = document.createElement('h2');
    title.textContent = 'The console could not start';
    var detail = document.createElement('p');
    detail.textContent = text + ' Check the connection, then reload the page.';
    var reload = document.createElement('button');
    reload.type = 'button';
    reload.textContent = 'Reload';
    reload.addEventListener('click', function () { window.location.reload(); });
    box.appendChild(title);
    box.appendChild(detail);
    box.appendChild(reload);
    var app = document.getElementById('app');
    app.insertBefore(box, app.firstChild);
    var held = document.querySelector('main[data-shell] form[data-submitted]');
    if (held) {
      held.removeAttribute('data-submitted');
      var button = held.querySelector('button:not([type=button])');
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  };
  window.addEventListener('unhandledrejection', function (e) {
    var reason = e.reason && e.reason.message ? e.reason.message : String(e.reason);
    report('Its program (WebAssembly) did not load: ' + reason + '.');
  });
  window.addEventListener('error', function (e) {
    if (e.target && e.target.tagName === 'SCRIPT') report('One of its scripts did not load.');
    else if (e.message) report('Its program (WebAssembly) did not start: ' + e.message + '.');
  }, true);
  window.setTimeout(function () {
    report('It has not started after 60 s.');
  }, 60000);

  // Framed: only a portal named in config.json's embed.allowed_origins may show the console.
  // Any other page gets no sign-in form (src/embed.rs shows the same once the app starts),
  // whatever headers the server sent.
  function refuseUnlessAPortalMayFrame() {
    var originOf = function (u) { try { return new URL(u).origin; } catch (e) { return null; } };
    var ancestors = window.location.ancestorOrigins;
    var parent = ancestors && ancestors.length ? ancestors[0] : null;
    fetch('config.json', { cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
      .then(function (c) {
        var allowed = ((c && c.embed && c.embed.allowed_origins) || []).map(originOf);
        var ok = allowed.length > 0 && (parent === null || allowed.indexOf(parent) >= 0);
        var booting = document.getElementById('booting');
        if (ok || !booting) return;
        booting.textContent = 'This console cannot be shown inside another page here.';
        booting.setAttribute('role', 'alert');
      });
  }

  var main = document.querySelector('main[data-shell]');
  if (!main) return;
  var signedIn = false;
  try {
    signedIn = !!window.sessionStorage.getItem('ims-share-console.session');
  } catch (e) {
    // Storage blocked: the app keeps its session in memory, so there is none yet.
  }
  if (window.top !== window.self) {
    refuseUnlessAPortalMayFrame();
    return;
  }
  if (signedIn) return;
  var form = main.querySelector('form');
  main.hidden = false;
  var booting = document.getElementById('booting');
  if (booting) booting.hidden = true;
  var tabs = form.querySelectorAll('.tabs button');
  for (var i = 0; i < tabs.length; i++) {
    tabs[i].addEventListener('click', function (e) {
      var mode = e.currentTarget.getAttribute('data-mode');
      form.setAttribute('data-mode', mode);
      for (var j = 0; j < tabs.length; j++) {
        tabs[j].setAttribute('aria-pressed', String(tabs[j] === e.currentTarget));
      }
      var groups = form.querySelectorAll('[data-fields]');
      for (var k = 0; k < groups.length; k++) {
        groups[k].hidden = groups[k].getAttribute('data-fields') !== mode;
      }
    });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var problem = document.querySelector('#boot-problem button');
    if (problem) {
      // Nothing would carry the submit out: point at the way on.
      problem.focus();
      return;
    }
    form.setAttribute('data-submitted', 'true');
    var button = form.querySelector('button:not([type=button])');
    button.disabled = true;
    button.textContent = 'Signing in…';
  });
})();
