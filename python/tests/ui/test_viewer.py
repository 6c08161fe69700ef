"""The browser's 3D view (web/viewer/, docs/VIEWER-CLIENT.md) in a real headless chromium
(WebGL through SwiftShader) against a real `tau serve`: the scene documents of the cartpole
and of every local Menagerie robot load with every visible geom, the debug rendering
matches MuJoCo's segmentation image, poses move the bodies, Ctrl+drag pulls the cart, a
double-click shows what was selected, and the IDE opens in the 3D view."""

from __future__ import annotations

import json
import struct
import time
import urllib.request
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

LONG = 120
REPO = Path(__file__).resolve().parents[3]


def menagerie_models() -> list[str]:
    """The robots of the local Menagerie checkout the server fixture points at."""
    shared = REPO.parent / "shared" / "menagerie"
    root = shared if shared.is_dir() else REPO / ".build" / "test-menagerie"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.xml")))


def wait(driver, condition, timeout=60, message=""):
    return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: condition(d), message)


def new_project(server, template="cartpole", name="viewer test"):
    status, body = server.request("POST", "/api/projects", {"name": name, "template": template})
    assert status == 200, body
    return body["id"]


def import_robot(server, model):
    """A project holding Menagerie robot `model`; → (project id, its model file)."""
    project = new_project(server, "empty", model)
    status, body = server.request("POST", f"/api/projects/{project}/import/menagerie", {"model": model}, timeout=600)
    assert status == 200, f"import {model}: {status} {body}"
    return project, body["entry_xml"]


def scene_header(server, project, xml=None):
    """The JSON header of a project's scene document, read here without the browser."""
    path = f"/api/projects/{project}/scene" + (f"?xml={urllib.request.quote(xml)}" if xml else "")
    with urllib.request.urlopen(server.base + path, timeout=300) as response:
        data = response.read()
    assert data[:8] == b"TAUSCENE"
    (length,) = struct.unpack("<I", data[8:12])
    return json.loads(data[12:12 + length])


def visible_geoms(header):
    """The geoms MuJoCo draws by default: groups 0-2, alpha above 0."""
    return sorted(g["id"] for g in header["geoms"] if 0 <= g["group"] <= 2 and g["rgba"][3] > 0)


