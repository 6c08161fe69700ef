// A proposal as a diff card (jsdiff): its hunks, each of which can be left out, the
// server's check (ok or errors; before/after reward, steps, why it ended), and Apply,
// Reject and Undo. A partial apply is checked again with /check before it is written;
// Undo restores the version the write replaced, from the file's history.
import { api, projectAPI, readFile, writeFile } from "./api.js";
import { h, notify, showError, formatNumber, confirmDialog } from "./ui.js";
import { emit } from "./bus.js";

export function checkView(check) {
  if (!check) return h("div", { class: "check muted small" }, "not checked");
  const episodes = (report) => (report && report.episodes) || [];
  const figure = (e) => e ? `${formatNumber(e.total_reward, 2)} reward, ${e.steps} steps, ${e.reason}${e.diverged ? ", diverged" : ""}${e.error ? ` (${e.error})` : ""}` : "—";
  const before = episodes(check.before)[0];
  const after = episodes(check.after)[0];
  return h("div", { class: `check ${check.ok ? "ok" : "failed"}` },
    h("strong", {}, check.ok ? "✓ check passed" : "✗ check failed"),
    (check.errors || []).length ? h("ul", { class: "errors" }, ...check.errors.map((e) =>
      h("li", {}, `${e.stage}${e.file ? ` ${e.file}${e.line ? `:${e.line}` : ""}` : ""}: ${e.message}`))) : null,
    (check.warnings || []).length ? h("ul", { class: "warnings small" }, ...check.warnings.map((w) => h("li", {}, w))) : null,
    h("div", { class: "small" }, `before: ${figure(before)}`),
    h("div", { class: "small" }, `after: ${figure(after)}`));
}

/**
 * The changes from `old` to `proposed` as a sequence of unchanged text and change blocks
 * (jsdiff's diffLines), each block with its old and new text, so that any subset of blocks
 * can be applied exactly (newlines included).
 */
export function changeBlocks(old, proposed) {
  const sequence = [];
  let oldLine = 1;
  for (const part of Diff.diffLines(old, proposed)) {
    const last = sequence[sequence.length - 1];
    if (!part.added && !part.removed) {
      sequence.push({ type: "same", value: part.value });
      oldLine += part.count;
      continue;
    }
    let block = last && last.type === "change" ? last : null;
    if (!block) {
      block = { type: "change", removed: "", added: "", oldStart: oldLine, oldLines: 0 };
      sequence.push(block);
    }
    if (part.removed) { block.removed += part.value; block.oldLines += part.count; oldLine += part.count; }
    else block.added += part.value;
  }
  const blocks = sequence.filter((item) => item.type === "change");
  blocks.forEach((block, i) => { block.index = i; });
  return { sequence, blocks };
}

/** The text with only the chosen blocks applied. */
export function applyChosen(sequence, chosen) {
  return sequence.map((item) => item.type === "same" ? item.value : chosen[item.index] ? item.added : item.removed).join("");
}

const lines = (text) => text.replace(/\n$/, "").split("\n");

function blockView(sequence, block, chosen) {
  const at = sequence.indexOf(block);
  const before = at > 0 && sequence[at - 1].type === "same" ? lines(sequence[at - 1].value).slice(-3) : [];
  const after = at + 1 < sequence.length && sequence[at + 1].type === "same" ? lines(sequence[at + 1].value).slice(0, 3) : [];
  const box = h("input", { type: "checkbox", checked: true, "aria-label": `Use hunk ${block.index + 1}`, onchange: (e) => { chosen[block.index] = e.target.checked; } });
  const span = block.oldLines ? `lines ${block.oldStart}–${block.oldStart + block.oldLines - 1}` : `after line ${block.oldStart - 1}`;
  return h("div", { class: "hunk" },
    h("label", { class: "hunk-head small" }, box, ` hunk ${block.index + 1}: ${span}`),
    h("pre", { class: "diff" },
      ...before.map((l) => h("span", { class: "same" }, `  ${l}\n`)),
      ...(block.removed ? lines(block.removed) : []).map((l) => h("span", { class: "del" }, `- ${l}\n`)),
      ...(block.added ? lines(block.added) : []).map((l) => h("span", { class: "add" }, `+ ${l}\n`)),
      ...after.map((l) => h("span", { class: "same" }, `  ${l}\n`))));
}

/**
 * A card for `proposal` ({path, new_content, rationale}); `context` has {projectId,
 * provider, model, check}. Returns {node, apply()} so "Apply all" can drive it.
 */
