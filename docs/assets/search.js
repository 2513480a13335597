// Opens site search on first use. This is all of search that a page loads:
// when the reader opens search (a click or tap on the search box or button,
// or the "/", "s" or "f" key), it imports search-results.js, which loads
// Pagefind and shows the results (see there).
(function () {
  "use strict";
  var root = document.querySelector("[data-pp-search]");
  var toggle = document.getElementById("__search");
  if (!root || !toggle) return;
  var input = root.querySelector(".md-search__input");
  var started = null;

  function start() {
    if (!started) {
      started = import(new URL(root.getAttribute("data-pp-search-results"), document.baseURI).href)
        .then(function (results) { results.start(root, toggle); });
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
