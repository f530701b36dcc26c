// A packet opened from disk (file://): Chromium and Firefox refuse to start a Web Worker
// there, and the theme's search runs in one. This runs the worker's script in a hidden frame
// of the page instead, as Material's offline plugin does with iframe-worker, but from the
// packet's own files: a packet sent as a zip loads nothing from the network.
(function () {
  "use strict";
  if (location.protocol !== "file:") {
    return;
  }

  function load(doc, src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      doc.head.appendChild(script);
    });
  }

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      var self = this;
      var src = new URL(url, location.href).href;
      this.onmessage = null;
      this.pending = [];
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.setAttribute("aria-hidden", "true");
      document.body.appendChild(this.frame);
      var scope = this.frame.contentWindow;
      // What the worker posts goes to this page, later, as a worker's messages would.
      scope.postMessage = function (data) {
        setTimeout(function () { self.deliver(data); });
      };
      // The search worker awaits importScripts (for languages other than English).
      scope.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return urls.reduce(function (done, next) {
          return done.then(function () { return load(scope.document, new URL(next, src).href); });
        }, Promise.resolve());
      };
      load(scope.document, src).then(function () {
        self.started = true;
        self.pending.splice(0).forEach(function (data) { self.postMessage(data); });
      });
    }

    postMessage(data) {
      if (!this.started) {
        this.pending.push(data);
        return;
      }
      var scope = this.frame.contentWindow;
      scope.dispatchEvent(new scope.MessageEvent("message", { data: data }));
    }

    deliver(data) {
      var event = new MessageEvent("message", { data: data });
      if (typeof this.onmessage === "function") {
        this.onmessage(event);
      }
      this.dispatchEvent(event);
    }

    terminate() {
      this.frame.remove();
    }
  }

  // The search worker looks for this name to find its files from within a frame.
  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
