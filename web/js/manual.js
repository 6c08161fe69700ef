// The manual queue (#manual): requests sent to the "manual" provider, with their context,
// answered with a reply and proposals (a form, or pasted JSON).
import { api, enc } from "./api.js";
import { $, h, notify, showError } from "./ui.js";

export function init() {
  $("#manual-refresh").addEventListener("click", refresh);
}

export async function refresh() {
  const box = $("#manual-list");
  let pending;
  try {
    pending = await api("GET", "/api/manual/pending");
  } catch (error) {
    box.replaceChildren(h("p", { class: "error-text" }, `The queue could not be read: ${error.message}`));
    return;
  }
  if (!pending.length) { box.replaceChildren(h("p", { class: "muted" }, "No request is waiting.")); return; }
  box.replaceChildren(...pending.map(requestCard));
}

function proposalRow() {
  return h("div", { class: "proposal-row" },
    h("label", {}, "Path ", h("input", { class: "p-path", placeholder: "env.py", "aria-label": "Proposal path" })),
    h("label", {}, "Rationale ", h("input", { class: "p-why", "aria-label": "Proposal rationale" })),
    h("label", { class: "block" }, "New content", h("textarea", { class: "p-content mono", rows: 6, "aria-label": "Proposal content" })));
}

function requestCard(request) {
  const reply = h("textarea", { rows: 3, class: "reply", "aria-label": "Reply" });
  const rows = h("div", { class: "proposal-rows" });
  const json = h("textarea", { rows: 4, class: "mono json", placeholder: '{"reply": "...", "proposals": [{"path": "env.py", "new_content": "...", "rationale": "..."}]}', "aria-label": "Answer as JSON" });
  const status = h("div", { class: "small", "aria-live": "polite" });
  const submit = async (event) => {
    event.preventDefault();
    let answer;
    if (json.value.trim()) {
      try {
        answer = JSON.parse(json.value);
      } catch (error) {
        status.textContent = `The JSON does not parse: ${error.message}`;
        return;
      }
      if (typeof answer.reply !== "string") { status.textContent = "The JSON needs a \"reply\" string."; return; }
      answer.proposals = answer.proposals || [];
    } else {
      answer = { reply: reply.value, proposals: [] };
      for (const row of rows.querySelectorAll(".proposal-row")) {
        const path = row.querySelector(".p-path").value.trim();
        if (!path) continue;
        answer.proposals.push({ path, new_content: row.querySelector(".p-content").value, rationale: row.querySelector(".p-why").value });
      }
    }
    try {
      await api("POST", `/api/manual/pending/${enc(request.id)}/respond`, answer);
      notify("Answer sent.");
      refresh();
    } catch (error) {
      showError("The answer was not accepted", error);
      status.textContent = error.message;
    }
  };
  const messages = (request.messages || []).map((m) => h("div", { class: `msg ${m.role}` }, h("div", { class: "who small" }, m.role), h("div", { class: "text" }, m.content)));
  return h("article", { class: "card manual-request", dataset: { id: request.id } },
    h("header", {}, h("strong", {}, `Request ${request.id}`), h("span", { class: "muted small" }, ` · project ${request.project_id} · ${new Date(request.time * 1000).toLocaleString()}`)),
    h("details", {}, h("summary", {}, "System text and project context"), h("pre", { class: "context" }, request.system || "")),
    h("div", { class: "conversation" }, ...messages),
    h("form", { onsubmit: submit },
      h("label", { class: "block" }, "Reply", reply),
      rows,
      h("button", { type: "button", class: "small", onclick: () => rows.append(proposalRow()) }, "Add a proposal"),
      h("details", {}, h("summary", {}, "…or paste the whole answer as JSON"), json),
      h("button", { type: "submit", class: "primary" }, "Send answer"),
      status));
}
