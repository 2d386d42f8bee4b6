// The sign-in form of index.html, usable before the wasm has loaded: shown only when this tab
// has no session and the page is not framed (an embedding portal may sign in itself), so a
// reload never flashes it. A submit before the app is ready is held, never sent as a form:
// the app (src/shell.rs) takes the fields, the method and the pending submit when it mounts.
(function () {
  var main = document.querySelector('main[data-shell]');
  if (!main) return;
  var signedIn = false;
  try {
    signedIn = !!window.sessionStorage.getItem('ims-share-console.session');
  } catch (e) {
    // Storage blocked: the app keeps its session in memory, so there is none yet.
  }
  if (signedIn || window.top !== window.self) return;
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
    form.setAttribute('data-submitted', 'true');
    var button = form.querySelector('button[type=submit]');
    button.disabled = true;
    button.textContent = 'Signing in…';
  });
})();
