// make serve: reload this page when the server has a newer version of it (or the data problems shown on it changed).
// Injected by scripts/playbook_site/publish/dev_server.py into every HTML page it serves; never part of the built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script.getAttribute("data-version");
  var path = location.pathname;

  function wait() {
    var address = "/_dev/wait?path=" + encodeURIComponent(path) + "&version=" + encodeURIComponent(version);
    fetch(address, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.reload) {
          location.reload();
        } else {
          wait();
        }
      })
      .catch(function () { setTimeout(wait, 1000); });  // the server is restarting or stopped
  }

  wait();
})();
