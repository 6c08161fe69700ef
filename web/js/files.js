// Files of the open project: the tree, tabs, saving (Ctrl/Cmd+S and autosave), a warning
// instead of overwriting a file that changed on the server, drafts kept in this browser so
// nothing typed is lost when a save fails, and compile errors in the gutter.
import { api, projectAPI, readFile, writeFile, enc } from "./api.js";
import { $, h, notify, showError, confirmDialog, promptDialog } from "./ui.js";
import { on, emit } from "./bus.js";
import { createEditor, newDoc, markErrors, jumpTo, editor } from "./editor.js";

let current;
let cm;
const tabs = new Map(); // path -> {path, doc, loaded, dirty, errors}
let active = null;
let autosaveTimer = null;
let draftTimer = null;
let files = [];

const draftKey = (path) => `tau.draft.${current.project.id}.${path}`;
const activeKey = () => `tau.activeFile.${current.project.id}`;

export function init(state) {
  current = state;
  cm = createEditor($("#editor-host"), { onSave: () => save(active) });
  cm.on("change", onChange);
  $("#save").addEventListener("click", () => save(active));
  $("#file-new").addEventListener("click", newFile);
  $("#file-upload").addEventListener("change", upload);
  $("#check-file").addEventListener("click", checkOpenFiles);
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s" && document.body.dataset.screen === "ide") {
      event.preventDefault();
      save(active);
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if ([...tabs.values()].some((t) => t.dirty)) { event.preventDefault(); event.returnValue = ""; }
  });
  on("project-opened", opened);
  on("open-at", ({ path, line }) => openFile(path, line));
  on("compile-errors", (errors) => {
    for (const error of errors) {
      const known = files.includes(error.path) ? error.path : files.find((f) => f.endsWith(`/${error.path}`));
      if (!known) continue;
      const tab = tabs.get(known);
      const list = errorsByPath.get(known) || [];
      if (!list.some((e) => e.line === error.line)) list.push(error);
      errorsByPath.set(known, list);
      if (tab) markErrors(tab.doc, list);
    }
    renderTree();
  });
  on("run-starting", () => clearErrors());
  on("file-written", ({ path }) => reloadIfClean(path));
}

const errorsByPath = new Map();

function clearErrors() {
  errorsByPath.clear();
  for (const tab of tabs.values()) markErrors(tab.doc, []);
  renderTree();
}

async function opened(project) {
  $("#file-zip").href = `${projectAPI(project.id)}/zip`;
  tabs.clear();
  active = null;
  errorsByPath.clear();
  files = project.files.slice().sort();
  cm.swapDoc(newDoc("", "x.txt"));
  renderTree();
  renderTabs();
  const remembered = localStorage.getItem(activeKey());
  const first = [remembered, "env.py", "scene.xml", files[0]].find((p) => p && files.includes(p));
  if (first) await openFile(first);
}

export async function refreshFiles() {
  try {
    const project = await api("GET", projectAPI(current.project.id));
    files = project.files.slice().sort();
    renderTree();
  } catch (error) {
    showError("Could not list the project's files", error);
  }
}

export function openPaths() {
  return [...tabs.keys()];
}

/** The open tab of `path`, or null. */
export function tabOf(path) {
  return tabs.get(path) || null;
}

export function activePath() {
  return active;
}

export async function openFile(path, line) {
  if (!current.project) return;
  if (!files.includes(path)) {
    const match = files.find((f) => f.endsWith(`/${path}`));
    if (match) path = match;
  }
  let tab = tabs.get(path);
  if (!tab && BINARY.test(path)) {
    notify(`${path} is a binary file`, { detail: "Meshes and textures are used by the model; they are not edited here. Upload a new one to replace it." });
    return;
  }
  if (!tab) {
    const project = current.project;
    let content;
    try {
      content = (await readFile(project.id, path)).content;
    } catch (error) {
      showError(`Could not open ${path}`, error);
      return;
    }
    if (current.project !== project) return;
    tab = { path, doc: newDoc(content, path), loaded: content, dirty: false };
    tabs.set(path, tab);
    const draft = localStorage.getItem(draftKey(path));
    if (draft !== null && draft !== content) {
      tab.doc.setValue(draft);
      tab.dirty = true;
      notify(`${path}: unsaved changes from this browser were restored.`, {
        kind: "warn",
        actions: [{ label: "Discard them", run: () => { tab.doc.setValue(tab.loaded); tab.dirty = false; localStorage.removeItem(draftKey(path)); renderTabs(); } }],
      });
    } else if (draft !== null) {
      localStorage.removeItem(draftKey(path));
    }
  }
  activate(path);
  if (line) jumpTo(line);
}

