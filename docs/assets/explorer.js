// The case-study explorer: filter the case studies by region, partner type,
// theme, language, year, learning pattern, playbook and words, with no
// framework. The page holds only the first cards; all of them come from
// case-studies/cards.json, fetched once, and only when the reader filters
// (or opens a filtered address) or presses "Show all". Cards are built with
// textContent, never innerHTML, so no text from data becomes markup.
// The filters live in the address (?region=...&q=...), so a filtered view
// can be shared; the count is announced to screen readers. Without
// JavaScript the form stays hidden, the first cards show and a link leads to
// /case-studies/all/, which lists every case study.
(function () {
  var FILTERS = ["region", "partner-type", "theme", "language", "year", "pattern", "playbook"];

  function fold(text) {
    // Lower case, without accents (México -> mexico) or Arabic short vowels.
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "");
  }

  function dataKey(name) {
    return name.replace(/-([a-z])/g, function (_, letter) { return letter.toUpperCase(); });
  }

  function element(tag, className, text, value) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    if (value && value.lang) {
      node.lang = value.lang;
      node.dir = value.dir || "ltr";
    }
    return node;
  }

  function cardElement(row) {
    // The same markup as overrides/components/case_study_explorer.html.
    var card = element("li", "pp-card");
    card.id = row.id;
    Object.keys(row.filters).forEach(function (name) {
      card.dataset[dataKey(name.replace(/_/g, "-"))] = row.filters[name];
    });
    // cards.json leaves the title and summary out of the words, to stay small.
    card.dataset.text = [row.title.text, row.summary.text, row.filters.text].join(" ");
    card.appendChild(element("p", "pp-card__kind", row.kind));
    var heading = element("h3", "pp-card__title");
    var link = element("a", "", row.title.text, row.title);
    link.href = row.url;
    heading.appendChild(link);
    card.appendChild(heading);
    card.appendChild(element("p", "pp-card__meta", row.meta));
    var summary = element("div", "pp-card__summary", undefined, row.summary);
    summary.appendChild(element("p", "", row.summary.text));
    card.appendChild(summary);
    return card;
  }

  function init(form) {
    var list = document.querySelector("[data-pp-results]");
    var status = document.querySelector("[data-pp-count]");
    var empty = document.querySelector("[data-pp-empty]");
    var more = document.querySelector("[data-pp-more]");
    if (!list || !status) return;
    var cards = Array.prototype.slice.call(list.children);
    var total = Number(list.dataset.ppTotal) || cards.length;
    var complete = cards.length >= total;
    var loading = null;
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

    function filtering(chosen) {
      return names.some(function (name) { return chosen[name]; });
    }

    function loadAll() {
      // Fetch every card once; on failure (a file:// copy, no network) the
      // page keeps filtering the cards it holds.
      if (complete) return Promise.resolve();
      if (!loading) {
        list.setAttribute("aria-busy", "true");
        loading = fetch(list.dataset.ppCards)
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (rows) {
            var fragment = document.createDocumentFragment();
            cards = rows.map(cardElement);
            cards.forEach(function (card) { fragment.appendChild(card); });
            list.replaceChildren(fragment);
            total = cards.length;
            complete = true;
            if (more) more.hidden = true;
          })
          .catch(function () {
            loading = null;
          })
          .then(function () { list.removeAttribute("aria-busy"); });
      }
      return loading;
    }

    function showPathways(chosen) {
      // Needs no card: done at once, even while cards.json comes.
      var listed = 0;
      pathwayItems.forEach(function (item) {
        var fits = !chosen["partner-type"] || (" " + item.dataset.partnerType + " ").indexOf(" " + chosen["partner-type"] + " ") >= 0;
        item.hidden = !fits;
        if (fits) listed += 1;
      });
      if (pathways) pathways.hidden = listed === 0;
    }

    function apply() {
      var chosen = values();
      showPathways(chosen);
      if (filtering(chosen) && !complete) {
        // No unfiltered card flashes by while the full list comes.
        cards.forEach(function (card) { card.hidden = true; });
        loadAll().then(function () { show(values()); });
        return;
      }
      show(chosen);
    }

    function show(chosen) {
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
      // Until every card is here, the count is of the first cards out of all
      // the case studies; a filter waits for the full list (see apply).
      status.textContent = status.dataset.template.replace("{n}", shown).replace("{total}", total);
      if (empty) empty.hidden = shown > 0;
      if (more) more.hidden = complete || filtering(chosen);
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
    if (more) {
      more.addEventListener("click", function () {
        loadAll().then(function () { show(values()); });
      });
    }
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-pp-explorer]");
    if (form) init(form);
  });
})();
