/* Offline copies only (lunr search, see overrides/main.html and
   scripts/playbook_site/publish/offline.py): on file:// browsers refuse `new Worker()`, so Material's search worker runs in a
   hidden iframe instead. Material's worker checks for `IFrameWorker` in its
   parent and then finds its lunr files next to its own <script src>, which is
   why the worker script is the iframe's first script. Nothing is loaded from
   the network. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._frame = document.createElement("iframe");
      this._frame.hidden = true;
      this._frame.tabIndex = -1;
      this._frame.setAttribute("aria-hidden", "true");
      document.body.appendChild(this._frame);
      const scope = this._frame.contentWindow;
      this._scope = scope;
      scope.postMessage = (data) => {
        const event = new MessageEvent("message", { data: structuredClone(data) });
        setTimeout(() => {
          this.dispatchEvent(event);
          if (this.onmessage) this.onmessage(event);
        });
      };
      scope.importScripts = (...urls) =>
        urls.reduce((ready, src) => ready.then(() => this._load(src)), Promise.resolve());
      this._ready = this._load(url).catch((error) => {
        const event = new ErrorEvent("error", { message: String(error) });
        this.dispatchEvent(event);
        if (this.onerror) this.onerror(event);
        throw error;
      });
    }

    _load(src) {
      const doc = this._scope.document;
      return new Promise((resolve, reject) => {
        const script = doc.createElement("script");
        script.src = new URL(src, location.href).href;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error("could not load " + script.src));
        doc.head.appendChild(script);
      });
    }

    postMessage(data) {
      this._ready.then(() => {
        const scope = this._scope;
        scope.dispatchEvent(new scope.MessageEvent("message", { data: scope.structuredClone(data) }));
      });
    }

    terminate() {
      this._frame.remove();
    }
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
