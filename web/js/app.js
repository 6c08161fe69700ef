// The page's screens: the start screen (#), a project (#project/ID) and the manual queue
// (#manual). The last open project comes back on reload; a first visit is offered the tour.
import { api, projectAPI } from "./api.js";
import { $, showError } from "./ui.js";
import { emit } from "./bus.js";
import * as start from "./start.js";
import * as files from "./files.js";
import * as run from "./run.js";
import * as assistant from "./assistant.js";
import * as manual from "./manual.js";
import * as history from "./history.js";
import * as inspector from "./inspector.js";
import * as tour from "./tour.js";
import * as picker from "./project-picker.js";
import * as welcome from "./welcome.js";
import "./console.js";

const LAST = "tau.lastProject";
const THEME = "tau.theme";
export const current = { project: null };

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  const other = theme === "dark" ? "light" : "dark";
  $("#theme-toggle").setAttribute("aria-label", `Switch to ${other} theme`);
  emit("theme", theme);
}

function show(screen) {
  for (const id of ["start", "ide", "manual"]) $(`#${id}`).hidden = id !== screen;
  document.body.dataset.screen = screen;
}

async function openProject(id) {
  let project;
  try {
    project = await api("GET", projectAPI(id));
  } catch (error) {
    if (location.hash !== `#project/${id}`) return;
    localStorage.removeItem(LAST);
    showError("Could not open the project", error);
    location.hash = "";
    return;
  }
  if (location.hash !== `#project/${id}`) return; // the user went elsewhere meanwhile
  current.project = project;
  localStorage.setItem(LAST, id);
  $("#project-title").textContent = project.name;
  document.title = `${project.name} — tau-sim`;
  show("ide");
  emit("project-opened", project);
}

async function route() {
  const hash = location.hash.replace(/^#/, "");
  if (hash.startsWith("project/")) {
    const id = decodeURIComponent(hash.slice(8));
    if (!current.project || current.project.id !== id) await openProject(id);
    else show("ide");
    return;
  }
  if (current.project) emit("project-closing", current.project);
  current.project = null;
  $("#project-title").textContent = "";
  document.title = "tau-sim";
  if (hash === "manual") {
    show("manual");
    manual.refresh();
    return;
  }
  localStorage.removeItem(LAST);
  show("start");
  start.refresh();
}

function init() {
  applyTheme(localStorage.getItem(THEME) || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
  $("#theme-toggle").addEventListener("click", () => {
    const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
    localStorage.setItem(THEME, next);
    applyTheme(next);
  });
  $("#nav-projects").addEventListener("click", () => { location.hash = ""; });
  $("#nav-manual").addEventListener("click", () => { location.hash = "manual"; });
  const openById = (id) => { location.hash = `project/${id}`; };
  start.init(openById);
  picker.init(current, openById);
  files.init(current);
  run.init(current);
  assistant.init(current);
  history.init(current);
  inspector.init(current);
  tour.init();
  manual.init();
  window.addEventListener("hashchange", route);
  const last = localStorage.getItem(LAST);
  if (!location.hash && last) location.replace(`#project/${last}`);
  route().finally(welcome.offer);
}

init();
