(function () {
  "use strict";
  var sealed = JSON.parse(document.getElementById("pp-sealed").textContent);
  var slot = "promo-packet-key:" + sealed.salt;
  function bytes(text) { return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); }); }
  function derive(password) {
    return crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveKey"])
      .then(function (material) {
        return crypto.subtle.deriveKey(
          {name: "PBKDF2", salt: bytes(sealed.salt), iterations: sealed.iterations, hash: "SHA-256"},
          material, {name: "AES-GCM", length: 256}, true, ["decrypt"]);
      });
  }
  function open(key, text) {
    var raw = bytes(text);
    return crypto.subtle.decrypt({name: "AES-GCM", iv: raw.slice(0, 12)}, key, raw.slice(12))
      .then(function (plain) { return new TextDecoder().decode(plain); });
  }
  // The theme's own scripts ask for the index at this address, resolved as a URL.
  var indexUrl = new URL(sealed.base + (sealed.index || "search/search_index.json"), location.href);
  function searchIndex(key) {
    return fetch(indexUrl.href)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (index) { return index && index.sealed ? open(key, index.sealed) : null; })
      .catch(function () { return null; });
  }
  function unlock(key) {
    return Promise.all([open(key, sealed.data), searchIndex(key)]).then(function (opened) {
      var html = opened[0], index = opened[1];
      return crypto.subtle.exportKey("raw", key).then(function (raw) {
        sessionStorage.setItem(slot, btoa(String.fromCharCode.apply(null, new Uint8Array(raw))));
        if (index !== null) {
          // The theme asks for the index with XMLHttpRequest: hand it the opened copy.
          var url = URL.createObjectURL(new Blob([index], {type: "application/json"}));
          var send = XMLHttpRequest.prototype.open;
          XMLHttpRequest.prototype.open = function (method, target) {
            var args = Array.prototype.slice.call(arguments);
            if (new URL(String(target), location.href).pathname === indexUrl.pathname) { args[1] = url; }
            return send.apply(this, args);
          };
        }
        document.open();
        document.write(html);
        document.close();
        // document.open() dropped every listener: this one is added to the page just written,
        // capturing, so it sees a click on the PDF link before the theme's own handlers do.
        if (sealed.pdf) {
          document.addEventListener("click", function (event) { openPdf(event, key); }, true);
        }
      });
    });
  }
  function openPdf(event, key) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    var target = new URL(sealed.base + sealed.pdf, location.href);
    if (!link || new URL(link.href, location.href).pathname !== target.pathname) { return; }
    event.preventDefault();
    fetch(target.href + sealed.suffix)
      .then(function (response) {
        if (!response.ok) { throw new Error("no sealed PDF"); }
        return response.arrayBuffer();
      })
      .then(function (buffer) {
        var raw = new Uint8Array(buffer);
        return crypto.subtle.decrypt({name: "AES-GCM", iv: raw.slice(0, 12)}, key, raw.slice(12));
      })
      .then(function (plain) {
        var save = document.createElement("a");
        save.href = URL.createObjectURL(new Blob([plain], {type: "application/pdf"}));
        save.download = sealed.pdf.split("/").pop();
        document.body.appendChild(save);
        save.click();
        save.remove();
      })
      .catch(function () { alert("The PDF could not be opened."); });
  }
  var form = document.getElementById("pp-unlock");
  var input = document.getElementById("pp-password");
  var error = document.getElementById("pp-error");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    form.querySelector("button").disabled = true;
    error.hidden = true;
    derive(input.value).then(unlock).catch(function () {
      error.hidden = false;
      form.querySelector("button").disabled = false;
      input.select();
    });
  });
  var saved = sessionStorage.getItem(slot);
  if (saved) {
    crypto.subtle.importKey("raw", bytes(saved), "AES-GCM", true, ["decrypt"]).then(unlock)
      .catch(function () { sessionStorage.removeItem(slot); });
  }
})();
