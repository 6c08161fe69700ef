// The model inspector (the "Model" panel): the compiled model's tree of bodies with their
// joints and geoms, its actuators (with ranges), sensors, cameras and keyframes, from
// GET /api/projects/{id}/model (docs/SCENE.md, "The model tree"). Selecting a body here
// selects it in the 3D view ("inspector-select") and a body picked in the view is shown
// here ("body-selected").
import { api, projectAPI, enc } from "./api.js";
import { $, h, formatNumber } from "./ui.js";
import { on, emit } from "./bus.js";

let current;
let tree = null;
let selected = null;
let xmlPath = null;
let loading = null;

export function init(state) {
  current = state;
  $("#inspector-refresh").addEventListener("click", () => load());
  $("#tab-model").addEventListener("click", () => { if (!tree) load(); });
  on("project-opened", () => { tree = null; selected = null; xmlPath = null; render(); if (!$("#panel-model").hidden) load(); });
  on("scene-xml", (path) => { if (path && path !== xmlPath) { xmlPath = path; tree = null; if (!$("#panel-model").hidden) load(); } });
  on("saved", ({ path }) => { if (path.endsWith(".xml")) { tree = null; if (!$("#panel-model").hidden) load(); } });
  on("body-selected", (id) => { selected = id ?? null; render(); reveal(); });
}

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const bodyName = (body) => body.name || `body ${body.id}`;
const range = (r) => (r ? `[${formatNumber(r[0], 3)}, ${formatNumber(r[1], 3)}]` : "unlimited");

async function load() {
  if (!current.project) return;
  const project = current.project;
  const query = xmlPath ? `?xml=${enc(xmlPath)}` : "";
  const box = $("#inspector");
  box.replaceChildren(h("p", { class: "muted" }, "Compiling the model…"));
  const request = (loading = api("GET", `${projectAPI(project.id)}/model${query}`));
  try {
    const answer = await request;
    if (request !== loading || current.project !== project) return;
    tree = answer;
    render();
  } catch (error) {
    if (request !== loading) return;
    tree = null;
    box.replaceChildren(
      h("p", { class: "error-text" }, `The model could not be inspected: ${error.message}`),
      h("p", { class: "muted small" }, "Fix the scene (the console and the editor's gutter show where), save, and press ⟳."));
  }
}

function select(id) {
  selected = selected === id ? null : id;
  emit("inspector-select", selected);
  render();
}

function render() {
  const box = $("#inspector");
  if (!tree) { box.replaceChildren(h("p", { class: "muted" }, current && current.project ? "Open this panel to inspect the model." : "")); return; }
  const c = tree.counts;
  box.replaceChildren(
    h("p", { class: "small muted", id: "inspector-counts" },
      [count(c.nbody, "body", "bodies"), count(c.njnt, "joint", "joints"), count(c.nactuator, "actuator", "actuators"),
        count(c.nsensor, "sensor", "sensors"), count(c.ncam, "camera", "cameras"), count(c.nkey, "keyframe", "keyframes")].join(" · ")),
    h("h3", { class: "small-h" }, "Bodies"),
    h("ul", { class: "tree inspector-tree", role: "tree", "aria-label": "Bodies" }, ...branch(0, 0)),
    selectedDetails(),
    section("Actuators", tree.actuators, ["name", "acts on", "ctrlrange", "gear"], (a) => [
      a.name || `actuator ${a.id}`, `${a.target} (${a.target_type})`, range(a.ctrlrange), formatNumber(Array.isArray(a.gear) ? a.gear[0] : a.gear, 3)]),
    section("Sensors", tree.sensors, ["name", "type", "of", "dim"], (s) => [
      s.name || `sensor ${s.id}`, s.type, s.object ? `${s.object} (${s.object_type})` : "model", String(s.dim)]),
    section("Cameras", tree.cameras, ["name", "body", "mode", "fovy"], (cam) => [
      cam.name || `camera ${cam.id}`, bodyName(tree.bodies[cam.body] || { id: cam.body }), cam.mode, formatNumber(cam.fovy, 1)]),
    section("Keyframes", tree.keyframes, ["name", "time"], (k) => [k.name || `key ${k.id}`, formatNumber(k.time, 3)]));
}

/** The tree items of `id` and its descendants, indented by depth. */
function branch(id, depth) {
  const body = tree.bodies[id];
  if (!body) return [];
  const joints = body.joints.map((j) => j.type).join(", ");
  const item = h("li", { role: "treeitem", "aria-selected": String(selected === id), class: `body-row${selected === id ? " active" : ""}`, style: `padding-left:${depth * 12 + 4}px`, dataset: { body: String(id) } },
    h("button", { type: "button", class: "linklike", "aria-label": `Select body ${bodyName(body)}`, onclick: () => select(id) },
      bodyName(body)),
    h("span", { class: "small muted" }, ` ${formatNumber(body.mass, 3)} kg${joints ? ` · ${joints}` : ""}`));
  return [item, ...body.children.flatMap((child) => branch(child, depth + 1))];
}

function selectedDetails() {
  const body = selected !== null && tree.bodies[selected];
  if (!body) return h("p", { class: "small muted" }, "Select a body here or double-click one in the 3D view.");
  return h("div", { class: "inspector-body", id: "inspector-selected", "aria-live": "polite" },
    h("strong", {}, bodyName(body)), ` · mass ${formatNumber(body.mass, 4)} kg`,
    h("ul", { class: "plain small" },
      ...body.joints.map((j) => h("li", {}, `joint ${j.name || j.id}: ${j.type}, range ${range(j.range)}`)),
      ...body.geoms.map((g) => h("li", {}, `geom ${g.name || g.id}: ${g.type}`)),
      ...body.sites.map((s) => h("li", {}, `site ${s.name || s.id}`))));
}

function section(title, rows, columns, cells) {
  if (!rows.length) return h("p", { class: "small muted" }, `No ${title.toLowerCase()}.`);
  return h("details", { open: rows.length <= 12 },
    h("summary", {}, `${title} (${rows.length})`),
    h("table", { class: "inspector-table small", "aria-label": title },
      h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", {}, c)))),
      h("tbody", {}, ...rows.map((row) => h("tr", {}, ...cells(row).map((v) => h("td", {}, v)))))));
}

/** Shows the selected body's row. */
function reveal() {
  const row = document.querySelector(`.inspector-tree [data-body="${selected}"]`);
  if (row) row.scrollIntoView({ block: "nearest" });
}
