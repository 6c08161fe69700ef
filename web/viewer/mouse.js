// The mouse as in MuJoCo's simulate: left-drag rotates, right-drag (or shift+left) pans,
// the wheel zooms, a double-click selects, Ctrl+drag pulls the selected body.
// Pointer events with capture, so a drag that leaves the canvas keeps going. The keyboard
// does the same from the focused canvas: arrows rotate, +/- zoom, Escape clears the selection.

/**
 * handlers: rotate(dx, dy) in fractions of the view's height, pan(dxPx, dyPx), zoom(notches),
 * select(x, y), perturbStart(x, y) → bool (true: the drag is a perturbation),
 * perturbMove(x, y), perturbEnd(), deselect(). x and y are CSS pixels from the canvas's
 * top-left.
 */
export function attachMouse(canvas, handlers) {
  let drag = null;
  const local = (event) => {
    const box = canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };
  const down = (event) => {
    if (drag) return;
    const [x, y] = local(event);
    let mode = event.button === 2 || (event.button === 0 && event.shiftKey) ? "pan" : event.button === 0 ? "rotate" : null;
    if ((event.ctrlKey || event.metaKey) && handlers.perturbStart(x, y)) mode = "perturb";
    if (!mode) return;
    event.preventDefault();
    drag = { mode, x, y, id: event.pointerId };
    try { canvas.setPointerCapture(event.pointerId); } catch { /* synthetic events have no capture */ }
  };
  const move = (event) => {
    if (!drag) return;
    const [x, y] = local(event);
    const dx = x - drag.x, dy = y - drag.y;
    drag.x = x;
    drag.y = y;
    const height = canvas.clientHeight || 1;
    if (drag.mode === "rotate") handlers.rotate(dx / height, dy / height);
    else if (drag.mode === "pan") handlers.pan(dx, dy);
    else handlers.perturbMove(x, y);
  };
  const up = (event) => {
    if (!drag) return;
    if (drag.mode === "perturb") handlers.perturbEnd();
    try { canvas.releasePointerCapture(drag.id); } catch { /* not captured */ }
    drag = null;
    event.preventDefault();
  };
  const wheel = (event) => {
    event.preventDefault();
    const notches = event.deltaMode === 1 ? event.deltaY / 3 : event.deltaY / 100;
    handlers.zoom(notches);
  };
  const dblclick = (event) => {
    event.preventDefault();
    const [x, y] = local(event);
    handlers.select(x, y);
  };
  const menu = (event) => event.preventDefault();
  const key = (event) => {
    const step = 5 / 180; // 5 degrees
    const actions = {
      ArrowLeft: () => handlers.rotate(-step, 0), ArrowRight: () => handlers.rotate(step, 0),
      ArrowUp: () => handlers.rotate(0, -step), ArrowDown: () => handlers.rotate(0, step),
      "+": () => handlers.zoom(-1), "=": () => handlers.zoom(-1), "-": () => handlers.zoom(1),
      Escape: () => handlers.deselect(),
    };
    const action = actions[event.key];
    if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    action();
  };
  canvas.addEventListener("pointerdown", down);
  window.addEventListener("pointermove", move);
  window.addEventListener("pointerup", up);
  window.addEventListener("pointercancel", up);
  canvas.addEventListener("wheel", wheel, { passive: false });
  canvas.addEventListener("dblclick", dblclick);
  canvas.addEventListener("contextmenu", menu);
  canvas.addEventListener("keydown", key);
  return () => {
    canvas.removeEventListener("keydown", key);
    canvas.removeEventListener("pointerdown", down);
    window.removeEventListener("pointermove", move);
    window.removeEventListener("pointerup", up);
    window.removeEventListener("pointercancel", up);
    canvas.removeEventListener("wheel", wheel);
    canvas.removeEventListener("dblclick", dblclick);
    canvas.removeEventListener("contextmenu", menu);
  };
}
