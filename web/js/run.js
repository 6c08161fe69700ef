// Running an episode over WebSocket /ws/sim/{id} (docs/STREAM.md): Run, Pause, Step, Reset,
// Stop and speed (in the top bar); the picture with an overlay (fps, sim time, real-time
// factor, step and the reward so far); the episode
// summary; recent runs replayed with a timeline scrubber, and their MP4 export.
// Two views: the "3D view" (the default) draws the model in the browser with
// web/viewer/viewer.js (docs/VIEWER-CLIENT.md) from the stream's poses; "MuJoCo render"
// shows the server's JPEG frames. Without WebGL the 3D view says so and MuJoCo render is used.
import { api, projectAPI, enc } from "./api.js";
import { $, h, notify, showError, formatNumber } from "./ui.js";
import { on, emit } from "./bus.js";
import * as plots from "./plots.js";
import { saveAll } from "./files.js";
import { exportVideo } from "./export.js";

let current;
let socket = null;
let state = "idle"; // idle | connecting | running | paused
let gotDone = false;
let lastFrame = null;
let frameTimes = [];
let replay = null; // {run, steps}
let viewer = null;
let viewerReady = null; // the promise of the viewer being made
let runView = "render"; // the view the running stream was opened for
let lastLogs = [];

const controls = () => ({ run: $("#run"), pause: $("#pause"), step: $("#step"), reset: $("#reset"), stop: $("#stop") });

export function init(stateRef) {
  current = stateRef;
  plots.init();
  const c = controls();
  c.run.addEventListener("click", start);
  c.pause.addEventListener("click", togglePause);
  c.step.addEventListener("click", () => send({ type: "step" }));
  c.reset.addEventListener("click", () => { send({ type: "reset" }); emit("log", { level: "info", message: "reset" }); });
  c.stop.addEventListener("click", stop);
  $("#speed").addEventListener("change", () => {
    if (socket && state !== "idle") send({ type: "speed", value: Number($("#speed").value) });
  });
  $("#save-picture").addEventListener("click", savePicture);
  $("#runs-refresh").addEventListener("click", loadRuns);
  $("#replay-close").addEventListener("click", closeReplay);
  let scrubTimer;
  $("#scrubber").addEventListener("input", () => { clearTimeout(scrubTimer); scrubTimer = setTimeout(showReplayStep, 60); });
  for (const radio of document.querySelectorAll("input[name=view]")) radio.addEventListener("change", switchView);
  $("#camera-picker").addEventListener("change", () => { if (viewer) viewer.setCamera($("#camera-picker").value); });
  for (const box of document.querySelectorAll(".geom-group")) {
    box.addEventListener("change", () => { if (viewer) viewer.setGroupVisible(Number(box.value), box.checked); });
  }
  document.addEventListener("keydown", shortcuts);
  on("project-opened", () => {
    disconnect();
    closeReplay();
    resetView();
    loadRuns();
    dropViewer();
    switchView();
  });
  on("project-closing", () => disconnect());
  // A body chosen in the inspector is selected in the view.
  on("inspector-select", (id) => { if (viewerShowing()) viewer.select(id); });
  on("log", ({ level, message }) => { lastLogs.push(`${level}: ${message}`); if (lastLogs.length > 200) lastLogs.shift(); });
  setControls();
}

/** The last logs, for the assistant's "run logs" context. */
export function recentLogs() {
  return lastLogs.join("\n");
}

function shortcuts(event) {
  if (document.body.dataset.screen !== "ide") return;
  const c = controls();
  const press = (button) => { event.preventDefault(); if (!button.disabled) button.click(); };
  if (event.key === "F5" && event.shiftKey) press(c.stop);
  else if (event.key === "F5" || ((event.ctrlKey || event.metaKey) && event.key === "Enter" && !event.target.closest("#chat-form"))) press(c.run);
  else if (event.key === "F6") press(c.pause);
  else if (event.key === "F10") press(c.step);
  else if (event.key === "F7") press(c.reset);
}