function activate(path) {
  const tab = tabs.get(path);
  if (!tab) return;
  active = path;
  localStorage.setItem(activeKey(), path);
  if (cm.getDoc() !== tab.doc) cm.swapDoc(tab.doc);
  markErrors(tab.doc, errorsByPath.get(path) || []);
  hideConflict();
  if (tab.conflict) showConflict(tab, tab.conflict);
  renderTabs();
  renderTree();
  emit("active-file", path);
  cm.refresh();
}

function onChange(instance, change) {
  if (change.origin === "setValue" && !active) return;
  const tab = tabs.get(active);
  if (!tab) return;
  const dirty = tab.doc.getValue() !== tab.loaded;
  if (dirty !== tab.dirty) { tab.dirty = dirty; renderTabs(); }
  clearTimeout(draftTimer);
  const path = tab.path;
  draftTimer = setTimeout(() => {
    if (!current.project) return;
    if (tab.dirty) localStorage.setItem(draftKey(path), tab.doc.getValue());
    else localStorage.removeItem(draftKey(path));
  }, 250);
  clearTimeout(autosaveTimer);
  if ($("#autosave").checked && tab.dirty && !tab.conflict) autosaveTimer = setTimeout(() => save(path, { auto: true }), 1500);
}

function renderTabs() {
  const box = $("#tabs");
  box.replaceChildren(...[...tabs.values()].map((tab) =>
    h("div", { class: `tab${tab.path === active ? " active" : ""}` },
      h("button", { type: "button", role: "tab", "aria-selected": String(tab.path === active), class: "tab-name", title: tab.path, onclick: () => activate(tab.path), dataset: { path: tab.path } },
        tab.path.split("/").pop(), tab.dirty ? h("span", { class: "dirty", "aria-label": "unsaved changes", title: "unsaved changes" }, " ●") : null),
      h("button", { type: "button", class: "tab-close", "aria-label": `Close ${tab.path}`, onclick: () => closeTab(tab.path) }, "×"))));
  $("#save").disabled = !active;
}

async function closeTab(path) {
  const tab = tabs.get(path);
  if (tab && tab.dirty && !(await confirmDialog(`${path} has unsaved changes. Close it anyway? (They stay saved in this browser as a draft.)`, "Close"))) return;
  tabs.delete(path);
  if (active === path) {
    active = null;
    const next = [...tabs.keys()].pop();
    if (next) activate(next);
    else { cm.swapDoc(newDoc("", "x.txt")); renderTabs(); }
  } else renderTabs();
}

// Folders folded in the tree, by project (a Menagerie robot's assets are many).
const foldedKey = () => `tau.folded.${current.project.id}`;
function folded() {
  try { return new Set(JSON.parse(localStorage.getItem(foldedKey()) || "[]")); } catch { return new Set(); }
}

function toggleFolder(folder) {
  const set = folded();
  if (set.has(folder)) set.delete(folder); else set.add(folder);
  localStorage.setItem(foldedKey(), JSON.stringify([...set]));
  renderTree();
}

function renderTree() {
  const tree = $("#file-tree");
  const items = [];
  let lastFolders = [];
  const closed = current.project ? folded() : new Set();
  for (const path of files) {
    const parts = path.split("/");
    const folders = parts.slice(0, -1);
    folders.forEach((folder, depth) => {
      if (lastFolders[depth] !== folder) {
        lastFolders = lastFolders.slice(0, depth).concat(folder);
        const key = lastFolders.join("/");
        const hiddenAbove = lastFolders.slice(0, -1).some((_, i) => closed.has(lastFolders.slice(0, i + 1).join("/")));
        if (hiddenAbove) return;
        const open = !closed.has(key);
        items.push(h("li", { class: "folder", role: "treeitem", "aria-expanded": String(open), style: `padding-left:${depth * 12 + 4}px` },
          h("button", { type: "button", class: "linklike folder-toggle", "aria-label": `${open ? "Fold" : "Unfold"} folder ${key}`, onclick: () => toggleFolder(key) }, `${open ? "▾" : "▸"} ${folder}`)));
      }
    });
    lastFolders = folders;
    if (folders.some((_, i) => closed.has(folders.slice(0, i + 1).join("/")))) continue;
    const tab = tabs.get(path);
    const hasErrors = (errorsByPath.get(path) || []).length > 0;
    items.push(h("li", { role: "treeitem", class: `file${path === active ? " active" : ""}${hasErrors ? " has-errors" : ""}`, style: `padding-left:${folders.length * 12 + 4}px` },
      h("button", { type: "button", class: "linklike file-open", dataset: { path }, onclick: () => openFile(path), title: path },
        parts[parts.length - 1], tab && tab.dirty ? " ●" : "", hasErrors ? h("span", { class: "error-text", "aria-label": "has errors" }, " ⚠") : null),
      h("span", { class: "file-actions" },
        h("button", { type: "button", class: "mini", "aria-label": `Rename ${path}`, title: "Rename", onclick: () => rename(path) }, "✎"),
        h("button", { type: "button", class: "mini", "aria-label": `Delete ${path}`, title: "Delete", onclick: () => removeFile(path) }, "✕"))));
  }
  tree.replaceChildren(...items);
}