export function proposalCard(proposal, context) {
  const card = h("article", { class: "proposal", dataset: { path: proposal.path } });
  const status = h("div", { class: "proposal-status small", "aria-live": "polite" });
  const body = h("div", { class: "hunks" }, h("p", { class: "muted small" }, "Loading the diff…"));
  const chosen = [];
  let old = "";
  let isNew = false;
  let hunks = [];
  let sequence = [];
  let replacedVersion = null;
  let applied = false;

  const applyButton = h("button", { type: "button", class: "primary small", onclick: () => apply() }, "Apply");
  const rejectButton = h("button", { type: "button", class: "small", onclick: () => reject() }, "Reject");
  const undoButton = h("button", { type: "button", class: "small", hidden: true, onclick: () => undo() }, "Undo");

  card.append(
    h("header", {}, h("strong", {}, proposal.path), proposal.rationale ? h("span", { class: "muted small" }, ` — ${proposal.rationale}`) : null),
    checkView(context.check), body,
    h("div", { class: "row" }, applyButton, rejectButton, undoButton), status);

  const ready = (async () => {
    try {
      old = (await readFile(context.projectId, proposal.path)).content;
    } catch (error) {
      if (error.status !== 404) { body.replaceChildren(h("p", { class: "error-text" }, `Could not read ${proposal.path}: ${error.message}`)); return; }
      isNew = true;
    }
    ({ sequence, blocks: hunks } = changeBlocks(old, proposal.new_content));
    hunks.forEach((_, i) => { chosen[i] = true; });
    const shown = hunks.length ? hunks.map((block) => blockView(sequence, block, chosen)) : [h("p", { class: "muted small" }, "no change")];
    if (isNew) shown.unshift(h("p", { class: "small" }, "a new file"));
    body.replaceChildren(...shown);
  })();

  function contentToWrite() {
    if (chosen.every(Boolean)) return proposal.new_content;
    if (!chosen.some(Boolean)) throw new Error("No hunk is chosen: tick at least one, or Reject.");
    return applyChosen(sequence, chosen);
  }

  async function apply() {
    await ready;
    if (applied) return true;
    // A change that failed its check is the user's call, made knowingly.
    if (context.check && !context.check.ok && chosen.every(Boolean)
      && !(await confirmDialog(`The change to ${proposal.path} failed its check (see the errors on its card). Apply it anyway? The file's history keeps what it replaces.`, "Apply anyway"))) {
      status.textContent = "Not applied.";
      return false;
    }
    let content;
    try {
      content = contentToWrite();
    } catch (error) {
      status.textContent = error.message;
      return false;
    }
    applyButton.disabled = true;
    let checkOk = context.check ? !!context.check.ok : null;
    if (!chosen.every(Boolean)) {
      status.textContent = "Checking the chosen hunks…";
      try {
        const answer = await api("POST", `${projectAPI(context.projectId)}/check`, { proposals: [{ path: proposal.path, new_content: content }] });
        checkOk = !!(answer.check && answer.check.ok);
        card.querySelector(".check").replaceWith(checkView(answer.check));
        if (!checkOk) {
          status.textContent = "The chosen hunks fail the check; nothing was written. Choose others, or Apply all hunks.";
          applyButton.disabled = false;
          return false;
        }
      } catch (error) {
        showError("The check of the chosen hunks failed", error);
        status.textContent = "Not applied.";
        applyButton.disabled = false;
        return false;
      }
    }
    try {
      const current = isNew ? null : (await readFile(context.projectId, proposal.path)).content;
      if (!isNew && current !== old) {
        status.textContent = `${proposal.path} changed since this proposal was made; re-open the diff (ask again) before applying.`;
        applyButton.disabled = false;
        return false;
      }
      await writeFile(context.projectId, proposal.path, content, { kind: "assistant", provider: context.provider || "", model: context.model || "", check_ok: checkOk });
      if (!isNew) {
        const versions = await api("GET", `${projectAPI(context.projectId)}/history?path=${encodeURIComponent(proposal.path)}`);
        replacedVersion = versions.length ? versions[0].version : null;
      }
    } catch (error) {
      showError(`Could not apply the change to ${proposal.path}`, error);
      applyButton.disabled = false;
      return false;
    }
    applied = true;
    card.classList.add("applied");
    status.textContent = "Applied.";
    rejectButton.disabled = true;
    undoButton.hidden = isNew || replacedVersion === null;
    emit("file-written", { path: proposal.path });
    return true;
  }

  function reject() {
    card.classList.add("rejected");
    status.textContent = "Rejected.";
    applyButton.disabled = true;
    rejectButton.disabled = true;
  }

  async function undo() {
    try {
      await api("POST", `${projectAPI(context.projectId)}/history/restore`, { path: proposal.path, version: replacedVersion });
    } catch (error) {
      showError(`Could not undo the change to ${proposal.path}`, error);
      return;
    }
    applied = false;
    card.classList.remove("applied");
    status.textContent = "Undone: the earlier version is back.";
    undoButton.hidden = true;
    applyButton.disabled = false;
    rejectButton.disabled = false;
    notify(`Restored ${proposal.path}.`);
    emit("file-written", { path: proposal.path });
  }

  return { node: card, apply };
}

/** Cards for every proposal of one answer, with "Apply all". */
export function proposalGroup(proposals, context) {
  const cards = proposals.map((p) => proposalCard(p, context));
  const group = h("div", { class: "proposals" });
  if (cards.length > 1) {
    group.append(h("div", { class: "row" }, h("button", { type: "button", class: "small", onclick: async () => { for (const c of cards) await c.apply(); } }, "Apply all")));
  } else if (cards.length === 1) {
    group.append(h("div", { class: "row" }, h("button", { type: "button", class: "small", onclick: () => cards[0].apply() }, "Apply all")));
  }
  for (const c of cards) group.append(c.node);
  return group;
}
