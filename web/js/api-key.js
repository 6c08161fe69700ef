// The assistant's key for the chosen provider. A provider with neither a server key
// (GET /api/providers says which) nor a key saved in this browser shows "+ Add API key",
// which reveals the field, a note that the key stays in this browser and a link to where
// the vendor hands out keys. The local server (key optional) and the manual queue need none.
import { $ } from "./ui.js";

/** Where each vendor hands out API keys. */
const KEY_PAGES = {
  openai: ["Get an OpenAI API key", "https://platform.openai.com/api-keys"],
  anthropic: ["Get an Anthropic API key", "https://console.anthropic.com/settings/keys"],
  gemini: ["Get a Gemini API key", "https://aistudio.google.com/apikey"],
  openrouter: ["Get an OpenRouter API key", "https://openrouter.ai/keys"],
};
const KEYLESS = new Set(["manual", "openai-compatible"]);
const KEPT_HERE = "Your key stays in this browser (localStorage) and goes with your requests to this server, which never stores it.";

const storageName = (id) => `tau.apiKey.${id}`;
let provider = {};
let revealed = false;

export function init() {
  $("#add-key").addEventListener("click", () => {
    revealed = !revealed;
    render();
    if (revealed) $("#api-key").focus();
  });
  $("#key-row").addEventListener("submit", (event) => { event.preventDefault(); save(); });
  $("#api-key").addEventListener("change", save);
}

/** The key saved in this browser for provider `id`, or "". */
export function savedKey(id) {
  return localStorage.getItem(storageName(id)) || "";
}

/** Shows the key of `entry` (a /api/providers entry), the chosen provider. */
export function show(entry) {
  provider = entry || {};
  revealed = false;
  $("#api-key").value = savedKey(provider.id);
  render();
}

function save() {
  const value = $("#api-key").value.trim();
  if (value) localStorage.setItem(storageName(provider.id), value);
  else { localStorage.removeItem(storageName(provider.id)); revealed = true; }
  render();
  if (value) $("#key-note").textContent = `Key saved. ${KEPT_HERE}`;
}

function render() {
  const id = provider.id;
  const manual = id === "manual";
  const missing = Boolean(id) && !KEYLESS.has(id) && !provider.has_server_key && !savedKey(id);
  const button = $("#add-key");
  button.hidden = !missing;
  button.setAttribute("aria-expanded", String(revealed));
  $("#key-row").hidden = missing && !revealed;
  const input = $("#api-key");
  input.disabled = manual;
  $("#save-key").hidden = manual;
  input.placeholder = provider.has_server_key ? "server key in use"
    : provider.key_variable ? `your ${provider.key_variable}` : "no key needed";
  $("#key-note").textContent = manual ? "The manual queue: a person answers on the Manual queue page."
    : id === "openai-compatible" ? `A key is optional for a local server. ${KEPT_HERE}` : KEPT_HERE;
  const link = $("#key-link");
  const page = KEY_PAGES[id];
  link.hidden = !page;
  if (page) {
    link.textContent = `${page[0]} ↗`;
    link.href = page[1];
    link.setAttribute("aria-label", `${page[0]} (opens a new tab)`);
  }
}
