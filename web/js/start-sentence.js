// The start screen's sentence box, its first and main part: "What would you like to build?"
// with example chips that fill it. Enter (or Suggest) asks the assistant
// (POST /api/projects/suggest; with the chosen provider's key when one is saved in this
// browser) for a template or a Menagerie robot, which the user confirms with "Create it"
// before anything is made.
import { api } from "./api.js";
import { $, h } from "./ui.js";
import { savedKey } from "./api-key.js";

const EXAMPLES = [
  "a cart-pole that balances",
  "a robot arm from the Menagerie holding its pose",
  "a pendulum swing-up",
];

let actions = { create: () => {}, importRobot: () => {} };

/** `create(name, template)` and `importRobot(model, name)` make what the user confirms. */
export function init(startActions) {
  actions = startActions;
  const text = $("#suggest-text");
  $("#suggest-form").addEventListener("submit", (event) => { event.preventDefault(); suggest(); });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      suggest();
    }
  });
  $("#suggest-examples").replaceChildren(
    h("span", { class: "small muted" }, "Try:"),
    ...EXAMPLES.map((example) => h("button", {
      type: "button", class: "chip example", title: "Put this in the box",
      onclick: () => fill(example),
    }, example)));
}

function fill(example) {
  const text = $("#suggest-text");
  text.value = example;
  text.focus();
  text.setSelectionRange(example.length, example.length);
  $("#suggest-result").replaceChildren();
}

/** The assistant's chosen provider, model and key when the key is one saved in this browser. */
function ownKey() {
  const provider = localStorage.getItem("tau.provider");
  const key = provider ? savedKey(provider) : "";
  if (!key) return {};
  return { provider, api_key: key, model: localStorage.getItem(`tau.model.${provider}`) || undefined };
}

async function suggest() {
  const text = $("#suggest-text").value.trim();
  const box = $("#suggest-result");
  if (!text) { $("#suggest-text").focus(); return; }
  const button = $("#suggest-form button[type=submit]");
  button.disabled = true;
  box.replaceChildren(h("p", { class: "muted" }, "Asking the assistant…"));
  try {
    const s = await api("POST", "/api/projects/suggest", { description: text, ...ownKey() });
    if (s.choice === "none") {
      box.replaceChildren(h("p", {}, `No match: ${s.why || "nothing fits"}`));
      return;
    }
    const template = s.choice === "menagerie" ? s.robot : s.template;
    const what = s.choice === "menagerie" ? `the Menagerie robot ${s.robot}` : `the ${s.template} template`;
    const create = () => s.choice === "menagerie" ? actions.importRobot(s.robot, s.name) : actions.create(s.name || template, template);
    box.replaceChildren(
      h("p", {}, `Suggested: ${what}, named “${s.name || template}”. `, h("span", { class: "muted" }, s.why || "")),
      h("div", { class: "row" },
        h("button", { type: "button", class: "primary", onclick: create }, "Create it"),
        h("button", { type: "button", onclick: () => box.replaceChildren() }, "Dismiss")));
    box.querySelector("button.primary").focus();
  } catch (error) {
    box.replaceChildren(h("p", { class: "error-text" }, `No suggestion: ${error.message}`));
  } finally {
    button.disabled = false;
  }
}
