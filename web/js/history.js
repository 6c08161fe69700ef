// A file's history: its earlier versions, newest first, with a diff against the current
// content where the server gives a version's text, and restore.
import { api, projectAPI, enc, readFile } from "./api.js";
import { $, h, notify, showError, confirmDialog } from "./ui.js";
import { on, emit } from "./bus.js";
import { activePath, tabOf } from "./files.js";
import { diffLines } from "./files.js";
import { selectPanel } from "./assistant.js";

let current;

export function init(state) {
  current = state;
  $("#history-btn").addEventListener("click", () => { selectPanel("#tab-history", "#panel-history"); load(); });
  $("#tab-history").addEventListener("click", load);
  on("active-file", () => { if (!$("#panel-history").hidden) load(); });
  on("saved", () => { if (!$("#panel-history").hidden) load(); });
}

async function versionText(path, version) {
  // Asks for one version's text; a server without that route answers the list instead.
  const answer = await api("GET", `${projectAPI(current.project.id)}/history?path=${enc(path)}&version=${enc(version)}`);
  return answer && typeof answer.content === "string" ? answer.content : null;
}

async function load() {
  const path = activePath();
  const list = $("#history-list");
  $("#history-diff").replaceChildren();
  if (!path || !current.project) { $("#history-title").textContent = "History"; list.replaceChildren(h("li", { class: "muted" }, "Open a file to see its history.")); return; }
  $("#history-title").textContent = `History of ${path}`;
  let versions;
  try {
    versions = await api("GET", `${projectAPI(current.project.id)}/history?path=${enc(path)}`);
  } catch (error) {
    list.replaceChildren(h("li", { class: "error-text" }, `The history could not be read: ${error.message}`));
    return;
  }
  if (!versions.length) { list.replaceChildren(h("li", { class: "muted" }, "No earlier versions: every save keeps one.")); return; }
  list.replaceChildren(...versions.map((v) => {
    const by = v.replaced_by ? ` · replaced by ${v.replaced_by.kind}${v.replaced_by.provider ? ` ${v.replaced_by.provider}` : ""}${v.replaced_by.model ? ` ${v.replaced_by.model}` : ""}` : "";
    return h("li", { class: "project-row" },
      h("button", { type: "button", class: "linklike", onclick: () => showDiff(path, v), "aria-label": `Show version ${v.version}` }, `v${v.version} · ${new Date(v.time).toLocaleString()} · ${v.size} bytes${by}`),
      h("span", { class: "spacer" }),
      h("button", { type: "button", class: "small", "aria-label": `Restore version ${v.version}`, onclick: () => restore(path, v) }, "Restore"));
  }));
}

async function showDiff(path, v) {
  const box = $("#history-diff");
  box.replaceChildren(h("p", { class: "muted small" }, "Loading…"));
  try {
    const [old, now] = await Promise.all([versionText(path, v.version), readFile(current.project.id, path)]);
    if (old === null) {
      box.replaceChildren(h("p", { class: "muted small" }, "This server does not give a version's text yet, so no diff can be shown; Restore brings the version back (and keeps the current one in the history)."));
      return;
    }
    box.replaceChildren(h("p", { class: "small" }, `v${v.version} → current`), h("pre", { class: "diff" }, ...diffLines(old, now.content)));
  } catch (error) {
    box.replaceChildren(h("p", { class: "error-text small" }, error.message));
  }
}

async function restore(path, v) {
  const tab = tabOf(path);
  if (tab && tab.dirty && !(await confirmDialog(`${path} has unsaved edits; restoring replaces them. Go on?`, "Restore"))) return;
  try {
    await api("POST", `${projectAPI(current.project.id)}/history/restore`, { path, version: v.version });
  } catch (error) {
    showError(`Could not restore ${path}`, error);
    return;
  }
  if (tab) tab.dirty = false;
  notify(`Restored ${path} to v${v.version}.`);
  emit("file-written", { path });
  load();
}
