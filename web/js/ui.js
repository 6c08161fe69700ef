// Small DOM helpers. Text always goes in as text (never as HTML), so whatever the server or
// a model says cannot become markup; markdown goes through DOMPurify in assistant.js.
import { advice } from "./api.js";

/** h("button", {class: "x", onclick}, "text", child...) */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/**
 * Shows a notice at the top. kind: info | error | warn. actions: [{label, run}].
 * Errors stay until dismissed; others fade after `timeout` ms.
 */
export function notify(message, { kind = "info", actions = [], timeout, detail } = {}) {
  const box = $("#notices");
  const close = () => note.remove();
  const note = h(
    "div",
    { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" },
    h("span", { class: "msg" }, message),
    detail ? h("span", { class: "detail" }, detail) : null,
    ...actions.map((a) => h("button", { type: "button", onclick: () => { close(); a.run(); } }, a.label)),
    h("button", { type: "button", class: "close", "aria-label": "Dismiss", onclick: close }, "×"),
  );
  box.append(note);
  const wait = timeout ?? (kind === "error" || actions.length ? 0 : 4000);
  if (wait) setTimeout(close, wait);
  return close;
}

/** A failed request in words: what failed, the server's detail, and what to do. */
export function showError(what, error, actions = []) {
  if (error && error.name === "AbortError") return;
  const detail = [error && error.message, advice(error)].filter(Boolean).join(" — ");
  console.warn(what, error);
  return notify(what, { kind: "error", detail, actions });
}

export function formatNumber(value, digits = 3) {
  if (typeof value !== "number" || !isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(0) : value.toFixed(digits);
}

export function formatBytes(bytes) {
  if (!bytes && bytes !== 0) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A modal confirmation; resolves true or false. */
export function confirmDialog(message, confirmLabel = "OK") {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "dialog", "aria-label": "Confirm" });
    const done = (value) => { dialog.close(); dialog.remove(); resolve(value); };
    dialog.append(
      h("p", {}, message),
      h("div", { class: "row end" },
        h("button", { type: "button", onclick: () => done(false) }, "Cancel"),
        h("button", { type: "button", class: "primary danger", onclick: () => done(true) }, confirmLabel)),
    );
    dialog.addEventListener("cancel", () => done(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A modal asking for one line of text; resolves the text or null. */
export function promptDialog(message, value = "") {
  return new Promise((resolve) => {
    const input = h("input", { value, "aria-label": message });
    const dialog = h("dialog", { class: "dialog", "aria-label": message });
    const done = (result) => { dialog.close(); dialog.remove(); resolve(result); };
    const form = h("form", { onsubmit: (e) => { e.preventDefault(); done(input.value.trim() || null); } },
      h("label", {}, message, input),
      h("div", { class: "row end" },
        h("button", { type: "button", onclick: () => done(null) }, "Cancel"),
        h("button", { type: "submit", class: "primary" }, "OK")));
    dialog.append(form);
    dialog.addEventListener("cancel", () => done(null));
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
    input.select();
  });
}
