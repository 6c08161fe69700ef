// A recorded run's MP4 export with its progress: the video is rendered on the server for
// the asking (GET .../runs/{run}/video), which takes a while, so the IDE fetches it itself,
// shows `.../video/progress` ({frames, total}) in a notice with a Cancel button, and saves
// the file when it is there. Cancelling ends the export on the server too (its client left).
import { ApiError } from "./api.js";
import { $, h, notify, showError } from "./ui.js";

let exporting = null;

/** Exports the run at `base` (its API path) as `fileName`; one export at a time. */
export async function exportVideo(base, fileName) {
  if (exporting) { notify("A video is being exported already; it shows its progress above."); return; }
  const controller = new AbortController();
  const progress = h("progress", { max: 1, "aria-label": `Exporting ${fileName}` });
  const label = h("span", {}, `Exporting ${fileName}…`);
  const close = notify("", { timeout: 0, actions: [{ label: "Cancel", run: () => controller.abort() }] });
  $("#notices").lastElementChild.querySelector(".msg").replaceChildren(label, " ", progress);
  exporting = controller;
  const poll = setInterval(async () => {
    try {
      const response = await fetch(`${base}/video/progress`, { credentials: "same-origin" });
      if (!response.ok) return; // 404 until the export starts and after it ends
      const p = await response.json();
      if (p.total) { progress.max = p.total; progress.value = p.frames; label.textContent = `Exporting ${fileName}: frame ${p.frames} of ${p.total}`; }
    } catch { /* the next poll tries again */ }
  }, 500);
  try {
    const response = await fetch(`${base}/video`, { credentials: "same-origin", signal: controller.signal });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new ApiError(response.status, body.detail || `HTTP ${response.status}`);
    }
    const url = URL.createObjectURL(await response.blob());
    const a = h("a", { href: url, download: fileName });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    notify(`Exported ${fileName}.`, { timeout: 3000 });
  } catch (error) {
    if (error.name === "AbortError") notify("The export was cancelled.", { timeout: 3000 });
    else showError(`Could not export ${fileName}`, error);
  } finally {
    clearInterval(poll);
    close();
    exporting = null;
  }
}
