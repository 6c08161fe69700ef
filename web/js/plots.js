// Live plots (Chart.js): reward per step and cumulative, and the observation and action
// components the user picks. They grow with each frame and show a replayed run whole.
import { $ } from "./ui.js";
import { on } from "./bus.js";

let rewardChart;
let signalChart;
let frames = []; // {step, reward, total_reward, obs, action}
let pending = false;
const MAX_FRAMES = 100000;
const COLORS = ["#2b7bd6", "#d6612b", "#2ba84a", "#a52bd6", "#d6b02b", "#2bc4d6", "#d62b6e", "#6b6b6b"];

function parseIndices(text) {
  return String(text).split(/[\s,]+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n >= 0).slice(0, 8);
}

function baseOptions(yTitle) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    interaction: { mode: "nearest", intersect: false },
    elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
    plugins: { legend: { labels: { boxWidth: 10, font: { size: 10 } } }, decimation: { enabled: true, algorithm: "lttb", samples: 500 } },
    scales: { x: { type: "linear", title: { display: true, text: "step" }, ticks: { font: { size: 10 } } }, y: { title: { display: !!yTitle, text: yTitle }, ticks: { font: { size: 10 } } } },
  };
}

export function init() {
  if (typeof Chart === "undefined") return;
  const options = baseOptions("reward");
  options.scales.y2 = { position: "right", title: { display: true, text: "cumulative" }, grid: { drawOnChartArea: false }, ticks: { font: { size: 10 } } };
  rewardChart = new Chart($("#reward-chart"), {
    type: "line",
    data: { datasets: [
      { label: "reward", data: [], borderColor: COLORS[0], backgroundColor: COLORS[0], yAxisID: "y" },
      { label: "cumulative", data: [], borderColor: COLORS[1], backgroundColor: COLORS[1], yAxisID: "y2" },
    ] },
    options,
  });
  signalChart = new Chart($("#signal-chart"), { type: "line", data: { datasets: [] }, options: baseOptions("") });
  $("#obs-indices").addEventListener("change", rebuildSignals);
  $("#action-indices").addEventListener("change", rebuildSignals);
  on("theme", themeColors);
  themeColors();
  rebuildSignals();
}

function themeColors() {
  if (!rewardChart) return;
  const dark = document.documentElement.dataset.theme === "dark";
  const text = dark ? "#cfd3da" : "#333";
  const grid = dark ? "rgba(255,255,255,0.1)" : "rgba(0,0,0,0.1)";
  for (const chart of [rewardChart, signalChart]) {
    chart.options.color = text;
    for (const scale of Object.values(chart.options.scales)) {
      scale.ticks.color = text;
      if (scale.title) scale.title.color = text;
      scale.grid = { ...(scale.grid || {}), color: grid };
    }
    chart.options.plugins.legend.labels.color = text;
    chart.update("none");
  }
}

function rebuildSignals() {
  if (!signalChart) return;
  const obs = parseIndices($("#obs-indices").value);
  const act = parseIndices($("#action-indices").value);
  let color = 0;
  signalChart.data.datasets = [
    ...obs.map((i) => ({ label: `obs[${i}]`, key: "obs", index: i, data: [], borderColor: COLORS[color % 8], backgroundColor: COLORS[color++ % 8] })),
    ...act.map((i) => ({ label: `action[${i}]`, key: "action", index: i, data: [], borderColor: COLORS[color % 8], backgroundColor: COLORS[color++ % 8], borderDash: [4, 2] })),
  ];
  for (const frame of frames) addSignal(frame);
  signalChart.update("none");
}

function addSignal(frame) {
  for (const ds of signalChart.data.datasets) {
    const values = frame[ds.key];
    if (Array.isArray(values) && ds.index < values.length) ds.data.push({ x: frame.step, y: values[ds.index] });
  }
}

export function reset() {
  frames = [];
  if (!rewardChart) return;
  // Emptied in place: Chart.js may hold a dataset read-only while it draws.
  for (const ds of rewardChart.data.datasets) ds.data.length = 0;
  for (const ds of signalChart.data.datasets) ds.data.length = 0;
  rewardChart.update("none");
  signalChart.update("none");
  $("#reward-chart").dataset.points = "0";
}

export function add(frame) {
  if (!rewardChart || frames.length >= MAX_FRAMES) return;
  frames.push(frame);
  rewardChart.data.datasets[0].data.push({ x: frame.step, y: frame.reward });
  rewardChart.data.datasets[1].data.push({ x: frame.step, y: frame.total_reward });
  addSignal(frame);
  schedule();
}

/** Shows a whole recorded run (telemetry rows). */
export function showTelemetry(rows) {
  reset();
  for (const row of rows) if (row.step > 0) add({ step: row.step - 1, reward: row.reward, total_reward: row.total_reward, obs: row.obs, action: row.action });
}

function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    rewardChart.update("none");
    signalChart.update("none");
    $("#reward-chart").dataset.points = String(rewardChart.data.datasets[0].data.length);
  });
}

export function pointCount() {
  return rewardChart ? rewardChart.data.datasets[0].data.length : 0;
}
