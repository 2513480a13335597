// Site search with Pagefind, in Material's own search box and result list.
// docs/assets/search.js imports this module the first time the reader opens
// search, and calls start() with the addresses of the Pagefind bundle of the
// page's language tree (/pagefind/ for the default language, /es/pagefind/
// for Spanish, ...) and of that tree's root, which result addresses are
// relative to. The bundle holds that language only, and Pagefind loads it
// in the small chunks each query needs. Result counts and messages are Material's strings, already in the
// reader's language (the page's __config). The markup is Material's search
// box (partials/search.html), which search.js unmounts from Material's own
// search; scripts/playbook_site/publish/search_index.py
// builds the index. Result text is set as text, never as HTML.
export function start(root, toggle, bundleUrl, treeRootUrl) {
  var form = root.querySelector(".md-search__form");
  var input = root.querySelector(".md-search__input");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var strings = config.translations || {};
  var BATCH = 3; // results whose text is fetched at a time: at first, then more as the reader scrolls down
  var MAX_SECTIONS = 3;
  var scrollwrap = list.closest(".md-search__scrollwrap");
  var loading = null;
  var generation = 0;

  function load() {
    if (!loading) {
      var bundle = new URL(bundleUrl, document.baseURI).href;
      var treeRoot = new URL(treeRootUrl, document.baseURI).pathname;
      loading = import(bundle).then(function (pagefind) {
        // noWorker: the search runs in the page, which saves downloading
        // pagefind-worker.js (11 KB gzipped) on the first search.
        return pagefind.options({ baseUrl: treeRoot, excerptLength: 24, noWorker: true })
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
    }
    return loading;
  }

  function setOpen(open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  function close() {
    setOpen(false);
    input.blur();
  }

  // Pagefind's excerpts are escaped text with <mark> around the matches: keep
  // exactly that. Parsed in a <template>, so nothing in them can load or run.
  function excerpt(html) {
    var paragraph = document.createElement("p");
    var template = document.createElement("template");
    template.innerHTML = html || "";
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function link(url, heading, level, text, documentLink) {
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.className = "md-search-result__link";
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset" + (documentLink ? " md-search-result__article--document" : "");
    if (documentLink) {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var title = document.createElement(level);
    title.textContent = heading;
    article.appendChild(title);
    if (text) article.appendChild(excerpt(text));
    anchor.appendChild(article);
    return anchor;
  }

  // The page's sections that match best (most matched words), in page order.
  // Not the page's top (before its first heading), nor the section of its
  // <h1>, which has the page's own title: the page's entry stands for them.
  function sections(page) {
    var title = page.meta && page.meta.title;
    var found = (page.sub_results || []).filter(function (section) {
      return section.url !== page.url && section.url.indexOf("#") !== -1 && section.title !== title;
    });
    var best = found.slice().sort(function (a, b) {
      return (b.locations || []).length - (a.locations || []).length;
    }).slice(0, MAX_SECTIONS);
    return found.filter(function (section) { return best.indexOf(section) !== -1; });
  }

  function count(total) {
    if (total === 0) return strings["search.result.none"];
    if (total === 1) return strings["search.result.one"];
    return (strings["search.result.other"] || "#").replace("#", String(total));
  }

  // The page's entry shows the excerpt of its top (before its first heading
  // with an id, or under its <h1>) when the words are found there; else,
  // when sections follow, none: Pagefind's excerpt of the whole page is cut
  // from the best section, which then showed the same words twice.
  function item(page) {
    var entry = document.createElement("li");
    entry.className = "md-search-result__item";
    var shown = sections(page);
    var title = page.meta && page.meta.title;
    var top = (page.sub_results || []).filter(function (section) {
      return section.url === page.url || section.title === title;
    })[0];
    var text = top ? top.excerpt : (shown.length ? "" : page.excerpt);
    entry.appendChild(link(page.url, (page.meta && page.meta.title) || page.url, "h1", text, true));
    shown.forEach(function (section) {
      entry.appendChild(link(section.url, section.title, "h2", section.excerpt, false));
    });
    return entry;
  }

  // More results load as the reader scrolls: once the list's end is in view
  // and the reader has scrolled the list (wheel, touch, scroll bar) or
  // arrowed past its last result since this search began. Without the
  // second condition a short list would fetch its next batch at once, on
  // every first search.
  var more = null; // the observer of the list's last item
  var pending = null; // loads the next batch, while one is left
  var endInView = false;
  var scrolled = false;

  function loadMore() {
    if (pending && endInView && scrolled) {
      var go = pending;
      pending = null;
      go();
    }
  }

  function readerScrolled() {
    scrolled = true;
    loadMore();
  }

  function render(results, total, mine) {
    if (more) more.disconnect();
    pending = null;
    endInView = false;
    scrolled = false;
    var shown = 0;
    function next() {
      var batch = results.slice(shown, shown + BATCH);
      var first = shown === 0;
      shown += batch.length;
      return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
        if (mine !== generation) return;
        if (first) {
          list.textContent = "";
          list.setAttribute("role", total ? "list" : "presentation");
          meta.textContent = total === null ? strings["search.result.placeholder"] : count(total);
        }
        pages.forEach(function (page) { list.appendChild(item(page)); });
        if (shown < results.length && "IntersectionObserver" in window) {
          pending = next;
          endInView = false;
          if (more) more.disconnect();
          more = new IntersectionObserver(function (seen) {
            endInView = seen[seen.length - 1].isIntersecting;
            loadMore();
          }, { root: scrollwrap });
          more.observe(list.lastElementChild);
        }
      });
    }
    return next();
  }

  // Searches once the reader pauses typing. Not Pagefind's debouncedSearch:
  // it preloads the index chunks of every prefix typed on the way ("a",
  // "al", ...), which in Arabic means most of the index.
  var pause = null;
  function search() {
    var mine = ++generation;
    clearTimeout(pause);
    pause = setTimeout(function () {
      var query = input.value.trim();
      if (!query) {
        render([], null, mine);
        return;
      }
      load()
        .then(function (pagefind) { return mine === generation ? pagefind.search(query) : null; })
        .then(function (found) {
          if (found && mine === generation) return render(found.results, found.results.length, mine);
        });
    }, 250);
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link"));
  }

  ["wheel", "touchmove"].forEach(function (name) {
    scrollwrap.addEventListener(name, readerScrolled, { passive: true });
  });
  // The scroll bar sends only "scroll", as does a new list that is shorter
  // than the old one (the browser scrolls it back up): only scrolling down counts.
  var lastTop = 0;
  scrollwrap.addEventListener("scroll", function () {
    if (scrollwrap.scrollTop > lastTop) readerScrolled();
    lastTop = scrollwrap.scrollTop;
  }, { passive: true });
  input.addEventListener("input", search);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(); input.focus(); });
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) setOpen(false);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || !toggle.checked) return;
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var stops = [input].concat(links());
      var at = stops.indexOf(document.activeElement);
      if (at === -1) return;
      event.preventDefault();
      var next = event.key === "ArrowDown" ? Math.min(at + 1, stops.length - 1) : Math.max(at - 1, 0);
      stops[next].focus();
      if (event.key === "ArrowDown" && at === stops.length - 1) readerScrolled(); // past the last result: as scrolling on
    }
  });
  load();
  search(); // what the reader typed while this module loaded
}
