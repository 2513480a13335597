// Keep the section when switching language: step and section ids are the
// same in every language, so /fr/playbooks/x/#step-3 -> /ar/playbooks/x/#step-3.
(function () {
  function withHash(link) {
    var url = new URL(link.href, document.baseURI);
    url.hash = window.location.hash;
    link.href = url.href;
  }
  function syncAll() {
    document.querySelectorAll("a.md-select__link[hreflang]").forEach(withHash);
  }
  document.addEventListener("DOMContentLoaded", syncAll);
  window.addEventListener("hashchange", syncAll);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (link) withHash(link);
  }, true);
})();
