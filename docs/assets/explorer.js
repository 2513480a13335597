// The case-study explorer: filter the case studies by region, partner type,
// theme, language, year, learning pattern, playbook and words, with no
// framework. The page holds only the first cards; all of them come from
// case-studies/cards.json, fetched once, and only when the reader filters
// (or opens a filtered address) or presses "Show all". cards.json has no
// summaries (most of the bytes): they come in files of a fixed number of
// cards (summaries/<n>.json), fetched for the cards that scroll into view,
// or all of them when the reader filters by words. Cards are built with
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

  function cardElement(row, index) {
    // The same markup as overrides/components/case_study_explorer.html; the
    // summary is filled in by fillSummaries when its file has come.
    var card = element("li", "pp-card");
    card.id = row.id;
    card.dataset.ppIndex = index;
    Object.keys(row.filters).forEach(function (name) {
      card.dataset[dataKey(name.replace(/_/g, "-"))] = row.filters[name];
    });
    // cards.json leaves the title out of the words, to stay small.
    card.dataset.text = [row.title.text, row.filters.text].join(" ");
    card.appendChild(element("p", "pp-card__kind", row.kind));
    var heading = element("h3", "pp-card__title");
    var link = element("a", "", row.title.text, row.title);
    link.href = row.url;
    heading.appendChild(link);
    card.appendChild(heading);
    card.appendChild(element("p", "pp-card__meta", row.meta));
    var summary = element("div", "pp-card__summary");
    summary.dataset.ppPending = "";
    card.appendChild(summary);
    return card;
  }

  function fillSummary(card, value) {
    var summary = card.querySelector("[data-pp-pending]");
    if (!summary) return;
    summary.removeAttribute("data-pp-pending");
    if (value.lang) {
      summary.lang = value.lang;
      summary.dir = value.dir || "ltr";
    }
    summary.appendChild(element("p", "", value.text));
    card.dataset.text += " " + value.text;
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
    // Summaries: the page's own cards have theirs; the built ones wait.
    var chunkSize = Number(list.dataset.ppSummaryChunk) || 0;
    var chunks = {};
    var allSummaries = complete || !chunkSize;
    var observer = null;
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
            watchSummaries();
          })
          .catch(function () {
            loading = null;
          });
      }
      return loading;
    }

    function loadSummaries(number) {
      // One file of summaries, once; a failed fetch may be tried again.
      if (!chunks[number]) {
        chunks[number] = fetch(list.dataset.ppSummaries + number + ".json")
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (values) {
            values.forEach(function (value, offset) {
              var card = cards[number * chunkSize + offset];
              if (card) fillSummary(card, value);
            });
          })
          .catch(function () {
            delete chunks[number];
          });
      }
      return chunks[number];
    }

    function loadAllSummaries() {
      if (allSummaries) return Promise.resolve();
      var files = [];
      for (var number = 0; number * chunkSize < total; number += 1) files.push(loadSummaries(number));
      return Promise.all(files).then(function () {
        allSummaries = !list.querySelector("[data-pp-pending]");
      });
    }

    function watchSummaries() {
      // A card's summary is fetched when the card comes near the screen.
      if (!("IntersectionObserver" in window)) {
        loadAllSummaries();
        return;
      }
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          loadSummaries(Math.floor(Number(entry.target.dataset.ppIndex) / chunkSize));
        });
      }, { rootMargin: "800px 0px" });
      cards.forEach(function (card) { observer.observe(card); });
    }

    function ready(chosen) {
      // What a view needs first: every card, and with words every summary.
      return loadAll().then(function () {
        return fold(chosen.q).trim() ? loadAllSummaries() : null;
      });
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
      var waiting = filtering(chosen) && (!complete || (fold(chosen.q).trim() && !allSummaries));
      if (waiting) {
        // No unfiltered card flashes by while the cards come; the list is
        // busy until the filtered ones show.
        cards.forEach(function (card) { card.hidden = true; });
        list.setAttribute("aria-busy", "true");
        ready(chosen).then(function () {
          show(values());
          list.removeAttribute("aria-busy");
        });
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
        list.setAttribute("aria-busy", "true");
        loadAll().then(function () {
          show(values());
          list.removeAttribute("aria-busy");
        });
      });
    }
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-pp-explorer]");
    if (form) init(form);
  });
})();
