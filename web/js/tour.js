// A short tour of the screen in view, from the top bar's "Tour" button: each step
// outlines one part and says what it is for. Nothing is changed; Escape or "Done" ends it.
import { $, h } from "./ui.js";

const STEPS = {
  start: [
    ["#suggest-text", "Say what you would like to build, or pick an example: the assistant suggests a template or a robot, and you confirm."],
    ["#new-name", "Or start from a template yourself: name the project, pick one, press New project."],
    ["#menagerie-list", "Robots from MuJoCo Menagerie: search, see the license and size, and import one as a project."],
    ["#project-list", "Your projects, with their last run; deleted ones wait in the trash below."],
  ],
  ide: [
    ["#file-tree", "The project's files: open, rename, delete, upload a mesh or texture, download it all as a zip. The top bar's Project list switches to another project."],
    ["#editor-host", "Edit the MJCF scene and the Python env. Ctrl+S saves; errors show in the gutter at their line."],
    ["#run", "Run the episode (F5), from whichever panel is open; Pause (F6), Step (F10), Reset (F7) and Stop (Shift+F5) follow it, with the speed beside them."],
    ["#viewport", "The live 3D view: drag to orbit, right-drag to pan, wheel to zoom, double-click a body, Ctrl+drag to pull it. MuJoCo render shows the server's frames."],
    ["#reward-chart", "Reward per step and in total, growing live; pick obs and action numbers to plot below."],
    ["#tab-assistant", "Ask the assistant: its proposals come as checked diffs to apply or reject, hunk by hunk."],
    ["#tab-model", "The compiled model: bodies, joints, actuators with ranges, sensors and cameras."],
  ],
  manual: [["#manual-list", "Requests sent to the manual provider: answer them with a reply and proposals."]],
};

let active = null;

export function init() {
  $("#tour").addEventListener("click", () => start(document.body.dataset.screen || "start"));
}

/** Runs the tour of `screen` from its first step. */
export function start(screen) {
  end();
  const steps = (STEPS[screen] || []).filter(([selector]) => {
    const node = $(selector);
    return node && node.offsetParent !== null;
  });
  if (!steps.length) return;
  active = { steps, index: 0, box: h("dialog", { class: "tour", "aria-label": "Tour" }) };
  document.body.append(active.box);
  active.box.addEventListener("cancel", end);
  active.box.addEventListener("keydown", (event) => { if (event.key === "Escape") end(); });
  show();
}

function show() {
  const { steps, index, box } = active;
  const [selector, text] = steps[index];
  document.querySelectorAll(".tour-target").forEach((node) => node.classList.remove("tour-target"));
  const target = $(selector);
  target.classList.add("tour-target");
  target.scrollIntoView({ block: "nearest" });
  const last = index === steps.length - 1;
  box.replaceChildren(
    h("p", { class: "small muted" }, `${index + 1} of ${steps.length}`),
    h("p", {}, text),
    h("div", { class: "row end" },
      h("button", { type: "button", onclick: end }, last ? "Done" : "Skip the tour"),
      index > 0 ? h("button", { type: "button", onclick: () => { active.index -= 1; show(); } }, "Back") : null,
      last ? null : h("button", { type: "button", class: "primary", onclick: () => { active.index += 1; show(); } }, "Next")));
  if (!box.open) box.show();
  // Beside the part it is about, inside the window.
  const rect = target.getBoundingClientRect();
  const width = Math.min(320, window.innerWidth - 16);
  box.style.left = `${Math.max(8, Math.min(rect.left, window.innerWidth - width - 8))}px`;
  const below = rect.bottom + 8;
  box.style.top = `${below + 160 < window.innerHeight ? below : Math.max(8, rect.top - 168)}px`;
  box.style.width = `${width}px`;
  box.querySelector("button.primary, button").focus();
}

function end() {
  document.querySelectorAll(".tour-target").forEach((node) => node.classList.remove("tour-target"));
  if (active) active.box.remove();
  active = null;
}
