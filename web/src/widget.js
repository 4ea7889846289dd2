/*!
 * BW-assistent chatwidget (vanilla JS, geen framework, geen build-stap).
 *
 * Insluiten:
 *   <script>window.BWWidgetConfig = { gemeente: "Haarlemmermeer" };</script>
 *   <script src="https://assistent.example.nl/webhooks/webchat/bw-widget.js" defer></script>
 *
 * Het script laadt zelf, vanaf dezelfde plek als dit bestand: bw-widget.css en
 * vendor/socket.io.min.js, vendor/marked.umd.js, vendor/purify.min.js.
 * Het praat met het socket.io-kanaal van Rasa (session_request -> session_confirm,
 * user_uttered -> bot_uttered). Het gesprek en het sessie-id staan in sessionStorage
 * van het tabblad, zodat een herladen pagina het gesprek laat zien en voortzet.
 */
(function () {
  "use strict";

  if (window.BWWidget) return; // twee keer ingesloten: één widget

  var SCRIPT = document.currentScript;
  var BASE = SCRIPT && SCRIPT.src ? SCRIPT.src.replace(/[^/]*([?#].*)?$/, "") : "";
  var VERSION = "0.1.0";

  var DEFAULT_KLEUREN = { primair: "#154273", tekst: "#ffffff" };
  var DEFAULT_BEGROETING =
    "Hallo! Ik ben de BW-assistent, een digitale assistent (geen mens). Ik beantwoord vragen over de " +
    "eigen bijdrage voor de Wmo, beschermd wonen en de Wlz. Stel gerust uw vraag, bijvoorbeeld: " +
    "\"Hoe hoog is de eigen bijdrage Wmo?\"";
  var MEDEWERKER = { title: "Praat met een medewerker", payload: "/vraag_medewerker" };
  var ALLOWED_TAGS = ["p", "strong", "em", "a", "ul", "ol", "li", "br", "code"];
  var MAX_TRANSCRIPT = 200;
  var MAX_LENGTH = 1000;
  var ANTWOORD_TIMEOUT_MS = 30000;
  var KEY = "bw-widget:";

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else if (attrs[k] === true) node.setAttribute(k, "");
      else if (attrs[k] !== false && attrs[k] != null) node.setAttribute(k, String(attrs[k]));
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var storage = (function () {
    var memory = {};
    var store = null;
    try {
      store = window.sessionStorage;
      store.setItem(KEY + "test", "1");
      store.removeItem(KEY + "test");
    } catch (e) {
      store = null; // geen sessionStorage (privémodus, sandbox): alleen in het geheugen
    }
    return {
      get: function (k) {
        var v = store ? store.getItem(KEY + k) : memory[k];
        if (v == null) return null;
        try {
          return JSON.parse(v);
        } catch (e) {
          return null;
        }
      },
      set: function (k, v) {
        var s = JSON.stringify(v);
        if (store) {
          try {
            store.setItem(KEY + k, s);
            return;
          } catch (e) {
            /* vol: val terug op het geheugen */
          }
        }
        memory[k] = s;
      },
      remove: function (k) {
        if (store) store.removeItem(KEY + k);
        delete memory[k];
      },
    };
  })();

  // ------------------------------------------------------------------ colours (WCAG contrast)

  function parseColour(value) {
    if (typeof value !== "string") return null;
    var s = value.trim().toLowerCase();
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(s);
    if (m) {
      var h = m[1];
      if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
      return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
    }
    m = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(s);
    if (m) {
      var rgb = [+m[1], +m[2], +m[3]];
      return rgb.every(function (c) { return c <= 255; }) ? rgb : null;
    }
    return null;
  }

  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function contrast(a, b) {
    var ra = typeof a === "string" ? parseColour(a) : a;
    var rb = typeof b === "string" ? parseColour(b) : b;
    if (!ra || !rb) return 0;
    var la = luminance(ra), lb = luminance(rb);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** Configured colours only when text on primary has >= 4.5:1 and primary is visible on white (>= 3:1). */
  function chooseColours(kleuren) {
    var k = kleuren || {};
    var primair = parseColour(k.primair) ? k.primair : null;
    var tekst = parseColour(k.tekst) ? k.tekst : null;
    if (!primair && !tekst) return { primair: DEFAULT_KLEUREN.primair, tekst: DEFAULT_KLEUREN.tekst, fallback: false };
    if (primair && !tekst) tekst = contrast(primair, "#ffffff") >= 4.5 ? "#ffffff" : "#000000";
    if (!primair) primair = DEFAULT_KLEUREN.primair;
    if (contrast(tekst, primair) >= 4.5 && contrast(primair, "#ffffff") >= 3) {
      return { primair: primair, tekst: tekst, fallback: false };
    }
    if (window.console) {
      console.warn("BW-widget: kleuren " + primair + "/" + tekst + " hebben te weinig contrast (WCAG AA); standaardkleuren gebruikt.");
    }
    return { primair: DEFAULT_KLEUREN.primair, tekst: DEFAULT_KLEUREN.tekst, fallback: true };
  }

  // ------------------------------------------------------------------ configuration

  function readConfig() {
    var raw = window.BWWidgetConfig || {};
    var origin = "";
    try {
      origin = new URL(BASE || window.location.href).origin;
    } catch (e) {
      origin = window.location.origin;
    }
    var kleuren = chooseColours(raw.kleuren);
    return {
      gemeente: typeof raw.gemeente === "string" && raw.gemeente.trim() ? raw.gemeente.trim() : null,
      kleuren: kleuren,
      begroeting: typeof raw.begroeting === "string" && raw.begroeting.trim() ? raw.begroeting : DEFAULT_BEGROETING,
      socketUrl: typeof raw.socketUrl === "string" && raw.socketUrl ? raw.socketUrl : origin,
      socketPath: typeof raw.socketPath === "string" && raw.socketPath ? raw.socketPath : "/socket.io",
    };
  }

  // ------------------------------------------------------------------ vendor scripts, without touching the page's globals

  var vendor = null; // {io, marked, DOMPurify}
  var vendorPromise = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.async = false;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("kan " + src + " niet laden")); };
      document.head.appendChild(s);
    });
  }

  function loadVendor() {
    if (vendorPromise) return vendorPromise;
    var names = ["io", "marked", "DOMPurify"];
    var saved = {};
    names.forEach(function (n) { saved[n] = { had: n in window, value: window[n] }; });
    var savedDefine = window.define;
    window.define = undefined; // a page with RequireJS would otherwise get the UMD modules, not us
    var files = ["vendor/socket.io.min.js", "vendor/marked.umd.js", "vendor/purify.min.js"];
    vendorPromise = Promise.all(files.map(function (f) { return loadScript(BASE + f); }))
      .then(function () {
        vendor = { io: window.io, marked: window.marked, DOMPurify: window.DOMPurify };
        if (!vendor.io || !vendor.marked || !vendor.DOMPurify) throw new Error("vendorbestanden onvolledig");
        return vendor;
      })
      .finally(function () {
        window.define = savedDefine;
        names.forEach(function (n) {
          if (saved[n].had) window[n] = saved[n].value;
          else {
            try { delete window[n]; } catch (e) { window[n] = undefined; }
          }
        });
      });
    return vendorPromise;
  }

  // ------------------------------------------------------------------ Markdown -> safe DOM

  var markdown = null;
  var purifier = null;

  function setupMarkdown() {
    if (markdown) return;
    var M = vendor.marked;
    markdown = new M.Marked({ gfm: true, breaks: true, async: false });
    // Raw HTML in a message is shown as text, never interpreted.
    markdown.use({
      renderer: {
        html: function (token) { return escapeHtml(token && typeof token === "object" ? token.text : token); },
        heading: function (token) { return "<p><strong>" + this.parser.parseInline(token.tokens) + "</strong></p>\n"; },
        image: function (token) { return escapeHtml(token.text || ""); },
      },
    });
    purifier = vendor.DOMPurify(window);
  }

  /** Markdown text -> DocumentFragment with only the allowed tags; links open safely in a new tab. */
  function renderMarkdown(text) {
    setupMarkdown();
    var html = markdown.parse(String(text == null ? "" : text));
    var frag = purifier.sanitize(html, {
      ALLOWED_TAGS: ALLOWED_TAGS,
      ALLOWED_ATTR: ["href"],
      ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:)/i,
      RETURN_DOM_FRAGMENT: true,
    });
    Array.prototype.forEach.call(frag.querySelectorAll("a"), function (a) {
      if (!a.getAttribute("href")) {
        a.replaceWith(document.createTextNode(a.textContent));
        return;
      }
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener noreferrer");
      a.appendChild(el("span", { className: "bw-sr", text: " (opent in een nieuw venster)" }));
    });
    return frag;
  }

  // ------------------------------------------------------------------ the widget

  function Widget(config) {
    this.config = config;
    this.transcript = storage.get("transcript") || [];
    this.sessionId = storage.get("sessie");
    this.socket = null;
    this.ready = false; // session confirmed
    this.offline = false; // a connection problem is shown in the status line
    this.queue = [];
    this.timer = null;
    this.build();
  }

  Widget.prototype.build = function () {
    var c = this.config;
    var self = this;
    var root = el("div", { className: "bw-widget", "data-bw-widget": VERSION, hidden: true });
    root.style.setProperty("--bw-primair", c.kleuren.primair);
    root.style.setProperty("--bw-tekst", c.kleuren.tekst);

    this.launcher = el("button", {
      type: "button", className: "bw-launcher", "aria-expanded": "false", "aria-controls": "bw-panel",
      text: "Chat met de BW-assistent",
    });
    this.closeButton = el("button", { type: "button", className: "bw-sluit", text: "Sluiten" });
    this.newButton = el("button", { type: "button", className: "bw-knop bw-knop-stil", text: "Nieuw gesprek" });
    this.staffButton = el("button", { type: "button", className: "bw-knop bw-knop-stil bw-medewerker", text: MEDEWERKER.title });
    this.log = el("div", {
      className: "bw-log", id: "bw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Gesprek met de BW-assistent", tabindex: "0",
    });
    this.typing = el("p", { className: "bw-typt", "aria-hidden": "true", hidden: true, text: "De assistent typt…" });
    this.status = el("p", { className: "bw-status", role: "status" });
    this.input = el("input", {
      type: "text", id: "bw-input", className: "bw-input", name: "bericht", autocomplete: "off",
      maxlength: String(MAX_LENGTH), "aria-describedby": "bw-hint", enterkeyhint: "send",
    });
    this.form = el("form", { className: "bw-form", novalidate: true }, [
      el("label", { for: "bw-input", className: "bw-label", text: "Typ uw vraag" }),
      el("div", { className: "bw-invoerregel" }, [
        this.input,
        el("button", { type: "submit", className: "bw-knop bw-verstuur", text: "Verstuur" }),
      ]),
      el("p", { id: "bw-hint", className: "bw-hint", text: "Deel geen BSN, rekeningnummer of medische gegevens." }),
    ]);

    var subtitle = "Digitale assistent, geen mens" + (c.gemeente ? " · Gemeente " + c.gemeente : "");
    this.panel = el("section", {
      className: "bw-panel", id: "bw-panel", role: "dialog", "aria-modal": "false",
      "aria-labelledby": "bw-titel", "aria-describedby": "bw-ondertitel", hidden: true,
    }, [
      el("div", { className: "bw-kop" }, [
        el("div", { className: "bw-koptekst" }, [
          el("h2", { id: "bw-titel", className: "bw-titel", text: "BW-assistent" }),
          el("p", { id: "bw-ondertitel", className: "bw-ondertitel", text: subtitle }),
        ]),
        this.closeButton,
      ]),
      this.log,
      this.typing,
      this.status,
      this.form,
      el("div", { className: "bw-voet" }, [this.staffButton, this.newButton]),
    ]);
    root.appendChild(this.launcher);
    root.appendChild(this.panel);
    this.root = root;

    // History is rendered before the widget is in the page, so screen readers do not re-read it.
    if (!this.transcript.length) this.record({ van: "bot", tekst: c.begroeting, lokaal: true });
    this.pendingRender = true;

    this.launcher.addEventListener("click", function () { self.open(); });
    this.closeButton.addEventListener("click", function () { self.close(); });
    this.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape" || e.key === "Esc") {
        e.preventDefault();
        self.close();
      }
    });
    this.form.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = self.input.value.trim();
      if (!text) {
        self.input.focus();
        return;
      }
      self.input.value = "";
      self.userSays(text, text);
    });
    this.staffButton.addEventListener("click", function () { self.userSays(MEDEWERKER.title, MEDEWERKER.payload); });
    this.newButton.addEventListener("click", function () { self.reset(); });
    // Keep the newest message in view when the window or zoom changes, unless the user scrolled up.
    this.stick = true;
    this.log.addEventListener("scroll", function () {
      self.stick = self.log.scrollHeight - self.log.scrollTop - self.log.clientHeight < 40;
    });
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () {
        if (self.stick) self.log.scrollTop = self.log.scrollHeight;
      }).observe(this.log);
    }
  };

  Widget.prototype.mount = function () {
    var self = this;
    var css = el("link", { rel: "stylesheet", href: BASE + "bw-widget.css", "data-bw-widget": "css" });
    var shown = false;
    function show() {
      if (shown) return;
      shown = true;
      self.root.hidden = false;
    }
    css.addEventListener("load", show);
    css.addEventListener("error", show);
    setTimeout(show, 3000);
    document.head.appendChild(css);
    return loadVendor().then(
      function () {
        self.renderAll();
        document.body.appendChild(self.root);
        if (storage.get("open")) self.open(false);
      },
      function (err) {
        // Without its scripts the widget cannot chat: say so instead of failing silently.
        if (window.console) console.error("BW-widget:", err);
      }
    );
  };

  Widget.prototype.renderAll = function () {
    var self = this;
    while (this.log.firstChild) this.log.removeChild(this.log.firstChild);
    this.transcript.forEach(function (entry) { self.log.appendChild(self.renderEntry(entry)); });
    this.pendingRender = false;
  };

  Widget.prototype.renderEntry = function (entry) {
    var self = this;
    var who = entry.van === "gebruiker" ? "U" : entry.van === "systeem" ? "Melding" : "BW-assistent";
    var body = el("div", { className: "bw-tekst" });
    if (entry.van === "bot") body.appendChild(renderMarkdown(entry.tekst));
    else body.appendChild(el("p", { text: entry.tekst })); // user text is text, never HTML
    var item = el("div", { className: "bw-bericht bw-" + entry.van }, [
      el("span", { className: "bw-sr", text: who + ": " }),
      body,
    ]);
    if (entry.knoppen && entry.knoppen.length && !entry.gebruikt) {
      var group = el("div", { className: "bw-keuzes", role: "group", "aria-label": "Kies een antwoord" });
      entry.knoppen.forEach(function (k) {
        var b = el("button", { type: "button", className: "bw-knop bw-keuze", text: k.title });
        b.addEventListener("click", function () {
          entry.gebruikt = true; // the same object as in the transcript
          self.save();
          if (group.parentNode) group.parentNode.removeChild(group);
          self.userSays(k.title, k.payload);
          self.input.focus();
        });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    return item;
  };

  Widget.prototype.record = function (entry) {
    this.transcript.push(entry);
    if (this.transcript.length > MAX_TRANSCRIPT) this.transcript.splice(0, this.transcript.length - MAX_TRANSCRIPT);
    this.save();
    return this.transcript.length - 1;
  };

  Widget.prototype.save = function () {
    storage.set("transcript", this.transcript);
  };

  Widget.prototype.add = function (entry) {
    this.record(entry);
    if (!this.pendingRender) {
      this.log.appendChild(this.renderEntry(entry));
      this.log.scrollTop = this.log.scrollHeight;
      this.stick = true;
    }
  };

  Widget.prototype.open = function (focus) {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    storage.set("open", true);
    this.log.scrollTop = this.log.scrollHeight;
    if (focus !== false) this.input.focus();
    this.connect();
  };

  Widget.prototype.close = function () {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    storage.set("open", false);
    this.launcher.focus();
  };

  Widget.prototype.setStatus = function (text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  };

  Widget.prototype.connect = function () {
    if (this.socket) return;
    var self = this;
    var c = this.config;
    var socket = vendor.io(c.socketUrl, {
      path: c.socketPath,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnection: true,
      reconnectionDelayMax: 10000,
    });
    this.socket = socket;
    socket.on("connect", function () {
      self.ready = false;
      socket.emit("session_request", { session_id: self.sessionId || null });
    });
    socket.on("session_confirm", function (data) {
      var id = typeof data === "string" ? data : data && data.session_id;
      if (!id) return;
      self.sessionId = id;
      storage.set("sessie", id);
      self.ready = true;
      if (self.offline) self.setStatus("De verbinding is hersteld.");
      self.offline = false;
      self.flush();
    });
    socket.on("bot_uttered", function (msg) { self.botSays(msg); });
    socket.on("disconnect", function () {
      self.ready = false;
      self.offline = true;
      self.setStatus("De verbinding is verbroken. Ik probeer opnieuw te verbinden…");
    });
    socket.on("connect_error", function () {
      self.offline = true;
      self.setStatus("Geen verbinding met de assistent. Ik probeer het opnieuw…");
    });
  };

  Widget.prototype.userSays = function (shown, payload) {
    if (String(payload).length > MAX_LENGTH) payload = String(payload).slice(0, MAX_LENGTH);
    this.add({ van: "gebruiker", tekst: shown });
    this.queue.push(payload);
    if (!this.socket) this.connect();
    this.flush();
    this.waiting(true);
  };

  Widget.prototype.flush = function () {
    if (!this.ready || !this.socket) return;
    var metadata = { kanaal: "webchat" };
    if (this.config.gemeente) metadata.gemeente = this.config.gemeente;
    while (this.queue.length) {
      this.socket.emit("user_uttered", { message: this.queue.shift(), session_id: this.sessionId, metadata: metadata });
    }
  };

  Widget.prototype.waiting = function (on) {
    var self = this;
    clearTimeout(this.timer);
    this.typing.hidden = !on;
    if (on) {
      this.timer = setTimeout(function () {
        self.typing.hidden = true;
        self.add({
          van: "systeem",
          tekst: "Er komt nu geen antwoord van de assistent. Probeer het later opnieuw. Vragen over uw eigen " +
            "bijdrage kunt u ook stellen aan het CAK: 0800 1925 (gratis).",
        });
      }, ANTWOORD_TIMEOUT_MS);
    }
  };

  Widget.prototype.botSays = function (msg) {
    if (!msg || typeof msg !== "object") return;
    this.waiting(false);
    var knoppen = (msg.quick_replies || msg.buttons || [])
      .filter(function (b) { return b && typeof b.title === "string" && typeof b.payload === "string"; })
      .map(function (b) { return { title: b.title, payload: b.payload }; });
    var tekst = typeof msg.text === "string" ? msg.text : "";
    if (!tekst && !knoppen.length) return; // images, custom payloads: not shown by this widget
    this.add({ van: "bot", tekst: tekst, knoppen: knoppen });
  };

  Widget.prototype.reset = function () {
    this.transcript = [];
    this.sessionId = null;
    storage.remove("sessie");
    this.record({ van: "bot", tekst: this.config.begroeting, lokaal: true });
    this.renderAll();
    if (this.socket) {
      this.ready = false;
      this.socket.emit("session_request", { session_id: null });
    }
    this.setStatus("Nieuw gesprek gestart.");
    this.input.focus();
  };

  // ------------------------------------------------------------------ start

  var widget = null;
  window.BWWidget = {
    version: VERSION,
    open: function () { if (widget) widget.open(); },
    close: function () { if (widget) widget.close(); },
    send: function (text) { if (widget) widget.userSays(text, text); },
    reset: function () { if (widget) widget.reset(); },
    sessionId: function () { return widget ? widget.sessionId : null; },
    // For tests and for checking configured colours.
    renderMarkdown: function (text) {
      var d = el("div");
      d.appendChild(renderMarkdown(text));
      return d.innerHTML;
    },
    contrast: contrast,
    chooseColours: chooseColours,
    ready: null,
  };

  function start() {
    widget = new Widget(readConfig());
    window.BWWidget.ready = widget.mount();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
