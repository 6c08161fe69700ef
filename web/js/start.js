// The start screen: a sentence to suggest from (start-sentence.js) first, then templates,
// Menagerie robots, zip upload, existing projects with their last run, and the trash.
import { api, enc, projectAPI } from "./api.js";
import { $, h, notify, showError, confirmDialog, formatBytes, formatNumber } from "./ui.js";
import * as sentence from "./start-sentence.js";

let openProject = () => {};
let catalog = [];

export function init(open) {
  openProject = open;
  $("#new-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const template = ($("input[name=template]:checked") || {}).value || "cartpole";
    create($("#new-name").value.trim() || template, template);
  });
  sentence.init({ create, importRobot });
  $("#zip-input").addEventListener("change", uploadZip);
  let timer;
  $("#menagerie-search").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(renderRobots, 150); });
  $("#menagerie-category").addEventListener("change", renderRobots);
  $("#menagerie-offline").addEventListener("change", renderRobots);
}

export function refresh() {
  loadTemplates();
  loadProjects();
  loadTrash();
  loadCatalog();
}

async function loadTemplates() {
  const list = $("#template-list");
  try {
    const templates = await api("GET", "/api/templates");
    list.replaceChildren(...templates.map((t, i) =>
      h("label", { class: "choice" },
        h("input", { type: "radio", name: "template", value: t.name, checked: i === 0 }),
        h("strong", {}, t.name), " ", h("span", { class: "muted" }, t.summary || ""))));
  } catch (error) {
    list.replaceChildren(h("p", { class: "error-text" }, `Templates could not be listed: ${error.message}`));
  }
}

async function create(name, template) {
  const button = $("#new-project");
  button.disabled = true;
  try {
    const project = await api("POST", "/api/projects", { name, template });
    openProject(project.id);
  } catch (error) {
    showError("Could not create the project", error);
  } finally {
    button.disabled = false;
  }
}

async function lastRun(project, cell) {
  try {
    const runs = await api("GET", `${projectAPI(project.id)}/runs`);
    if (!runs.length) { cell.textContent = "no run yet"; return; }
    const r = runs[0];
    cell.textContent = `last run: ${r.steps} steps, reward ${formatNumber(r.total_reward, 2)}, ${r.reason}`;
  } catch {
    cell.textContent = "";
  }
}

async function loadProjects() {
  const list = $("#project-list");
  try {
    const projects = await api("GET", "/api/projects");
    if (!projects.length) { list.replaceChildren(h("li", { class: "muted" }, "No projects yet: create one.")); return; }
    list.replaceChildren(...projects.map((p) => {
      const runCell = h("div", { class: "muted small" }, "…");
      lastRun(p, runCell);
      return h("li", { class: "project-entry", dataset: { id: p.id } },
        h("div", { class: "line" },
          h("button", { type: "button", class: "linklike strong", onclick: () => openProject(p.id), "aria-label": `Open ${p.name}` }, p.name),
          h("span", { class: "muted small" }, `${p.files.length} files`),
          h("span", { class: "spacer" }),
          h("a", { href: `${projectAPI(p.id)}/zip`, download: "", class: "small", "aria-label": `Download ${p.name} as zip` }, "zip"),
          h("button", { type: "button", class: "small", "aria-label": `Delete ${p.name}`, onclick: () => remove(p) }, "Delete")),
        runCell);
    }));
  } catch (error) {
    list.replaceChildren(h("li", { class: "error-text" }, `Projects could not be listed: ${error.message}`));
  }
}

async function remove(project) {
  if (!(await confirmDialog(`Delete “${project.name}”? It goes to the trash for 7 days.`, "Delete"))) return;
  try {
    await api("DELETE", projectAPI(project.id));
    notify(`“${project.name}” moved to the trash.`);
    loadProjects();
    loadTrash();
  } catch (error) {
    showError("Could not delete the project", error);
  }
}

async function loadTrash() {
  const list = $("#trash-list");
  try {
    const trash = await api("GET", "/api/trash");
    if (!trash.length) { list.replaceChildren(h("li", { class: "muted" }, "The trash is empty.")); return; }
    list.replaceChildren(...trash.map((t) =>
      h("li", { class: "project-row" },
        h("span", {}, t.name || t.id),
        h("span", { class: "muted small" }, t.deleted_at ? `deleted ${new Date(t.deleted_at).toLocaleString()}` : ""),
        h("span", { class: "spacer" }),
        h("button", { type: "button", class: "small", "aria-label": `Restore ${t.name || t.id}`, onclick: () => restore(t) }, "Restore"))));
  } catch (error) {
    list.replaceChildren(h("li", { class: "error-text" }, `The trash could not be listed: ${error.message}`));
  }
}

