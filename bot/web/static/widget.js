/*
 * Stifinder's web chat widget. Plain JavaScript, no build step, no dependencies, no inline script or style:
 * a page embeds it with one tag (docs/webchat.md):
 *
 *   <script src="https://stifinder.example.dk/chat/widget.js" data-lang="da" defer></script>
 *
 * Accessibility (WCAG 2.1 AA): the launcher is a labelled button with aria-expanded; the transcript is a
 * role="log" that is not itself announced, and each new reply is announced once through a separate polite live
 * region; every message carries its lang and says who wrote it; everything works by keyboard, focus stays in
 * the input when a reply arrives, Escape closes the chat and returns to the launcher.
 *
 * Anonymous: the session id lives in sessionStorage (gone when the tab closes), with the transcript, so a
 * reload of the same tab keeps the conversation; "Glem mig" deletes it on the server and in the tab.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) { return; }
  var base = new URL(".", script.src).href.replace(/\/$/, "");          // …/chat
  var pageLang = (script.getAttribute("data-lang") || document.documentElement.lang || "da").slice(0, 2);
  var lang = pageLang === "en" ? "en" : "da";
  var store = window.sessionStorage;
  var KEY = "stifinder.";
  var texts = null;
  var source = null;
  var root, launcher, panel, log, live, form, input, status, heading, close, emergency, label, send, forget;

  function saved(name, fallback) {
    try { var value = store.getItem(KEY + name); return value === null ? fallback : JSON.parse(value); }
    catch (e) { return fallback; }
  }
  function save(name, value) {
    try { store.setItem(KEY + name, JSON.stringify(value)); } catch (e) { /* private mode: the tab forgets */ }
  }
  function forgetAll() {
    ["session", "last", "transcript", "open", "lang"].forEach(function (name) { store.removeItem(KEY + name); });
  }

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function api(method, path, body) {
    var options = { method: method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(base + path, options);
  }

  function session() {
    var known = saved("session", null);
    if (known) { return Promise.resolve(known); }
    return api("POST", "/sessions").then(function (response) {
      if (!response.ok) { throw new Error("session " + response.status); }
      return response.json();
    }).then(function (data) {
      save("session", data.session);
      save("last", 0);
      return data.session;
    });
  }

  function build() {
    root = el("div", { "class": "stf", lang: lang });
    launcher = el("button", { type: "button", "class": "stf-launcher", "aria-expanded": "false",
                              "aria-controls": "stf-panel" }, texts.open);
    panel = el("section", { id: "stf-panel", "class": "stf-panel", "aria-labelledby": "stf-title", hidden: "" });
    var header = el("div", { "class": "stf-header" });
    heading = el("h2", { id: "stf-title", "class": "stf-title" }, texts.title);
    close = el("button", { type: "button", "class": "stf-close", "aria-label": texts.close }, "×");
    emergency = el("p", { "class": "stf-emergency" }, texts.emergency);
    header.appendChild(heading);
    header.appendChild(close);
    header.appendChild(emergency);
    log = el("div", { "class": "stf-log", role: "log", "aria-live": "off", "aria-label": texts.log, tabindex: "0" });
    live = el("div", { "class": "stf-visually-hidden", "aria-live": "polite", "aria-atomic": "true" });
    status = el("p", { "class": "stf-status", role: "status" });
    form = el("form", { "class": "stf-form", novalidate: "" });
    label = el("label", { "for": "stf-input", "class": "stf-label" }, texts.input);
    input = el("input", { id: "stf-input", "class": "stf-input", type: "text", autocomplete: "off",
                          maxlength: "4000" });
    send = el("button", { type: "submit", "class": "stf-send" }, texts.send);
    var row = el("div", { "class": "stf-row" });
    row.appendChild(input);
    row.appendChild(send);
    form.appendChild(label);
    form.appendChild(row);
    forget = el("button", { type: "button", "class": "stf-forget" }, texts.forget);
    panel.appendChild(header);
    panel.appendChild(log);
    panel.appendChild(status);
    panel.appendChild(form);
    panel.appendChild(forget);
    root.appendChild(launcher);
    root.appendChild(panel);
    root.appendChild(live);
    document.body.appendChild(root);

    launcher.addEventListener("click", function () { toggle(panel.hidden); });
    close.addEventListener("click", function () { toggle(false); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { toggle(false); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) { return; }
      input.value = "";
      send_({ text: text }, text);
    });
    forget.addEventListener("click", forgetMe);
  }

  // Danish first, English when the person writes English: the widget's own words follow the replies' language.
  function speak(wanted) {
    if (wanted !== "da" && wanted !== "en") { return; }
    if (wanted === lang) { return; }
    lang = wanted;
    save("lang", lang);
    fetch(base + "/texts?lang=" + lang).then(function (response) { return response.json(); }).then(function (data) {
      texts = data;
      root.setAttribute("lang", lang);
      launcher.textContent = texts.open;
      heading.textContent = texts.title;
      close.setAttribute("aria-label", texts.close);
      emergency.textContent = texts.emergency;
      log.setAttribute("aria-label", texts.log);
      label.textContent = texts.input;
      send.textContent = texts.send;
      forget.textContent = texts.forget;
    });
  }

  function toggle(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    save("open", open);
    if (open) {
      if (!log.childNodes.length) { restore(); }
      listen();
      input.focus();
    } else {
      launcher.focus();
    }
  }

  function show(message, announce) {
    var bot = message.sender === "bot", counsellor = message.sender === "counsellor";
    var item = el("div", { "class": "stf-msg " + (bot || counsellor ? "stf-bot" : "stf-you"),
                           lang: message.lang || lang });
    item.appendChild(el("span", { "class": "stf-who" }, bot ? texts.bot : counsellor ? texts.counsellor : texts.you));
    item.appendChild(el("p", { "class": "stf-text" }, message.text));
    if (message.buttons && message.buttons.length) {
      var buttons = el("div", { "class": "stf-buttons" });
      message.buttons.forEach(function (button) {
        var choice = el("button", { type: "button", "class": "stf-choice" }, button.label);
        choice.addEventListener("click", function () { send_({ payload: button.payload }, button.label); });
        buttons.appendChild(choice);
      });
      item.appendChild(buttons);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    if (announce) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = texts.new_reply + " " + message.text; }, 50);
    }
  }

  function remember(message) {
    var transcript = saved("transcript", []);
    transcript.push(message);
    save("transcript", transcript.slice(-200));
  }

  function restore() {
    log.textContent = "";
    show({ sender: "bot", text: texts.disclosure, lang: lang }, false);
    saved("transcript", []).forEach(function (message) { show(message, false); });
  }

  function send_(body, shown) {
    status.textContent = "";
    var mine = { sender: "you", text: shown, lang: lang };
    show(mine, false);
    remember(mine);
    body.lang = lang;
    input.focus();
    session().then(function (id) {
      listen();
      return api("POST", "/sessions/" + id + "/messages", body);
    }).then(function (response) {
      if (response.status === 429) { status.textContent = texts.too_fast; }
      else if (!response.ok) { status.textContent = texts.failed; }
    }).catch(function () { status.textContent = texts.failed; });
  }

  function listen() {
    if (source) { return; }
    var id = saved("session", null);
    if (!id) { return; }
    source = new EventSource(base + "/sessions/" + id + "/events?last=" + encodeURIComponent(saved("last", 0)));
    source.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      save("last", Number(event.lastEventId) || saved("last", 0));
      status.textContent = "";
      remember(message);
      show(message, true);
      speak(message.lang);
    });
    source.addEventListener("error", function () {
      if (source && source.readyState === EventSource.CONNECTING) { status.textContent = texts.reconnecting; }
    });
    source.addEventListener("open", function () { status.textContent = ""; });
  }

  function forgetMe() {
    var id = saved("session", null);
    if (source) { source.close(); source = null; }
    forgetAll();
    var done = function () {
      restore();
      show({ sender: "bot", text: texts.forgotten, lang: lang }, true);
      input.focus();
    };
    if (id) { api("DELETE", "/sessions/" + id).then(done, done); } else { done(); }
  }

  // Leaving the page (closing the tab, or going on to another page): the server is told with a beacon. A chat
  // waiting for or talking with a counsellor ends unless this tab's chat is back within half a minute, which a
  // reload or the next page of the same site is, because the chat listens again as soon as it loads.
  function away() {
    var id = saved("session", null);
    if (id && navigator.sendBeacon) { navigator.sendBeacon(base + "/sessions/" + id + "/away"); }
  }

  function start() {
    var css = el("link", { rel: "stylesheet", href: base + "/widget.css" });
    document.head.appendChild(css);
    lang = saved("lang", lang);
    fetch(base + "/texts?lang=" + lang).then(function (response) { return response.json(); }).then(function (data) {
      texts = data;
      build();
      if (saved("open", false)) { toggle(true); } else if (saved("session", null)) { restore(); listen(); }
    });
    window.addEventListener("pagehide", away);
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && source) { source.close(); source = null; listen(); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
