// The assistant panel: provider and model from /api/providers, the user's own key kept in
// localStorage only (api-key.js), context chips, streamed answers from /api/chat/stream
// (SSE over fetch), Stop, markdown through marked + DOMPurify, token counts, proposals as
// diff cards, and the stored conversation restored on reload.
import { api, projectAPI, postEvents } from "./api.js";
import { $, h, notify, showError } from "./ui.js";
import { on } from "./bus.js";
import { proposalGroup } from "./diffcards.js";
import { recentLogs, currentPicture } from "./run.js";
import * as apiKey from "./api-key.js";

let current;
let providers = [];
let history = []; // [{role, content}]
let controller = null;
let image = null; // {media_type, data}
let session = { input: 0, output: 0 };

export function renderMarkdown(text) {
  const html = typeof marked !== "undefined" ? marked.parse(String(text || ""), { mangle: false, headerIds: false }) : String(text || "");
  const node = h("div", { class: "md" });
  node.innerHTML = DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
  for (const a of node.querySelectorAll("a")) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
  return node;
}

export function init(state) {
  current = state;
  $("#chat-form").addEventListener("submit", (e) => { e.preventDefault(); send(); });
  $("#chat-input").addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); send(); }
  });
  $("#chat-stop").addEventListener("click", () => controller && controller.abort());
  $("#provider").addEventListener("change", providerChanged);
  $("#model").addEventListener("change", () => localStorage.setItem("tau.model." + $("#provider").value, $("#model").value));
  apiKey.init();
  $("#ctx-image").addEventListener("change", readImage);
  $("#chat-input").addEventListener("paste", pasteImage);
  $("#chat-clear").addEventListener("click", clearChat);
  for (const [tab, panel] of [["#tab-run", "#panel-run"], ["#tab-assistant", "#panel-assistant"], ["#tab-history", "#panel-history"], ["#tab-model", "#panel-model"]]) {
    $(tab).addEventListener("click", () => selectPanel(tab, panel));
  }
  on("project-opened", opened);
  on("project-closing", () => controller && controller.abort());
  loadProviders();
}

export function selectPanel(tab, panel) {
  for (const t of document.querySelectorAll(".side-tabs [role=tab]")) t.setAttribute("aria-selected", String(`#${t.id}` === tab));
  for (const p of document.querySelectorAll(".side .panel")) p.hidden = `#${p.id}` !== panel;
}

async function loadProviders() {
  try {
    providers = await api("GET", "/api/providers");
  } catch (error) {
    showError("The assistant's providers could not be listed", error);
    return;
  }
  const saved = localStorage.getItem("tau.provider");
  const preferred = saved || (providers.find((p) => p.has_server_key) || providers[0] || {}).id;
  $("#provider").replaceChildren(...providers.map((p) =>
    h("option", { value: p.id, selected: p.id === preferred }, `${p.display_name || p.id}${p.has_server_key ? " (server key)" : ""}`)));
  providerChanged();
}

function providerChanged() {
  const id = $("#provider").value;
  localStorage.setItem("tau.provider", id);
  const p = providers.find((x) => x.id === id) || {};
  const models = p.models || [];
  $("#model-list").replaceChildren(...models.map((m) => h("option", { value: typeof m === "string" ? m : m.id })));
  $("#model").value = localStorage.getItem("tau.model." + id) || p.default_model || "";
  $("#model").disabled = id === "manual";
  apiKey.show(p);
}

async function opened(project) {
  $("#chat-log").replaceChildren();
  history = [];
  session = { input: 0, output: 0 };
  $("#tokens").textContent = "";
  try {
    const stored = await api("GET", `${projectAPI(project.id)}/chat`);
    // a message sent meanwhile, or another project opened: the log is no longer empty
    if (current.project !== project || history.length || controller) return;
    for (const turn of stored.turns || []) {
      if (turn.role !== "user" && turn.role !== "assistant") continue;
      history.push({ role: turn.role, content: turn.content });
      if (turn.role === "user") addUser(turn.content);
      else addAssistant({ reply: turn.content, proposals: turn.proposals || [], check: turn.check, usage: turn.usage, provider: turn.provider, model: turn.model }, true);
    }
  } catch (error) {
    if (error.status !== 404) showError("The stored conversation could not be read", error);
  }
}

async function clearChat() {
  if (!current.project) return;
  try {
    await api("DELETE", `${projectAPI(current.project.id)}/chat`);
    history = [];
    $("#chat-log").replaceChildren();
  } catch (error) {
    showError("Could not clear the conversation", error);
  }
}

function readImage(event) {
  const file = event.target.files[0];
  event.target.value = "";
  if (file) attachImage(file, file.name);
}

/** Pasting an image into the message attaches it, as the image chip does. */
function pasteImage(event) {
  const file = [...(event.clipboardData ? event.clipboardData.files : [])].find((f) => /^image\/(png|jpeg)$/.test(f.type));
  if (!file) return;
  event.preventDefault();
  attachImage(file, "pasted image");
}

/** Attaches `file` (PNG or JPEG) to the next message, shown as a chip until it is sent. */
export function attachImage(file, label) {
  if (!/^image\/(png|jpeg)$/.test(file.type)) {
    notify(`${label} is not a PNG or JPEG image`, { kind: "warn" });
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    const [, data] = String(reader.result).split(",", 2);
    setImage({ media_type: file.type, data }, label);
  };
  reader.readAsDataURL(file);
}

function setImage(value, label) {
  image = value;
  const box = $("#ctx-attached");
  box.replaceChildren();
  box.hidden = !value;
  if (value) box.append(`🖼 ${label} `, h("button", { type: "button", class: "mini", "aria-label": `Remove ${label}`, onclick: () => setImage(null) }, "×"));
}

