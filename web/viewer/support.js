// Whether the browser can draw the 3D view, and the stand-in viewer when it cannot: it says
// why in its container, and every method does nothing.

/** {ok: true} or {ok: false, reason}. */
export function webglSupport() {
  try {
    const canvas = document.createElement("canvas");
    const gl = canvas.getContext("webgl") || canvas.getContext("experimental-webgl");
    if (!gl) return { ok: false, reason: "this browser offers no WebGL" };
    const lose = gl.getExtension("WEBGL_lose_context");
    if (lose) lose.loseContext();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `WebGL failed to start (${error.message})` };
  }
}

export function unsupportedViewer(container, reason) {
  const note = document.createElement("p");
  note.className = "view-missing";
  note.textContent = `3D view unavailable: ${reason}. Showing MuJoCo render instead.`;
  container.replaceChildren(note);
  const nothing = () => false;
  return {
    supported: false, reason,
    load: async () => null, handleMessage: async () => null, handlePose: nothing, setCamera: nothing,
    cameras: () => [], setGroupVisible: nothing, select: () => null, selection: () => null,
    stats: () => ({ supported: false, reason }), snapshot: () => null, fetchReplay: async () => null,
    showReplayStep: nothing, destroy: () => container.replaceChildren(),
  };
}
