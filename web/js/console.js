// The log console: the stream's logs and our own notes; `file:line` is a link that opens
// the editor at that line, and error lines become gutter markers.
import { $, h } from "./ui.js";
import { on, emit } from "./bus.js";

const FILE_LINE = /([A-Za-z0-9_][A-Za-z0-9_./-]*\.(?:py|xml|urdf|json|txt)):(\d+)/g;
const MAX_LINES = 2000;

/** Every `file:line` mentioned in `text`, as [{path, line}]. */
export function fileLines(text) {
  const found = [];
  for (const match of String(text).matchAll(FILE_LINE)) found.push({ path: match[1], line: Number(match[2]) });
  return found;
}

function linked(text) {
  const parts = [];
  let last = 0;
  for (const match of String(text).matchAll(FILE_LINE)) {
    parts.push(text.slice(last, match.index));
    const path = match[1];
    const line = Number(match[2]);
    parts.push(h("a", { href: "#", class: "file-link", title: `Open ${path} at line ${line}`, onclick: (e) => { e.preventDefault(); emit("open-at", { path, line }); } }, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

export function log(level, message) {
  const box = $("#console");
  const stamp = new Date().toLocaleTimeString();
  const line = h("div", { class: `log ${level}` }, h("span", { class: "time" }, stamp), h("span", { class: "level" }, level), h("span", { class: "text" }, ...linked(message)));
  box.append(line);
  while (box.childElementCount > MAX_LINES) box.firstElementChild.remove();
  box.scrollTop = box.scrollHeight;
  if (level === "error") {
    // the last project frame is where the error is (a traceback lists outer frames first)
    const places = fileLines(message);
    if (places.length) {
      const lines = String(message).split("\n");
      const errors = places.map((p) => ({ ...p, message: lines[lines.length - 1] || message }));
      emit("compile-errors", errors);
    }
  }
}

on("log", ({ level, message }) => log(level, message));
on("project-opened", () => $("#console").replaceChildren());

document.addEventListener("DOMContentLoaded", () => {});
$("#console-clear").addEventListener("click", () => $("#console").replaceChildren());