function scrollDown() {
  const log = $("#chat-log");
  log.scrollTop = log.scrollHeight;
}

function addUser(text) {
  $("#chat-log").append(h("div", { class: "msg user" }, h("div", { class: "who small" }, "you"), h("div", { class: "text" }, text)));
  scrollDown();
}

function usageText(usage) {
  if (!usage) return "";
  return `${usage.input_tokens ?? 0} in / ${usage.output_tokens ?? 0} out tokens`;
}

function addAssistant(answer, restored = false) {
  const node = h("div", { class: "msg assistant" },
    h("div", { class: "who small" }, `assistant${answer.provider ? ` · ${answer.provider}` : ""}${answer.model ? ` ${answer.model}` : ""}`, answer.usage ? h("span", { class: "muted" }, ` · ${usageText(answer.usage)}`) : null),
    renderMarkdown(answer.reply));
  if ((answer.refused || []).length) node.append(h("ul", { class: "small error-text" }, ...answer.refused.map((r) => h("li", {}, `refused ${r.path}: ${r.reason}`))));
  if ((answer.repairs || []).length) node.append(h("p", { class: "small muted" }, `repaired: ${answer.repairs.join("; ")}`));
  if ((answer.proposals || []).length && current.project) {
    if (restored) node.append(h("details", { class: "small" }, h("summary", {}, `${answer.proposals.length} proposal(s) from an earlier session`),
      proposalGroup(answer.proposals, { projectId: current.project.id, provider: answer.provider, model: answer.model, check: answer.check })));
    else node.append(proposalGroup(answer.proposals, { projectId: current.project.id, provider: answer.provider, model: answer.model, check: answer.check }));
  }
  $("#chat-log").append(node);
  scrollDown();
  return node;
}

async function send() {
  const text = $("#chat-input").value.trim();
  if (!text || !current.project || controller) return;
  const provider = $("#provider").value || null;
  const request = {
    project_id: current.project.id,
    messages: [...history, { role: "user", content: text }],
    provider,
    model: $("#model").value.trim() || null,
    api_key: provider !== "manual" ? ($("#api-key").value.trim() || null) : null,
    propose_diff: $("#ctx-diff").checked,
    attach_snapshot: $("#ctx-snapshot").checked,
    attach_filmstrip: $("#ctx-filmstrip").checked,
  };
  if ($("#ctx-logs").checked) request.run_logs = recentLogs();
  const images = image ? [image] : [];
  if ($("#ctx-frame").checked) {
    const picture = currentPicture();
    if (picture) images.push(picture);
    else notify("There is no picture in the view yet, so none was attached: press Run first.", { kind: "warn" });
  }
  if (images.length) request.images = images;
  // An image goes with the message it was attached for.
  setImage(null);
  addUser(text);
  $("#chat-input").value = "";
  const live = h("div", { class: "msg assistant streaming" }, h("div", { class: "who small" }, "assistant…"), h("pre", { class: "stream-text" }));
  const status = h("div", { class: "small muted" });
  live.append(status);
  $("#chat-log").append(live);
  controller = new AbortController();
  $("#send").disabled = true;
  $("#chat-stop").hidden = false;
  let answer = null;
  let failure = null;
  let streamed = "";
  try {
    await postEvents("/api/chat/stream", request, (event, data) => {
      if (event === "text") {
        streamed += data.text || "";
        live.querySelector(".stream-text").textContent = streamed;
        scrollDown();
      } else if (event === "checking") status.textContent = data.message || "checking…";
      else if (event === "repair") status.textContent = `repair round ${data.round}: ${(data.issues || []).join("; ")}`;
      else if (event === "response") answer = data;
      else if (event === "error") failure = data;
    }, controller.signal);
  } catch (error) {
    if (error.name === "AbortError") failure = { detail: "stopped" , stopped: true };
    else failure = { status: error.status, detail: error.message };
  } finally {
    controller = null;
    $("#send").disabled = false;
    $("#chat-stop").hidden = true;
  }
  live.remove();
  history.push({ role: "user", content: text });
  if (answer && answer.pending_id) {
    addAssistant({ reply: "Waiting for a person to answer on the Manual queue page…" });
    answer = await waitForManual(answer.pending_id);
    if (!answer) return;
  }
  if (answer) {
    history.push({ role: "assistant", content: answer.reply || "" });
    addAssistant(answer);
    if (answer.session_usage) session = answer.session_usage;
    $("#tokens").textContent = `session: ${usageText(session)}`;
  } else {
    const message = failure && failure.stopped ? "Stopped." : `The assistant failed: ${(failure && failure.detail) || "no answer"}`;
    $("#chat-log").append(h("div", { class: `msg assistant ${failure && failure.stopped ? "" : "failed"}`, role: "alert" }, message,
      failure && !failure.stopped ? h("div", { class: "small" }, failure.status === 400 ? "Set a key for this provider (above) or on the server, or pick another provider." : "Try again, or pick another provider.") : null,
      failure && !failure.stopped ? h("button", { type: "button", class: "small", onclick: () => { $("#chat-input").value = text; history.pop(); } }, "Edit and retry") : null));
    scrollDown();
  }
}

async function waitForManual(id) {
  for (let i = 0; i < 3600; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    try {
      const result = await api("GET", `/api/chat/result/${encodeURIComponent(id)}`, undefined, { withStatus: true });
      if (result.status === 200) return result.data;
    } catch (error) {
      showError("The manual answer could not be read", error);
      return null;
    }
  }
  return null;
}