function setControls() {
  const c = controls();
  const live = state === "running" || state === "paused";
  c.run.disabled = state !== "idle";
  c.pause.disabled = !live;
  c.pause.setAttribute("aria-pressed", String(state === "paused"));
  c.pause.classList.toggle("pressed", state === "paused");
  c.step.disabled = state !== "paused";
  c.reset.disabled = !live;
  c.stop.disabled = state === "idle";
  document.body.dataset.runState = state;
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function resetView() {
  lastFrame = null;
  const img = $("#live");
  img.removeAttribute("src");
  img.dataset.step = "";
  $("#viewport").dataset.step = "";
  $("#view-empty").hidden = viewMode() === "3d" && viewerShowing();
  $("#overlay").textContent = "";
  $("#summary").replaceChildren();
  plots.reset();
}

const viewMode = () => document.querySelector("input[name=view]:checked").value;
const viewerShowing = () => Boolean(viewer && viewer.supported && viewer.stats().epoch);

export async function start() {
  if (!current.project || state !== "idle") return;
  closeReplay();
  if (!(await saveAll())) notify("Some files could not be saved; the run uses the server's copies.", { kind: "warn" });
  const maxSteps = Math.max(1, Math.min(100000, Number($("#max-steps").value) || 1000));
  resetView();
  emit("run-starting");
  state = "connecting";
  gotDone = false;
  frameTimes = [];
  setControls();
  if (viewMode() === "3d" && viewerReady) {
    await viewerReady;
    if (state !== "connecting") return; // stopped, or the project closed, meanwhile
  }
  runView = viewMode() === "3d" && viewer && viewer.supported ? "3d" : "render";
  showNote("");
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/sim/${enc(current.project.id)}`;
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  socket = ws;
  ws.onopen = () => {
    const first = { max_steps: maxSteps, speed: Number($("#speed").value), latest: true, reset_frames: true };
    if (runView === "3d") first.view = "3d";
    ws.send(JSON.stringify(first));
    state = "running";
    setControls();
  };
  ws.onmessage = (event) => {
    if (socket !== ws) return;
    if (typeof event.data !== "string") {
      // A pose (3D view): draw it, then ask for the next one.
      if (viewer && runView === "3d") viewer.handlePose(event.data);
      send({ type: "pose_ack" });
      return;
    }
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    handle(message);
  };
  ws.onerror = () => {};
  ws.onclose = (event) => {
    if (socket !== ws) return;
    socket = null;
    const wasLive = state !== "idle";
    state = "idle";
    setControls();
    if (!gotDone && wasLive) {
      emit("log", { level: "error", message: `the connection to the simulation was lost (code ${event.code})` });
      notify("The connection to the simulation was lost.", {
        kind: "error",
        detail: "The episode may still be recorded under Runs. Check that the server is running.",
        actions: [{ label: "Reconnect and run again", run: start }],
      });
    }
  };
}

function handle(message) {
  switch (message.type) {
    case "frame":
      showFrame(message);
      plots.add({ step: message.step, reward: message.reward, total_reward: message.total_reward, obs: message.obs, action: message.action });
      emit("frame", message);
      break;
    case "reset":
      if (message.jpeg_b64) showImage(message.jpeg_b64, -1);
      break;
    case "scene":
      emit("scene-xml", message.xml_path);
      if (viewer && runView === "3d") {
        viewer.handleMessage(message).then(() => { $("#view-empty").hidden = true; fillCameraPicker(); })
          .catch((error) => showError("The 3D scene could not be loaded", error));
      }
      break;
    case "log":
      emit("log", { level: message.level || "info", message: message.message || "" });
      break;
    case "done":
      gotDone = true;
      finish(message);
      break;
    default:
      break;
  }
}

function showImage(b64, step) {
  const img = $("#live");
  img.src = `data:image/jpeg;base64,${b64}`;
  img.dataset.step = String(step);
  $("#view-empty").hidden = true;
}

function showFrame(frame) {
  lastFrame = frame;
  if (frame.jpeg_b64) showImage(frame.jpeg_b64, frame.step);
  $("#viewport").dataset.step = String(frame.step);
  const now = performance.now();
  frameTimes.push(now);
  while (frameTimes.length && now - frameTimes[0] > 1000) frameTimes.shift();
  $("#overlay").textContent = `${frameTimes.length} fps · t ${formatNumber(frame.sim_time ?? 0, 2)} s · ${formatNumber(frame.rtf ?? 0, 2)}× real time`
    + ` · step ${frame.step} · reward ${formatNumber(frame.total_reward ?? 0, 1)}`;
}

function togglePause() {
  if (state === "running") { send({ type: "pause" }); state = "paused"; }
  else if (state === "paused") { send({ type: "resume" }); state = "running"; }
  setControls();
}

function stop() {
  if (socket && socket.readyState === WebSocket.OPEN) send({ type: "stop" });
  else disconnect();
}

function disconnect() {
  if (socket) {
    const ws = socket;
    socket = null;
    try { ws.close(); } catch { /* closed */ }
  }
  state = "idle";
  setControls();
}

function finish(done) {
  const ok = done.reason !== "error" && done.reason !== "invalid settings";
  $("#summary").replaceChildren(
    h("strong", {}, "Episode: "),
    `${done.steps} steps · total reward ${formatNumber(done.total_reward, 3)} · `,
    h("span", { class: ok ? "" : "error-text" }, `ended: ${done.reason}`),
    lastFrame && lastFrame.sim_time !== undefined ? ` · sim time ${formatNumber(lastFrame.sim_time, 2)} s` : "");
  $("#summary").dataset.reason = done.reason;
  if (socket) { const ws = socket; socket = null; ws.close(); }
  showNote("");
  state = "idle";
  setControls();
  emit("run-done", done);
  loadRuns();
}

/** The picture the view shows now, for a vision model: {media_type, data} (base64), or null. */
export function currentPicture() {
  let url = null;
  if (viewMode() === "3d" && viewerShowing()) url = viewer.snapshot();
  else {
    const img = $("#live");
    if (img.getAttribute("src") && img.complete && img.naturalWidth > 0) {
      // Through a canvas, so a replayed frame (a URL) and a live one (data) come out alike.
      const canvas = h("canvas", { width: img.naturalWidth, height: img.naturalHeight });
      canvas.getContext("2d").drawImage(img, 0, 0);
      url = canvas.toDataURL("image/jpeg", 0.9);
    }
  }
  if (!url) return null;
  const [head, data] = url.split(",", 2);
  return { media_type: head.includes("image/png") ? "image/png" : "image/jpeg", data };
}

function savePicture() {
  const name = current.project ? current.project.name : "tau";
  if (viewMode() === "3d" && viewerShowing()) {
    const a = h("a", { href: viewer.snapshot(), download: `${name}-3d-step-${$("#viewport").dataset.step || 0}.png` });
    document.body.append(a);
    a.click();
    a.remove();
    return;
  }
  const img = $("#live");
  if (!img.src) { notify("There is no picture yet: press Run."); return; }
  const a = h("a", { href: img.src, download: `${name}-step-${img.dataset.step || 0}.jpg` });
  document.body.append(a);
  a.click();
  a.remove();
}

/** Ends the 3D viewer of the project left behind. */
function dropViewer() {
  if (viewer) {
    try { viewer.destroy(); } catch (error) { console.warn("the 3D viewer did not close", error); }
  }
  viewer = null;
  viewerReady = null;
  window.tauViewer = null;
  $("#viewer3d").replaceChildren();
  $("#selection-info").hidden = true;
  fillCameraPicker();
}

function showNote(text) {
  $("#view-note").textContent = text;
  $("#view-note").hidden = !text;
}

// Shows the chosen view. The running stream keeps the view it was opened for: a switch
// while running applies from the next Run, and says so.
async function switchView() {
  const mode = viewMode();
  const box = $("#viewer3d");
  for (const node of document.querySelectorAll(".view3d-only")) node.hidden = mode !== "3d";
  if (state !== "idle" && mode !== runView) {
    showNote(mode === "3d" ? "This run streams MuJoCo render frames: the 3D view follows it from the next Run."
      : "This run streams 3D poses: MuJoCo render frames come from the next Run.");
  } else if (state !== "idle") {
    showNote("");
  }
  if (mode === "render") {
    box.hidden = true;
    $("#live").hidden = false;
    $("#selection-info").hidden = true;
    $("#view-empty").hidden = Boolean($("#live").getAttribute("src"));
    return;
  }
  $("#live").hidden = true;
  box.hidden = false;
  $("#view-empty").hidden = viewerShowing();
  if (!viewer && !viewerReady && current.project) viewerReady = makeViewer(current.project);
  await viewerReady;
}

async function makeViewer(project) {
  const box = $("#viewer3d");
  box.replaceChildren(h("p", { class: "muted" }, "Loading the 3D view…"));
  let made;
  try {
    const module = await import("/viewer/viewer.js");
    if (!current.project || current.project.id !== project.id) return;
    made = module.createViewer(box, {
      projectId: project.id,
      send: (message) => send(message),
      onSelect: showSelection,
      onCamera: (name) => { $("#camera-picker").value = name; },
    });
  } catch (error) {
    console.warn("3D viewer not loaded", error);
    box.replaceChildren(h("p", { class: "view-missing" }, `3D view unavailable: ${error.message}`));
    return;
  }
  viewer = made;
  window.tauViewer = made; // for tests and the browser's console
  if (!made.supported) {
    notify("The 3D view needs WebGL, which this browser does not offer: showing MuJoCo render.", { kind: "warn", detail: made.reason });
    document.querySelector("input[name=view][value=render]").checked = true;
    switchView();
    return;
  }
  try {
    await made.load({});
    if (viewer !== made) return;
    fillCameraPicker();
    if (viewMode() === "3d") $("#view-empty").hidden = true;
  } catch (error) {
    if (viewer !== made) return;
    $("#view-empty").hidden = false;
    $("#view-empty").textContent = `The 3D scene could not be loaded: ${error.message}`;
    setTimeout(() => { $("#view-empty").textContent = "Press Run to start an episode."; }, 8000);
  }
}

function fillCameraPicker() {
  const picker = $("#camera-picker");
  const cameras = viewer && viewer.supported ? viewer.cameras() : [{ name: "free" }];
  const chosen = viewer && viewer.supported ? viewer.stats().camera : "free";
  picker.replaceChildren(...cameras.map((c) => h("option", { value: c.name }, c.name === "free" ? "free" : c.name)));
  picker.value = chosen;
  for (const box of document.querySelectorAll(".geom-group")) {
    if (viewer && viewer.supported) viewer.setGroupVisible(Number(box.value), box.checked);
  }
}

let selectedBody = null;

function showSelection(info) {
  // The inspector hears of a new selection only (this is called again as the body moves).
  const id = info ? info.id : null;
  if (id !== selectedBody) { selectedBody = id; emit("body-selected", id); }
  const box = $("#selection-info");
  if (!info || viewMode() !== "3d") { box.hidden = true; box.textContent = ""; return; }
  const p = info.position.map((v) => formatNumber(v, 3)).join(", ");
  const joints = info.joints === null ? "…" : info.joints.length ? info.joints.map((j) => `${j.name || "(unnamed)"} (${j.type})`).join(", ") : "none (welded)";
  box.textContent = `${info.name} · mass ${formatNumber(info.mass, 3)} kg\nposition ${p}\njoints: ${joints}\nCtrl+drag to pull it`;
  box.dataset.body = String(info.id);
  box.hidden = false;
}

// Recorded runs: list, replay with a scrubber, MP4 export.
export async function loadRuns() {
  if (!current.project) return;
  const list = $("#run-list");
  try {
    const runs = await api("GET", `${projectAPI(current.project.id)}/runs`);
    if (!runs.length) { list.replaceChildren(h("li", { class: "muted small" }, "No runs yet.")); return; }
    list.replaceChildren(...runs.map((r) =>
      h("li", { class: "run-row" },
        h("button", { type: "button", class: "linklike", "aria-label": `Replay run ${r.id}`, title: "Replay", onclick: () => openReplay(r) },
          `${new Date(r.started * 1000).toLocaleTimeString()} · ${r.steps} steps · ${formatNumber(r.total_reward, 1)} · ${r.reason}`))));
  } catch (error) {
    list.replaceChildren(h("li", { class: "error-text small" }, `Runs could not be listed: ${error.message}`));
  }
}

async function openReplay(run) {
  if (state !== "idle") { notify("Stop the running episode before replaying one."); return; }
  const base = `${projectAPI(current.project.id)}/runs/${enc(run.id)}`;
  replay = { run, base, poses: false };
  $("#replay").hidden = false;
  $("#replay-label").textContent = `Replay ${run.id}:`;
  const scrubber = $("#scrubber");
  scrubber.max = String(run.steps);
  scrubber.value = String(run.steps);
  $("#replay-video").href = `${base}/video`;
  $("#replay-video").setAttribute("download", `${run.id}.mp4`);
  $("#replay-video").onclick = (event) => { event.preventDefault(); exportVideo(base, `${run.id}.mp4`); };
  $("#summary").replaceChildren(h("strong", {}, "Recorded run: "), `${run.steps} steps · total reward ${formatNumber(run.total_reward, 3)} · ended: ${run.reason}`);
  if (viewMode() === "3d" && viewerReady) await viewerReady;
  if (viewMode() === "3d" && viewer && viewer.supported) {
    const opened = replay;
    $("#overlay").textContent = "loading the run's poses…";
    viewer.fetchReplay(run.id).then(() => {
      if (replay !== opened) return;
      opened.poses = true;
      fillCameraPicker();
      showReplayStep();
    }).catch((error) => { if (replay === opened) { opened.poses = false; showError("The run's poses could not be loaded", error); showReplayStep(); } });
  } else {
    showReplayStep();
  }
  try {
    plots.showTelemetry(await api("GET", `${base}/telemetry`));
  } catch (error) {
    showError("The run's telemetry could not be read", error);
  }
}

function showReplayStep() {
  if (!replay) return;
  const step = Number($("#scrubber").value);
  $("#replay-step").textContent = `step ${step} / ${replay.run.steps}`;
  $("#viewport").dataset.step = String(step);
  if (replay.poses && viewer) {
    viewer.showReplayStep(step);
    $("#view-empty").hidden = true;
    $("#overlay").textContent = `replay · step ${step}`;
    return;
  }
  const img = $("#live");
  img.onerror = () => { $("#overlay").textContent = `frame ${step} could not be rendered`; };
  img.src = `${replay.base}/frame?step=${step}`;
  img.dataset.step = String(step);
  $("#view-empty").hidden = true;
  $("#overlay").textContent = `replay · step ${step}`;
}

function closeReplay() {
  replay = null;
  $("#replay").hidden = true;
}