/** Saves `path`'s buffer, unless the server's copy changed since it was loaded. */
export async function save(path, { auto = false, force = false } = {}) {
  const tab = tabs.get(path);
  if (!tab || !current.project) return false;
  const content = tab.doc.getValue();
  if (!force) {
    let server;
    try {
      server = (await readFile(current.project.id, path)).content;
    } catch (error) {
      if (error.status !== 404) {
        showError(`Could not save ${path}: the server's copy could not be read`, error, [{ label: "Retry", run: () => save(path) }]);
        return false;
      }
      server = null;
    }
    if (server !== null && server !== tab.loaded && server !== content) {
      tab.conflict = server;
      if (active === path) showConflict(tab, server);
      renderTabs();
      return false;
    }
    if (server === content) {
      tab.loaded = content;
      tab.dirty = false;
      localStorage.removeItem(draftKey(path));
      renderTabs();
      return true;
    }
  }
  try {
    await writeFile(current.project.id, path, content);
  } catch (error) {
    showError(`Could not save ${path}; your changes are kept in the editor and in this browser`, error, [{ label: "Retry", run: () => save(path) }]);
    return false;
  }
  tab.loaded = content;
  tab.conflict = null;
  tab.dirty = tab.doc.getValue() !== content;
  if (!tab.dirty) localStorage.removeItem(draftKey(path));
  if (active === path) hideConflict();
  renderTabs();
  if (!auto) notify(`Saved ${path}.`, { timeout: 1500 });
  emit("saved", { path });
  return true;
}

/** Saves every dirty buffer (before a run). False when one could not be saved. */
export async function saveAll() {
  let ok = true;
  for (const tab of tabs.values()) if (tab.dirty && !tab.conflict) ok = (await save(tab.path, { auto: true })) && ok;
  return ok;
}

function hideConflict() {
  const banner = $("#conflict");
  banner.hidden = true;
  banner.replaceChildren();
}

function showConflict(tab, server) {
  const banner = $("#conflict");
  const diffBox = h("pre", { class: "diff small", hidden: true });
  banner.replaceChildren(
    h("strong", {}, `${tab.path} changed on the server since you opened it.`),
    " Your edits were not saved, so nothing was overwritten. ",
    h("button", { type: "button", onclick: () => { diffBox.hidden = !diffBox.hidden; diffBox.replaceChildren(...diffLines(server, tab.doc.getValue())); } }, "Show differences"),
    h("button", { type: "button", onclick: () => { tab.conflict = null; save(tab.path, { force: true }); } }, "Overwrite with mine"),
    h("button", { type: "button", onclick: () => { localStorage.setItem(draftKey(tab.path) + ".discarded", tab.doc.getValue()); tab.loaded = server; tab.conflict = null; tab.doc.setValue(server); tab.dirty = false; localStorage.removeItem(draftKey(tab.path)); hideConflict(); renderTabs(); } }, "Load the server's version"),
    diffBox);
  banner.hidden = false;
}

/** Lines of a diff from `a` to `b` as <span>s (jsdiff). */
export function diffLines(a, b) {
  return Diff.diffLines(a, b).map((part) =>
    h("span", { class: part.added ? "add" : part.removed ? "del" : "same" },
      part.value.split("\n").filter((l, i, all) => i < all.length - 1 || l !== "").map((l) => `${part.added ? "+" : part.removed ? "-" : " "} ${l}\n`).join("")));
}

