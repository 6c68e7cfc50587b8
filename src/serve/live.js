// dossier's live reload, added by `dossier serve` to the pages it serves (never to a build).
// It listens to the server's events: `reload` reloads the page and keeps the scroll position,
// `css` swaps the stylesheets in place, `failed` shows the build errors over the page and
// `fixed` takes them away. It reconnects by itself when the server restarts.
(() => {
  "use strict";
  const script = document.currentScript;
  const version = (script && script.dataset.version) || "";
  const scrollKey = "dossier:scroll:" + location.pathname;
  const overlayId = "__dossier_overlay";

  const saved = sessionStorage.getItem(scrollKey);
  if (saved) {
    sessionStorage.removeItem(scrollKey);
    try {
      const [x, y] = JSON.parse(saved);
      if ("scrollRestoration" in history) history.scrollRestoration = "manual";
      const restore = () => window.scrollTo(x, y);
      restore();
      addEventListener("DOMContentLoaded", restore);
      addEventListener("load", restore);
    } catch (_) {}
  }

  function reload() {
    sessionStorage.setItem(scrollKey, JSON.stringify([scrollX, scrollY]));
    location.reload();
  }

  function swapStylesheets() {
    const stamp = String(Date.now());
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      url.searchParams.set("dossier", stamp);
      const next = link.cloneNode();
      next.href = url.href;
      const done = () => link.remove();
      next.addEventListener("load", done);
      next.addEventListener("error", done);
      link.after(next);
    }
  }

  function showErrors(text) {
    let box = document.getElementById(overlayId);
    if (!box) {
      box = document.createElement("div");
      box.id = overlayId;
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
        "background:#1b1b1b;color:#f2f2f2;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left";
      const title = document.createElement("p");
      title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8a80";
      title.textContent =
        "dossier: the last change broke the build. This page shows the last good build; the message goes away when the file is fixed.";
      const pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap;font:inherit;color:inherit;background:none";
      box.append(title, pre);
      (document.body || document.documentElement).append(box);
    }
    box.querySelector("pre").textContent = text;
  }

  function hideErrors() {
    const box = document.getElementById(overlayId);
    if (box) box.remove();
  }

  function connect() {
    const url =
      "/__dossier/events?path=" + encodeURIComponent(location.pathname) +
      "&version=" + encodeURIComponent(version);
    const source = new EventSource(url);
    source.addEventListener("hello", (e) => {
      state.build = JSON.parse(e.data).build;
      state.connected = true;
    });
    source.addEventListener("reload", reload);
    source.addEventListener("css", swapStylesheets);
    source.addEventListener("failed", (e) => showErrors(JSON.parse(e.data).text));
    source.addEventListener("fixed", hideErrors);
    source.addEventListener("error", () => {
      // The browser retries by itself unless the connection was refused for good.
      state.connected = false;
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
    });
  }

  // What the page knows about the server, for tests and the curious.
  const state = (window.__dossierLive = { version, connected: false, build: null });
  connect();
})();
