// The top bar's project picker, shown while a project is open: the session's projects, the
// open one selected; choosing another opens it. The list is read again whenever a project
// opens (so it is right after one is made, imported or deleted) and when the window gets
// the focus back (projects made or deleted in another tab).
import { api } from "./api.js";
import { $, h } from "./ui.js";
import { on } from "./bus.js";

let current;
let reading = 0;

export function init(state, open) {
  current = state;
  const picker = $("#project-picker");
  picker.addEventListener("change", () => {
    if (picker.value && (!current.project || picker.value !== current.project.id)) open(picker.value);
  });
  on("project-opened", refresh);
  window.addEventListener("focus", () => { if (current.project && document.activeElement !== picker) refresh(); });
}

/** Reads the project list again and shows it, the open project selected. */
export async function refresh() {
  const turn = ++reading;
  let projects;
  try {
    projects = await api("GET", "/api/projects");
  } catch {
    projects = [];
  }
  const open = current.project;
  if (turn !== reading || !open) return;
  if (!projects.some((p) => p.id === open.id)) projects.unshift(open);
  const picker = $("#project-picker");
  picker.replaceChildren(...labelled(projects).map(([p, label]) => h("option", { value: p.id }, label)));
  picker.value = open.id;
}

/** Each project with its name, numbered where names repeat ("robot", "robot (2)"), in the server's order. */
function labelled(projects) {
  const seen = new Map();
  return projects.map((p) => {
    const count = (seen.get(p.name) || 0) + 1;
    seen.set(p.name, count);
    return [p, count > 1 ? `${p.name} (${count})` : p.name];
  });
}
