// Site search on Material's search box; loaded before Material's bundle
// (overrides/main.html, block `config`, says what and why). Pagefind: opens
// on first use (search box, button, "/", "s", "f"), importing search-results.js
// with the address of this language tree's own bundle and of the tree's root.
(function () {
  "use strict";
  var data = document.currentScript.dataset;
  var root = document.querySelector(".md-search");
  var toggle = document.getElementById("__search");
  if (!root || !toggle) return;
  root.setAttribute("aria-label", data.label);

  if (data.engine !== "pagefind") {
    var config = document.getElementById("__config");
    var settings = JSON.parse(config.textContent);
    settings.base = data.treeBase;
    config.textContent = JSON.stringify(settings);
    return;
  }

  [root].concat(Array.prototype.slice.call(root.querySelectorAll("[data-md-component]"))).forEach(function (element) {
    element.removeAttribute("data-md-component");
  });
  root.querySelector(".md-search__form").removeAttribute("name");
  var meta = root.querySelector(".md-search-result__meta");
  meta.setAttribute("role", "status");
  meta.textContent = data.placeholder;
  var input = root.querySelector(".md-search__input");
  var started = null;

  function start() {
    if (!started) {
      started = import(new URL(data.results, document.baseURI).href)
        .then(function (results) { results.start(root, toggle, data.bundle, data.treeBase); });
    }
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    if (document.activeElement !== input) input.focus();
    start();
  }

  toggle.addEventListener("change", function () {
    if (toggle.checked) open();
  });
  input.addEventListener("focus", open);
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (toggle.checked || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (["/", "s", "S", "f", "F"].indexOf(event.key) !== -1) {
      event.preventDefault();
      open();
      input.select();
    }
  });
})();