async function restore(item) {
  try {
    await api("POST", `/api/trash/${enc(item.id)}/restore`);
    notify(`“${item.name || item.id}” restored.`);
    loadProjects();
    loadTrash();
  } catch (error) {
    showError("Could not restore the project", error);
  }
}

async function uploadZip(event) {
  const file = event.target.files[0];
  event.target.value = "";
  if (!file) return;
  try {
    const name = file.name.replace(/\.zip$/i, "");
    const project = await api("POST", `/api/projects/import/zip?name=${enc(name)}`, file, { contentType: "application/zip" });
    notify(`Imported “${project.name}”.`);
    openProject(project.id);
  } catch (error) {
    showError("Could not import the zip", error);
  }
}

async function loadCatalog() {
  const list = $("#menagerie-list");
  list.replaceChildren(h("p", { class: "muted" }, "Loading the catalog…"));
  try {
    catalog = await api("GET", "/api/menagerie/catalog");
    const select = $("#menagerie-category");
    const chosen = select.value;
    const categories = [...new Set(catalog.map((m) => m.category).filter(Boolean))].sort();
    select.replaceChildren(h("option", { value: "" }, "all"), ...categories.map((c) => h("option", { value: c, selected: c === chosen }, c.replace(/_/g, " "))));
    renderRobots();
  } catch (error) {
    list.replaceChildren(h("p", { class: "error-text" }, `The Menagerie catalog is not available: ${error.message}`));
  }
}

function renderRobots() {
  const q = $("#menagerie-search").value.trim().toLowerCase();
  const category = $("#menagerie-category").value;
  const offline = $("#menagerie-offline").checked;
  const shown = catalog.filter((m) =>
    (!category || m.category === category) && (!offline || m.available_offline) &&
    (!q || `${m.name} ${m.display_name} ${m.category}`.toLowerCase().includes(q)));
  shown.sort((a, b) => (b.available_offline - a.available_offline) || a.display_name.localeCompare(b.display_name));
  const list = $("#menagerie-list");
  if (!shown.length) { list.replaceChildren(h("p", { class: "muted" }, "No robot matches.")); return; }
  list.replaceChildren(...shown.slice(0, 60).map((m) =>
    h("article", { class: "robot", dataset: { robot: m.name } },
      m.thumbnail_url ? h("img", { src: m.thumbnail_url, alt: "", loading: "lazy", width: 96, height: 72 }) : h("div", { class: "thumb-none", "aria-hidden": "true" }, "no picture"),
      h("div", { class: "robot-info" },
        h("strong", {}, m.display_name || m.name),
        h("span", { class: "small muted" }, `${(m.category || "").replace(/_/g, " ")} · ${m.license || "license?"}`),
        h("span", { class: "small" }, m.available_offline ? "offline" : `download ${formatBytes(m.download_size)}`)),
      h("button", { type: "button", class: "small", "aria-label": `Import ${m.display_name || m.name}`, onclick: (e) => importRobot(m.name, m.display_name, e.target) }, "Import"))));
}

async function importRobot(model, name, button) {
  if (button) button.disabled = true;
  const progress = h("progress", { max: 1, "aria-label": `Importing ${model}` });
  const label = h("span", {}, `Importing ${model}…`);
  const close = notify("", { timeout: 0 });
  const noteBox = $("#notices").lastElementChild;
  noteBox.querySelector(".msg").replaceChildren(label, " ", progress);
  let project;
  let polling;
  try {
    project = await api("POST", "/api/projects", { name: name || model, template: "empty" });
    polling = setInterval(async () => {
      try {
        const p = await api("GET", `${projectAPI(project.id)}/import/menagerie/progress`);
        if (p.total) { progress.max = p.total; progress.value = p.done; label.textContent = `Downloading ${model}: ${formatBytes(p.done)} of ${formatBytes(p.total)}`; }
      } catch { /* 404 when no import runs */ }
    }, 400);
    const result = await api("POST", `${projectAPI(project.id)}/import/menagerie`, { model });
    clearInterval(polling);
    close();
    notify(`Imported ${model}: ${result.file_count} files, entry ${result.entry_xml}.`);
    openProject(project.id);
  } catch (error) {
    clearInterval(polling);
    close();
    if (project) api("DELETE", projectAPI(project.id)).catch(() => {});
    showError(`Could not import ${model}`, error);
  } finally {
    if (button) button.disabled = false;
  }
}
