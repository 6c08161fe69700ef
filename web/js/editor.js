// The one CodeMirror 5 editor: a document per open file, XML and Python modes, search
// (Ctrl+F, Ctrl+G, Shift+Ctrl+F), compile errors as gutter markers.
import { h } from "./ui.js";
import { on } from "./bus.js";

let cm = null;

export function modeFor(path) {
  if (/\.(xml|urdf|mjcf)$/i.test(path)) return "xml";
  if (/\.py$/i.test(path)) return "python";
  if (/\.json$/i.test(path)) return { name: "javascript", json: true };
  return null;
}

export function createEditor(host, { onSave }) {
  cm = CodeMirror(host, {
    value: "",
    lineNumbers: true,
    indentUnit: 4,
    tabSize: 4,
    indentWithTabs: false,
    matchBrackets: true,
    gutters: ["tau-errors", "CodeMirror-linenumbers"],
    extraKeys: {
      "Ctrl-S": () => onSave(),
      "Cmd-S": () => onSave(),
      Tab: (editor) => editor.somethingSelected() ? editor.indentSelection("add") : editor.replaceSelection(" ".repeat(editor.getOption("indentUnit"))),
      "Alt-G": "jumpToLine",
    },
  });
  cm.getInputField().setAttribute("aria-label", "Code editor");
  on("theme", (theme) => cm.setOption("theme", theme === "dark" ? "material-darker" : "default"));
  cm.setOption("theme", document.documentElement.dataset.theme === "dark" ? "material-darker" : "default");
  return cm;
}

export function newDoc(text, path) {
  return CodeMirror.Doc(text, modeFor(path));
}

/** Marks `errors` ([{line, message}], lines from 1) in the gutter of `doc`. */
export function markErrors(doc, errors) {
  const editor = doc.getEditor ? doc.getEditor() : null;
  const target = editor || cm;
  if (target && target.getDoc() === doc) {
    target.clearGutter("tau-errors");
    doc.eachLine((line) => doc.removeLineClass(line, "background", "error-line"));
    for (const error of errors) {
      const n = Math.max(0, Math.min(doc.lineCount() - 1, (error.line || 1) - 1));
      const marker = h("span", { class: "gutter-error", title: error.message, "aria-label": `Error: ${error.message}` }, "●");
      target.setGutterMarker(n, "tau-errors", marker);
      doc.addLineClass(n, "background", "error-line");
    }
  }
}

export function jumpTo(line) {
  if (!cm) return;
  const n = Math.max(0, (line || 1) - 1);
  cm.focus();
  cm.setCursor({ line: n, ch: 0 });
  cm.scrollIntoView({ line: n, ch: 0 }, 80);
}

export function editor() {
  return cm;
}
