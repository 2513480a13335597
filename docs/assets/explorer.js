// The case-study explorer: filter the cards of the case-studies page by
// region, partner type, theme, language, year, learning pattern, playbook and words, with no framework
// and no network. The filters live in the address (?region=...&q=...), so a
// filtered view can be shared; the count is announced to screen readers.
// Without JavaScript the form stays hidden and every case study is listed.
(function () {
  var FILTERS = ["region", "partner-type", "theme", "language", "year", "pattern", "playbook"];

  function fold(text) {
    // Lower case, without accents (México -> mexico) or Arabic short vowels.
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "");
  }

  function dataKey(name) {
    return name.replace(/-([a-z])/g, function (_, letter) { return letter.toUpperCase(); });
  }

  function init(form) {
    var list = document.querySelector("[data-pp-results]");
    var status = document.querySelector("[data-pp-count]");
    var empty = document.querySelector("[data-pp-empty]");
    if (!list || !status) return;
    var cards = Array.prototype.slice.call(list.children);
    // The reading orders for kinds of partner: with a partner type chosen,
    // only the one(s) made for it stay listed; the list hides if none is.
    var pathways = document.querySelector("[data-pp-partner-pathways]");
    var pathwayItems = pathways ? Array.prototype.slice.call(pathways.querySelectorAll("li[data-partner-type]")) : [];
    var names = ["q"].concat(FILTERS);

    function values() {
      var result = {};
      names.forEach(function (name) {
        var field = form.elements[name];
        result[name] = field ? field.value.trim() : "";
      });
      return result;
    }

    function apply() {
      var chosen = values();
      var words = fold(chosen.q).split(/\s+/).filter(Boolean);
      var shown = 0;
      cards.forEach(function (card) {
        var match = FILTERS.every(function (name) {
          return !chosen[name] || (" " + (card.dataset[dataKey(name)] || "") + " ").indexOf(" " + chosen[name] + " ") >= 0;
        });
        if (match && words.length) {
          var text = fold(card.dataset.text);
          match = words.every(function (word) { return text.indexOf(word) >= 0; });
        }
        card.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = status.dataset.template.replace("{n}", shown).replace("{total}", cards.length);
      if (empty) empty.hidden = shown > 0;
      var listed = 0;
      pathwayItems.forEach(function (item) {
        var fits = !chosen["partner-type"] || (" " + item.dataset.partnerType + " ").indexOf(" " + chosen["partner-type"] + " ") >= 0;
        item.hidden = !fits;
        if (fits) listed += 1;
      });
      if (pathways) pathways.hidden = listed === 0;
      var params = new URLSearchParams();
      names.forEach(function (name) { if (chosen[name]) params.set(name, chosen[name]); });
      var query = params.toString();
      try {
        history.replaceState(null, "", (query ? "?" + query : location.pathname) + location.hash);
      } catch (error) {
        // Some browsers refuse this on file:// pages; filtering still works.
      }
    }

    var params = new URLSearchParams(location.search);
    names.forEach(function (name) {
      var field = form.elements[name];
      if (field && params.has(name)) field.value = params.get(name);
    });
    form.hidden = false;
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-pp-explorer]");
    if (form) init(form);
  });
})();