def severe_logs(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def record_run(server, project):
    """Records a one-step run; → its id."""
    conversation = server.stream(project, {"max_steps": 1, "view": "3d", "speed": 0}, timeout=LONG)
    done = conversation.messages[-1].json
    assert done.get("type") == "done" and done.get("reason") == "max_steps", conversation.summary()
    status, runs = server.request("GET", f"/api/projects/{project}/runs")
    assert status == 200 and runs, runs
    return runs[0]["id"]


# A standalone viewer of a fixed size on the current page, as window.testViewer.
MAKE_VIEWER = """
const [projectId, options, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
(async () => {
  const { createViewer } = await import('/viewer/viewer.js');
  if (window.testViewer) window.testViewer.destroy();
  let box = document.getElementById('test-viewer');
  if (!box) {
    box = document.createElement('div');
    box.id = 'test-viewer';
    document.body.append(box);
  }
  box.style.cssText = `position:fixed;left:0;top:0;z-index:1000;width:${options.width}px;height:${options.height}px`;
  const viewer = createViewer(box, { projectId, ...options });
  window.testViewer = viewer;
  if (!viewer.supported) return { error: 'no WebGL: ' + viewer.reason };
  const loaded = options.run ? await viewer.fetchReplay(options.run) : await viewer.load({ xmlPath: options.xmlPath });
  return { loaded, stats: viewer.stats(), ids: viewer.geomIds() };
})().then(done, (e) => done({ error: String(e && e.stack || e) }));
"""


def standalone_viewer(driver, project, **options):
    driver.set_script_timeout(LONG)
    options.setdefault("width", 320)
    options.setdefault("height", 240)
    result = driver.execute_async_script(MAKE_VIEWER, project, options)
    assert "error" not in result, result.get("error")
    return result


# The viewer's debug picture and MuJoCo's segmentation image of the same camera, compared
# pixel by pixel in the page: → {agree, total, ours: ids seen, theirs: ids seen}.
COMPARE = """
const [projectId, camera, width, height, done] = arguments;
(async () => {
  const pixels = async (source) => {
    const bitmap = await createImageBitmap(source);
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width; canvas.height = bitmap.height;
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  };
  const response = await fetch(`/api/projects/${projectId}/snapshot`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ steps: 0, width, height, camera, segmentation: true, format: 'png' }) });
  if (!response.ok) return { error: `snapshot: HTTP ${response.status} ${await response.text()}` };
  const theirs = await pixels(await response.blob());
  window.testViewer.setCamera(camera);
  const image = new Image();
  image.src = window.testViewer.snapshot();
  await image.decode();
  const ours = await pixels(image);
  if (theirs.length !== ours.length) return { error: `sizes differ: ${theirs.length} vs ${ours.length}` };
  let agree = 0;
  const idsOurs = new Set(), idsTheirs = new Set();
  for (let i = 0; i < ours.length; i += 4) {
    const a = ours[i] + 256 * ours[i + 1] + 65536 * ours[i + 2];
    const b = theirs[i] + 256 * theirs[i + 1] + 65536 * theirs[i + 2];
    if (a === b) agree++;
    idsOurs.add(a); idsTheirs.add(b);
  }
  return { agree, total: ours.length / 4, ours: [...idsOurs].sort((x, y) => x - y), theirs: [...idsTheirs].sort((x, y) => x - y) };
})().then(done, (e) => done({ error: String(e && e.stack || e) }));
"""


@pytest.fixture(scope="module")
def robots(server):
    """Each local Menagerie robot imported once: model → (project, model file)."""
    return {model: import_robot(server, model) for model in menagerie_models()}


def test_the_local_menagerie_is_there():
    # The scene-document test below covers each of these; an empty list would cover nothing.
    assert "franka_emika_panda" in menagerie_models()


@pytest.mark.parametrize("model", ["cartpole", *menagerie_models()])
def test_scene_document_loads_with_every_visible_geom(page, server, robots, model):
    driver = page
    if model == "cartpole":
        project, xml = new_project(server), None
    else:
        project, xml = robots[model]
    severe_logs(driver)  # drop what the start screen logged
    result = standalone_viewer(driver, project, xmlPath=xml)
    header = scene_header(server, project, xml)
    assert result["stats"]["epoch"] == header["epoch"]
    assert result["stats"]["model"] == header["model"]
    expected = visible_geoms(header)
    assert expected, "the model has no visible geom"
    missing = sorted(set(expected) - set(result["ids"]))
    assert not missing, f"geoms not in the three.js scene: {[header['geoms'][i]['name'] or i for i in missing]}"
    assert sorted(result["ids"]) == expected, "geoms of hidden groups (3-5) or alpha 0 are drawn"
    assert result["stats"]["geomsDrawn"] == len(expected)
    time.sleep(0.5)  # a few frames drawn
    errors = severe_logs(driver)
    assert not errors, errors


FIDELITY = {
    "cartpole": ("cartpole", {"azimuth": 90, "elevation": -20, "distance": 4, "lookat": [0, 0, 0.9]}),
    "cartpole-side-camera": ("cartpole", "side"),
    "panda": ("franka_emika_panda", {"azimuth": 150, "elevation": -35, "distance": 1.8, "lookat": [0.25, 0, 0.35]}),
}


@pytest.mark.parametrize("case", sorted(FIDELITY))
def test_debug_render_matches_mujoco_segmentation(page, server, robots, case):
    model, camera = FIDELITY[case]
    driver = page
    project = new_project(server) if model == "cartpole" else robots[model][0]
    # The state after reset (the snapshot's, steps 0) as the run recorded it: step 0.
    run = record_run(server, project)
    standalone_viewer(driver, project, run=run, debug=True, width=320, height=240)
    assert driver.execute_script("return window.testViewer.showReplayStep(0)"), "the recorded pose was not applied"
    driver.set_script_timeout(LONG)
    result = driver.execute_async_script(COMPARE, project, camera, 320, 240)
    assert "error" not in result, result["error"]
    share = result["agree"] / result["total"]
    assert len(result["theirs"]) >= 3, f"MuJoCo's image shows too little: {result['theirs']}"
    assert set(result["ours"]) == set(result["theirs"]), f"geoms seen: ours {result['ours']}, MuJoCo's {result['theirs']}"
    print(f"{case}: {share:.2%} of the pixels agree")
    assert share >= 0.95, f"only {share:.1%} of the pixels agree with MuJoCo's segmentation"


def open_ide(driver, server, project):
    driver.get(f"{server.base}/#project/{project}")
    wait(driver, lambda d: d.execute_script("return window.tauViewer && window.tauViewer.stats().epoch"), LONG,
         "the 3D view never showed the scene")


def viewer_stats(driver):
    return driver.execute_script("return window.tauViewer.stats()")


def body_pose(driver, body):
    return driver.execute_script(
        "const g = window.tauViewer.world.bodies[arguments[0]]; return [...g.position.toArray(), ...g.quaternion.toArray()]", body)


def set_steps(driver, steps):
    box = driver.find_element(By.ID, "max-steps")
    box.clear()
    box.send_keys(str(steps))


def click_button(driver, name, timeout=60):
    def enabled(d):
        for b in d.find_elements(By.XPATH, f"//button[normalize-space()='{name}' or @aria-label='{name}']"):
            if b.is_displayed() and b.is_enabled():
                return b
        return None
    wait(driver, enabled, timeout, f"{name} never enabled").click()


def test_ide_opens_in_the_3d_view_and_mujoco_render_shows_server_frames(page, server):
    driver = page
    project = new_project(server)
    open_ide(driver, server, project)
    assert driver.find_element(By.CSS_SELECTOR, "input[name=view][value='3d']").is_selected()
    canvas = driver.find_element(By.CSS_SELECTOR, "#viewer3d canvas")
    assert canvas.is_displayed() and canvas.size["width"] >= 300
    assert not driver.find_element(By.ID, "view-empty").is_displayed()
    assert viewer_stats(driver)["geomsDrawn"] == 4
    # the picture is a scene, not a blank canvas: many colours
    colours = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const img = new Image();
        img.onload = () => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
          const x = c.getContext('2d'); x.drawImage(img, 0, 0); const d = x.getImageData(0, 0, c.width, c.height).data;
          const s = new Set(); for (let i = 0; i < d.length; i += 4) s.add(d[i] + 256 * d[i + 1] + 65536 * d[i + 2]); done(s.size); };
        img.src = window.tauViewer.snapshot();""")
    assert colours > 50, f"the 3D view shows only {colours} colours"
    unnamed = driver.execute_script("""
        return [...document.querySelectorAll('button, input, select, textarea, canvas')].filter(e => {
          if (e.type === 'hidden' || e.closest('[hidden]')) return false;
          const label = e.getAttribute('aria-label') || e.textContent.trim() || (e.labels && e.labels.length && e.labels[0].textContent.trim()) || e.title;
          return !label;
        }).map(e => e.outerHTML.slice(0, 80));""")
    assert unnamed == [], "controls without a name in the 3D view"
    # the keyboard turns the view from the focused canvas
    azimuth = driver.execute_script("return window.tauViewer.freeCamera().azimuth")
    canvas.click()
    canvas.send_keys(Keys.ARROW_LEFT)
    wait(driver, lambda d: d.execute_script("return window.tauViewer.freeCamera().azimuth") == pytest.approx(azimuth + 5), 10, "the arrow key does not rotate")
    # the camera picker offers the model's named camera
    options = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#camera-picker option")]
    assert options == ["free", "side"]
    driver.find_element(By.CSS_SELECTOR, "#camera-picker option[value=side]").click()
    wait(driver, lambda d: viewer_stats(d)["camera"] == "side", 10)
    # "Save picture" saves the 3D view's canvas as a PNG
    driver.execute_script("""
        window.savedPictures = [];
        HTMLAnchorElement.prototype.click = function () { window.savedPictures.push([this.href, this.download]); };""")
    click_button(driver, "Save picture")
    (href, name), = driver.execute_script("return window.savedPictures")
    assert href.startswith("data:image/png;base64,") and len(href) > 5000 and name.endswith(".png")

    driver.find_element(By.XPATH, "//label[normalize-space()='MuJoCo render']/input").click()
    assert not canvas.is_displayed()
    set_steps(driver, 60)
    click_button(driver, "Run")
    wait(driver, lambda d: d.execute_script("const i = document.getElementById('live'); return i.complete && i.naturalWidth > 0 && i.src.startsWith('data:image/jpeg')"),
         LONG, "no server frame shown")
    assert driver.find_element(By.ID, "live").is_displayed()
    wait(driver, lambda d: "ended" in d.find_element(By.ID, "summary").text, LONG)


def test_poses_move_the_pole_and_a_pose_of_another_epoch_is_ignored(page, server):
    driver = page
    project = new_project(server)
    open_ide(driver, server, project)
    set_steps(driver, 100000)
    click_button(driver, "Run")
    wait(driver, lambda d: viewer_stats(d)["posesApplied"] > 0, LONG, "no pose applied")
    seen = set()

    def pole_moves(d):
        seen.add(tuple(round(v, 4) for v in body_pose(d, 2)))
        return len(seen) >= 3
    wait(driver, pole_moves, LONG, "the pole does not move")
    overlay = driver.find_element(By.ID, "overlay").text
    assert "fps" in overlay and "real time" in overlay, overlay
    # switching the view while running applies from the next Run, and says so
    driver.find_element(By.CSS_SELECTOR, "input[name=view][value=render]").click()
    note = driver.find_element(By.ID, "view-note")
    assert note.is_displayed() and "next Run" in note.text
    applied = viewer_stats(driver)["posesApplied"]
    wait(driver, lambda d: viewer_stats(d)["posesApplied"] > applied, LONG, "the run stopped streaming when the view changed")
    driver.find_element(By.CSS_SELECTOR, "input[name=view][value='3d']").click()
    assert not driver.find_element(By.ID, "view-note").is_displayed()

    click_button(driver, "Pause")
    stable = {"pose": None, "since": time.monotonic()}

    def settled(d):
        pose = body_pose(d, 1)
        if pose != stable["pose"]:
            stable.update(pose=pose, since=time.monotonic())
        return time.monotonic() - stable["since"] > 2
    wait(driver, settled, LONG, "the poses do not stop when paused")
    before = body_pose(driver, 1)
    # A pose that puts the cart 1.5 m away, of another epoch, then of the right one.
    send = """
        const v = window.tauViewer, shift = arguments[0];
        const epoch = parseInt(v.stats().epoch.slice(0, 8), 16) ^ shift;
        const buffer = new ArrayBuffer(24 + 2 * 28), view = new DataView(buffer);
        [0x54, 0x41, 0x55, 0x50].forEach((b, i) => view.setUint8(i, b));
        view.setUint32(4, epoch >>> 0, true); view.setUint32(8, 7, true);
        view.setUint16(12, 2, true); view.setUint16(14, 0, true); view.setFloat64(16, 1.0, true);
        const f = new Float32Array(buffer, 24);
        f.set([1.5, 0, 1, 1, 0, 0, 0], 0); f.set([1.5, 0, 1, 1, 0, 0, 0], 7);
        return v.handlePose(buffer);"""
    ignored = viewer_stats(driver)["posesIgnored"]
    assert driver.execute_script(send, 1) is False
    assert viewer_stats(driver)["posesIgnored"] == ignored + 1
    assert body_pose(driver, 1) == before, "a pose of another epoch moved the cart"
    assert driver.execute_script(send, 0) is True
    assert body_pose(driver, 1)[0] == pytest.approx(1.5)

    click_button(driver, "Stop")
    wait(driver, lambda d: "ended" in d.find_element(By.ID, "summary").text, LONG)
    # Replay in the 3D view: the recorded poses scrub the pole.
    row = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#run-list .run-row button"), 60, "no run listed")[0]
    row.click()
    wait(driver, lambda d: "replay" in d.find_element(By.ID, "overlay").text, LONG, "the replay does not show")
    scrubber = driver.find_element(By.ID, "scrubber")
    poses = []
    for step in (0, 30):
        driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", scrubber, step)
        wait(driver, lambda d: viewer_stats(d)["lastPoseStep"] == step, 30, f"recorded step {step} not shown")
        poses.append(body_pose(driver, 2))
    assert poses[0] != poses[1], "the replay does not move the pole"


def cart_on_screen(driver):
    # once the view is drawn as the test set it, so the cart is where the pointer goes
    wait(driver, lambda d: d.execute_script("return !window.tauViewer.dirty && !window.tauViewer.stats().loading"), 30)
    point = driver.execute_script("return window.tauViewer.projectPoint(window.tauViewer.bodyPosition(1))")
    canvas = driver.find_element(By.CSS_SELECTOR, "#viewer3d canvas")
    return canvas, point["x"] - canvas.size["width"] / 2, point["y"] - canvas.size["height"] / 2


CLOSE_VIEW = "window.tauViewer.setCamera({azimuth: 90, elevation: -10, distance: 2.5, lookat: [0, 0, 1]})"


def test_double_click_selects_a_body_and_shows_what_it_is(page, server):
    driver = page
    project = new_project(server)
    open_ide(driver, server, project)
    driver.execute_script(CLOSE_VIEW)
    canvas, x, y = cart_on_screen(driver)
    ActionChains(driver).move_to_element_with_offset(canvas, int(x), int(y)).double_click().perform()
    info = wait(driver, lambda d: (lambda e: e if e.is_displayed() and "joints: slider" in e.text else None)(d.find_element(By.ID, "selection-info")),
                30, "no selection shown")
    assert info.text.startswith("cart")
    assert "mass 1.000 kg" in info.text
    assert "position 0.000, 0.000, 1.000" in info.text
    assert "slider (slide)" in info.text
    assert viewer_stats(driver)["selected"] == 1
    # a double-click on nothing clears it
    corner = (-int(canvas.size["width"] / 2) + 5, -int(canvas.size["height"] / 2) + 5)
    ActionChains(driver).move_to_element_with_offset(canvas, *corner).double_click().perform()
    wait(driver, lambda d: not d.find_element(By.ID, "selection-info").is_displayed(), 10, "the selection stays")
    # and Escape too
    ActionChains(driver).move_to_element_with_offset(canvas, int(x), int(y)).double_click().perform()
    wait(driver, lambda d: viewer_stats(d)["selected"] == 1, 30, "the cart is not selected again")
    canvas.send_keys(Keys.ESCAPE)
    wait(driver, lambda d: not d.find_element(By.ID, "selection-info").is_displayed(), 10, "Escape does not clear the selection")


def test_ctrl_drag_pulls_the_cart_to_the_right(page, server):
    driver = page
    project = new_project(server)
    # The pull may tip the pole over; the episode goes on, so the drag's end reaches it.
    status, env = server.request("GET", f"/api/projects/{project}/file?path=env.py")
    assert status == 200 and "done = bool(abs(theta) > 1.2)" in env["content"]
    status, _ = server.request("PUT", f"/api/projects/{project}/file", {
        "path": "env.py", "content": env["content"].replace("done = bool(abs(theta) > 1.2)", "done = False")})
    assert status == 200
    open_ide(driver, server, project)
    driver.execute_script("""
        window.sentMessages = [];
        const real = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) { if (typeof data === 'string') window.sentMessages.push(JSON.parse(data)); return real.call(this, data); };""")
    driver.execute_script(CLOSE_VIEW)
    set_steps(driver, 100000)
    click_button(driver, "Run")
    wait(driver, lambda d: viewer_stats(d)["posesApplied"] > 5, LONG, "no poses")
    time.sleep(2)  # the policy settles the cart near the middle
    start_x = body_pose(driver, 1)[0]
    assert abs(start_x) < 0.3
    # The cart moves while the software renderer draws a frame in a fraction of a second;
    # as a user would, double-click it again when a double-click missed it.
    for _ in range(3):
        canvas, x, y = cart_on_screen(driver)
        ActionChains(driver).move_to_element_with_offset(canvas, int(x), int(y)).double_click().perform()
        try:
            wait(driver, lambda d: viewer_stats(d)["selected"] == 1, 10)
            break
        except TimeoutException:
            continue
    wait(driver, lambda d: viewer_stats(d)["selected"] == 1, 30, "the cart is not selected")
    canvas, x, y = cart_on_screen(driver)
    chain = ActionChains(driver).key_down(Keys.CONTROL).move_to_element_with_offset(canvas, int(x), int(y)).click_and_hold()
    for _ in range(5):  # about 0.7 m
        chain.move_by_offset(20, 0)
    chain.perform()
    assert viewer_stats(driver)["perturbing"], "the drag did not start a perturbation"
    assert driver.execute_script("return window.tauViewer.perturbation.spring.visible"), "no spring drawn"
    furthest = {"x": start_x}

    def pulled(d):
        furthest["x"] = max(furthest["x"], body_pose(d, 1)[0])
        return furthest["x"] > start_x + 0.25
    try:
        wait(driver, pulled, 60, "the cart does not follow the drag")
    finally:
        ActionChains(driver).release().key_up(Keys.CONTROL).perform()
    wait(driver, lambda d: not viewer_stats(d)["perturbing"], 10)
    perturbs = [m for m in driver.execute_script("return window.sentMessages") if m.get("type") == "perturb"]
    assert perturbs and perturbs[0]["body"] == 1 and len(perturbs[0]["local"]) == 3
    assert perturbs[-1] == {"type": "perturb", "body": None}
    targets = [m["target"][0] for m in perturbs if m["body"] == 1]
    assert targets[-1] > targets[0] + 0.5, "the target did not move right"
    click_button(driver, "Stop")
    wait(driver, lambda d: "ended" in d.find_element(By.ID, "summary").text, LONG)


def test_without_webgl_the_ide_says_so_and_shows_mujoco_render(page, server):
    driver = page
    project = new_project(server)
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        const real = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
          return /webgl/.test(kind) ? null : real.call(this, kind, ...rest); };"""})
    try:
        driver.get(f"{server.base}/#project/{project}")
        driver.refresh()  # a new document, which the script runs in
        note = wait(driver, lambda d: [n for n in d.find_elements(By.CSS_SELECTOR, ".notice") if "WebGL" in n.text], LONG, "no word about WebGL")[0]
        assert "MuJoCo render" in note.text
        wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "input[name=view][value=render]").is_selected(), 30)
        set_steps(driver, 30)
        click_button(driver, "Run")
        wait(driver, lambda d: d.execute_script("const i = document.getElementById('live'); return i.complete && i.naturalWidth > 0"),
             LONG, "no server frame shown")
        driver.find_element(By.CSS_SELECTOR, "input[name=view][value='3d']").click()
        assert "WebGL" in driver.find_element(By.ID, "viewer3d").text
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


def test_geom_group_toggles_show_the_hidden_groups(page, server, robots):
    driver = page
    project, xml = robots["franka_emika_panda"]
    header = scene_header(server, project, xml)
    in_group = {g: sum(1 for x in header["geoms"] if x["group"] == g and x["rgba"][3] > 0) for g in range(6)}
    assert in_group[3] > 0, "the Panda has no collision geoms in group 3"
    open_ide(driver, server, project)
    shown = len(visible_geoms(header))
    assert viewer_stats(driver)["geomsDrawn"] == shown
    toggle = driver.find_element(By.CSS_SELECTOR, "input.geom-group[value='3']")
    assert not toggle.is_selected()
    toggle.click()
    wait(driver, lambda d: viewer_stats(d)["geomsDrawn"] == shown + in_group[3], 10, "group 3 does not show")
    toggle.click()
    wait(driver, lambda d: viewer_stats(d)["geomsDrawn"] == shown, 10, "group 3 does not hide again")