async function reloadIfClean(path) {
  await refreshFiles();
  const tab = tabs.get(path);
  if (!tab) return;
  let content;
  try {
    content = (await readFile(current.project.id, path)).content;
  } catch (error) {
    showError(`Could not reload ${path}`, error);
    return;
  }
  if (tab.dirty && tab.doc.getValue() !== content) {
    tab.conflict = content;
    if (active === path) showConflict(tab, content);
    return;
  }
  tab.loaded = content;
  const cursor = tab.doc.getCursor();
  tab.doc.setValue(content);
  tab.doc.setCursor(cursor);
  tab.dirty = false;
  renderTabs();
}

async function newFile() {
  const path = await promptDialog("New file path", "helper.py");
  if (!path) return;
  if (files.includes(path)) { openFile(path); return; }
  try {
    await writeFile(current.project.id, path, "");
    await refreshFiles();
    openFile(path);
  } catch (error) {
    showError(`Could not create ${path}`, error);
  }
}

/** Forgets the tab of `path` (deleted or renamed on the server) and its draft. */
function dropTab(path) {
  tabs.delete(path);
  localStorage.removeItem(draftKey(path));
  if (active === path) {
    active = null;
    const next = [...tabs.keys()].pop();
    if (next) activate(next);
    else cm.swapDoc(newDoc("", "x.txt"));
  }
}

async function removeFile(path) {
  const tab = tabs.get(path);
  const unsaved = tab && tab.dirty ? " Its unsaved changes in this browser go too." : "";
  if (!(await confirmDialog(`Delete ${path}? Its last content stays in the file's history, from where it can be restored.${unsaved}`, "Delete"))) return;
  try {
    await api("DELETE", `${projectAPI(current.project.id)}/file?path=${enc(path)}`);
  } catch (error) {
    showError(`Could not delete ${path}`, error);
    return;
  }
  dropTab(path);
  await refreshFiles();
  renderTabs();
  notify(`Deleted ${path}.`, { timeout: 2500 });
}

async function rename(path) {
  const target = await promptDialog(`Rename ${path} to`, path);
  if (!target || target === path) return;
  const tab = tabs.get(path);
  // Unsaved edits go with the file: saved under the old name first, then moved.
  if (tab && tab.dirty && !(await save(path, { auto: true }))) {
    notify(`${path} was not renamed: its changes could not be saved first.`, { kind: "warn" });
    return;
  }
  try {
    await api("POST", `${projectAPI(current.project.id)}/file/rename`, { from: path, to: target });
  } catch (error) {
    showError(`Could not rename ${path} to ${target}`, error);
    return;
  }
  const wasOpen = Boolean(tab);
  dropTab(path);
  await refreshFiles();
  renderTabs();
  if (wasOpen) await openFile(target);
}

async function upload(event) {
  const file = event.target.files[0];
  event.target.value = "";
  if (!file) return;
  const path = await promptDialog("Save the upload as", file.name);
  if (!path) return;
  if (files.includes(path) && !(await confirmDialog(`${path} exists. Replace it? (Its current content stays in its history.)`, "Replace"))) return;
  try {
    await api("PUT", `${projectAPI(current.project.id)}/upload?path=${enc(path)}`, file);
  } catch (error) {
    showError(`Could not upload ${path}`, error);
    return;
  }
  await refreshFiles();
  notify(`Uploaded ${path} (${file.size} bytes).`, { timeout: 2500 });
  if (tabs.has(path)) emit("file-written", { path });
  else if (!BINARY.test(path)) openFile(path);
}

/** Files the editor does not open (meshes, textures, archives). */
const BINARY = /\.(stl|obj|msh|png|jpe?g|gif|bmp|hdr|ktx|skn|bin|npy|npz|zip)$/i;

/** Checks the open buffers on the server (compile + a short run) and marks errors. */
async function checkOpenFiles() {
  const proposals = [...tabs.values()].map((t) => ({ path: t.path, new_content: t.doc.getValue() }));
  if (!proposals.length) return;
  const button = $("#check-file");
  button.disabled = true;
  button.textContent = "Checking…";
  try {
    const report = await api("POST", `${projectAPI(current.project.id)}/check`, { proposals });
    const check = report.check || report;
    clearErrors();
    if (check.ok) {
      const ep = (check.after && check.after.episodes || [])[0];
      emit("log", { level: "info", message: `check passed${ep ? `: total reward ${ep.total_reward.toFixed(3)}, ${ep.steps} steps, ${ep.reason}` : ""}` });
    } else {
      for (const e of check.errors || []) emit("log", { level: "error", message: e.file ? `${e.file}:${e.line || 1}: ${e.message}` : `${e.stage}: ${e.message}` });
    }
  } catch (error) {
    showError("The check failed", error);
  } finally {
    button.disabled = false;
    button.textContent = "Check";
  }
}

export { editor };
