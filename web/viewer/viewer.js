// The browser's 3D view of a project's model (docs/VIEWER-CLIENT.md): builds the scene
// from the scene document (docs/SCENE.md), moves its bodies by the stream's poses
// (docs/STREAM.md, "3D view"), and handles the mouse as MuJoCo's simulate does.
import * as THREE from "/vendor/three/three.module.js";
import { parseSceneDocument, poseEpoch } from "./scene-document.js";
import { parsePose, parseReplay } from "./poses.js";
import { buildWorld, disposeWorld } from "./scene-builder.js";
import { placeLight } from "./lights.js";
import { defaultFreeCamera, applyFreeCamera, rotate, pan, zoom } from "./free-camera.js";
import { attachMouse } from "./mouse.js";
import { Perturbation } from "./perturb.js";
import { pickBody, glowBody, describeBody, fetchModelTree } from "./selection.js";
import { webglSupport, unsupportedViewer } from "./support.js";

const REPLAY_CHUNK = 3600; // the most poses one replay request gives
// A frame slower than this (software WebGL, a weak GPU) gives up reflections, then shadows,
// so that the view keeps up with the poses.
const SLOW_FRAME_MS = 250;
const QUALITY = ["full", "no reflections", "no shadows"];

/**
 * A 3D view in `container`. options: projectId, send(message) (the stream's, for drags),
 * onSelect(info | null), onCamera(name), debug (flat id colours for comparisons with
 * MuJoCo's segmentation), width/height (a fixed size instead of the container's).
 */
export function createViewer(container, options = {}) {
  const support = webglSupport();
  if (!support.ok) return unsupportedViewer(container, support.reason);
  try {
    return new Viewer(container, options);
  } catch (error) {
    console.warn("the 3D view could not start", error);
    container.replaceChildren();
    return unsupportedViewer(container, `WebGL failed to start (${error.message})`);
  }
}

class Viewer {
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.debug = Boolean(options.debug);
    this.supported = true;
    this.renderer = new THREE.WebGLRenderer({ antialias: !this.debug, preserveDrawingBuffer: this.debug, alpha: false });
    this.renderer.setPixelRatio(this.debug ? 1 : Math.min(2, window.devicePixelRatio || 1));
    this.renderer.shadowMap.enabled = !this.debug;
    this.renderer.shadowMap.type = THREE.PCFSoftShadowMap;
    // Shadow maps are drawn once a frame, not again for each reflection's pass.
    this.renderer.shadowMap.autoUpdate = false;
    this.canvas = this.renderer.domElement;
    this.canvas.className = "viewer-canvas";
    this.canvas.setAttribute("aria-label", "3D view: drag or arrow keys to rotate, right-drag to pan, wheel or +/- to zoom, double-click to select, Ctrl+drag to pull, Escape to deselect");
    this.canvas.setAttribute("role", "img");
    this.canvas.tabIndex = 0;
    container.replaceChildren(this.canvas);

    this.scene = new THREE.Scene();
    this.scene.background = new THREE.Color(0, 0, 0);
    this.camera = new THREE.PerspectiveCamera(45, 4 / 3, 0.01, 100);
    this.scene.add(this.camera);
    this.world = null;
    this.epoch = null;
    this.source = null; // {xmlPath} or {run}
    this.order = null; // {bodies, lights} of the stream's scene message
    this.free = { azimuth: 90, elevation: -45, distance: 2, lookat: [0, 0, 0] };
    this.cameraName = "free";
    this.groups = [true, true, true, false, false, false];
    this.selected = null; // {id, local: Vector3}
    this.tree = null;
    this.counters = { applied: 0, ignored: 0, lastStep: null, lastTime: null, frames: [] };
    this.replay = null;
    this.loading = null;
    this.loadToken = 0;
    this.perturbation = new Perturbation(this.scene, (message) => this.send(message));
    this.raycaster = new THREE.Raycaster();

    this.resize();
    // Not drawn while out of sight (another panel shown, scrolled away): poses still apply,
    // and the view is drawn once it shows again. Software WebGL otherwise queued every
    // hidden frame's drawing and spent seconds on them when the panel came back.
    this.shown = true;
    if (!options.width) {
      this.resizeObserver = new ResizeObserver(() => this.resize());
      this.resizeObserver.observe(container);
      if (typeof IntersectionObserver !== "undefined") {
        this.visibilityObserver = new IntersectionObserver((entries) => {
          this.shown = entries[entries.length - 1].isIntersecting;
          if (this.shown) this.dirty = true;
        });
        this.visibilityObserver.observe(container);
      }
    }
    this.detachMouse = attachMouse(this.canvas, this.mouseHandlers());
    this.dirty = true;
    this.quality = 0;
    this.slowFrames = 0;
    let last = 0;
    let renderedLast = false;
    const loop = (now) => {
      this.frame = requestAnimationFrame(loop);
      // The next animation frame after a drawing comes once it is shown: the gap is its cost.
      if (renderedLast) this.noteFrameTime(now - last);
      if (!this.dirty || !this.shown) { renderedLast = false; return; }
      this.render();
      renderedLast = true;
      last = now;
    };
    this.frame = requestAnimationFrame(loop);
  }

  send(message) {
    if (typeof this.options.send === "function") this.options.send(message);
  }

  // ---- sizes and drawing ----

  resize() {
    const width = this.options.width || this.container.clientWidth || 480;
    const height = this.options.height || this.container.clientHeight || 360;
    this.setSize(width, height);
  }

  /** Draws at `width` × `height` CSS pixels. */
  setSize(width, height) {
    this.renderer.setSize(width, height, true);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.dirty = true;
  }

  render() {
    this.dirty = false;
    this.placeCamera();
    if (this.world) this.recentrePlanes();
    this.perturbation.update();
    this.renderer.shadowMap.needsUpdate = true;
    if (this.world && this.quality >= 1) for (const reflection of this.world.reflections) reflection.uniforms.reflectance.value = 0;
    if (this.world && this.world.reflections.length && this.quality < 1) {
      // MuJoCo mirrors the model only: no sky or haze in the mirror, whose ground is black.
      const hidden = [this.world.skybox, this.world.haze].filter(Boolean);
      for (const object of hidden) object.visible = false;
      for (const reflection of this.world.reflections) reflection.update(this.renderer, this.scene, this.camera);
      for (const object of hidden) object.visible = true;
    }
    this.renderer.render(this.scene, this.camera);
    const now = performance.now();
    const frames = this.counters.frames;
    frames.push(now);
    while (frames.length && now - frames[0] > 1000) frames.shift();
  }

  noteFrameTime(ms) {
    if (this.debug || this.quality >= QUALITY.length - 1) return;
    this.slowFrames = ms > SLOW_FRAME_MS ? this.slowFrames + 1 : 0;
    if (this.slowFrames < 5) return;
    this.slowFrames = 0;
    this.quality++;
    if (this.quality >= 2) {
      this.renderer.shadowMap.enabled = false;
      this.scene.traverse((object) => { if (object.material) object.material.needsUpdate = true; });
    }
    console.info(`3D view: frames take over ${SLOW_FRAME_MS} ms, drawing with ${QUALITY[this.quality]}`);
  }

  placeCamera() {
    const named = this.world && this.cameraName !== "free" ? this.world.cameras.find((c) => c.info.name === this.cameraName) : null;
    if (named) {
      named.frame.updateWorldMatrix(true, false);
      named.frame.matrixWorld.decompose(this.camera.position, this.camera.quaternion, new THREE.Vector3());
      this.camera.fov = named.info.fovy || 45;
      this.camera.updateProjectionMatrix();
      this.camera.updateMatrixWorld();
    } else {
      this.camera.fov = this.world ? this.world.doc.visual.global.fovy || 45 : 45;
      this.camera.updateProjectionMatrix();
      applyFreeCamera(this.camera, this.free);
    }
  }

  // An infinite plane is drawn out to the far plane around the camera; keep it under the
  // camera, moved in whole tiles so its texture does not slide.
  recentrePlanes() {
    const eye = this.camera.position;
    for (const { mesh, geom, period } of this.world.planes) {
      const body = mesh.parent;
      const local = body.worldToLocal(eye.clone());
      const q = new THREE.Quaternion(geom.quat[1], geom.quat[2], geom.quat[3], geom.quat[0]);
      const inPlane = local.sub(new THREE.Vector3().fromArray(geom.pos)).applyQuaternion(q.clone().inverse());
      const shift = new THREE.Vector3(
        geom.size[0] > 0 ? 0 : Math.round(inPlane.x / period[0]) * period[0],
        geom.size[1] > 0 ? 0 : Math.round(inPlane.y / period[1]) * period[1], 0).applyQuaternion(q);
      mesh.position.fromArray(geom.pos).add(shift);
    }
  }

  // ---- the model ----

  /** Loads the document of `xmlPath` (or of recorded run `run`) unless `epoch` is loaded. */
  async load({ xmlPath, run, epoch } = {}) {
    if (epoch && epoch === this.epoch && this.world) return { epoch: this.epoch, model: this.world.doc.model, cached: true };
    const token = ++this.loadToken;
    const base = `/api/projects/${encodeURIComponent(this.options.projectId)}`;
    const url = run ? `${base}/runs/${encodeURIComponent(run)}/scene` : `${base}/scene${xmlPath ? `?xml=${encodeURIComponent(xmlPath)}` : ""}`;
    const headers = this.epoch ? { "If-None-Match": `"${this.epoch}"` } : {};
    const promise = (async () => {
      const response = await fetch(url, { credentials: "same-origin", headers });
      if (response.status === 304 && this.world) return { epoch: this.epoch, model: this.world.doc.model, cached: true };
      if (!response.ok) {
        let detail = `HTTP ${response.status}`;
        try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
        throw new Error(`the scene could not be loaded: ${detail}`);
      }
      const parsed = parseSceneDocument(await response.arrayBuffer());
      const world = await buildWorld(parsed, this.camera, { debug: this.debug });
      if (token !== this.loadToken) { disposeWorld(world, this.camera); return null; }
      this.install(world, { xmlPath, run });
      return { epoch: this.epoch, model: world.doc.model, cached: false };
    })();
    this.loading = promise;
    try {
      return await promise;
    } finally {
      if (this.loading === promise) this.loading = null;
    }
  }

  install(world, source) {
    const sameModel = this.world && this.world.doc.model === world.doc.model;
    this.select(null);
    if (this.world) {
      this.scene.remove(this.world.root);
      disposeWorld(this.world, this.camera);
    }
    this.world = world;
    this.epoch = world.doc.epoch;
    this.source = source;
    this.tree = null;
    this.scene.add(world.root);
    this.camera.near = world.near;
    this.camera.far = world.far;
    // An edited model keeps the user's view; a new one starts from its own free camera.
    if (!sameModel) {
      this.free = defaultFreeCamera(world.doc);
      this.cameraName = "free";
      const id = world.doc.visual.global.cameraid;
      if (id >= 0 && world.cameras[id]) this.cameraName = world.cameras[id].info.name;
    } else if (this.cameraName !== "free" && !world.cameras.some((c) => c.info.name === this.cameraName)) {
      this.cameraName = "free";
    }
    for (let g = 0; g < 6; g++) this.applyGroup(g);
    this.dirty = true;
    if (this.options.onCamera) this.options.onCamera(this.cameraName);
  }

  /** The stream's messages: `scene` loads its model (and keeps its body and light order). */
  async handleMessage(message) {
    if (!message || message.type !== "scene") return null;
    this.order = { bodies: message.bodies || null, lights: message.lights || null, epoch: message.epoch };
    return this.load({ xmlPath: message.xml_path, epoch: message.epoch });
  }

  // ---- poses ----

  /** Applies a pose message (ArrayBuffer); false when it is of another epoch (ignored). */
  handlePose(data) {
    let pose;
    try {
      pose = parsePose(data);
    } catch (error) {
      console.warn("a pose message could not be read", error);
      return false;
    }
    return this.applyPose(pose, this.order);
  }

  applyPose(pose, order) {
    if (!this.world || pose.epoch !== poseEpoch(this.epoch)) {
      this.counters.ignored++;
      return false;
    }
    const doc = this.world.doc;
    const orderMatches = order && (!order.epoch || order.epoch === this.epoch);
    const bodies = orderMatches && order.bodies ? order.bodies : doc.bodies.filter((b) => b.moving).map((b) => b.id);
    const lights = orderMatches && order.lights ? order.lights : (doc.lights || []).filter((l) => l.moving).map((l) => l.id);
    const b = pose.bodies;
    for (let i = 0; i < Math.min(bodies.length, pose.bodyCount); i++) {
      const group = this.world.bodies[bodies[i]];
      if (!group) continue;
      const k = 7 * i;
      group.position.set(b[k], b[k + 1], b[k + 2]);
      group.quaternion.set(b[k + 4], b[k + 5], b[k + 6], b[k + 3]);
    }
    const l = pose.lights;
    for (let i = 0; i < Math.min(lights.length, pose.lightCount); i++) {
      const light = this.world.lights.get(lights[i]);
      if (!light) continue;
      const k = 6 * i;
      placeLight(light, [l[k], l[k + 1], l[k + 2]], [l[k + 3], l[k + 4], l[k + 5]]);
    }
    this.counters.applied++;
    this.counters.lastStep = pose.step;
    this.counters.lastTime = pose.time;
    this.dirty = true;
    if (this.selected) this.reportSelection(false);
    return true;
  }

  // ---- replay of a recorded run ----

  /** Loads run `run`'s scene and every recorded pose; → {count, epoch}. */
  async fetchReplay(run) {
    await this.load({ run });
    const base = `/api/projects/${encodeURIComponent(this.options.projectId)}/runs/${encodeURIComponent(run)}/poses`;
    const poses = [];
    let header = null;
    for (let from = 0; ; from += REPLAY_CHUNK) {
      const response = await fetch(`${base}?from=${from}&count=${REPLAY_CHUNK}`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`the run's poses could not be loaded (HTTP ${response.status})`);
      const replay = parseReplay(await response.arrayBuffer());
      header = header || replay.header;
      poses.push(...replay.poses);
      const total = replay.header.states ?? 0;
      if (!replay.poses.length || from + replay.poses.length >= total) break;
    }
    this.replay = { run, poses, order: header ? { bodies: header.bodies, lights: header.lights, epoch: header.epoch } : null };
    if (header && header.xml_path && this.source) this.source.xmlPath = header.xml_path;
    return { count: poses.length, epoch: header ? header.epoch : null };
  }

  /** Shows recorded step `i` of the loaded replay; false when there is none. */
  showReplayStep(i) {
    if (!this.replay || !this.replay.poses.length) return false;
    const index = Math.max(0, Math.min(this.replay.poses.length - 1, Math.round(i)));
    return this.applyPose(this.replay.poses[index], this.replay.order);
  }

  // ---- cameras and groups ----

  /** "free" and the model's named cameras. */
  cameras() {
    const named = this.world ? this.world.cameras.map((c) => ({ name: c.info.name || `camera ${c.info.id}`, id: c.info.id })) : [];
    return [{ name: "free", id: -1 }, ...named];
  }

  /** A camera name, "free", null (the model's default free camera) or free parameters. */
  setCamera(choice) {
    if (choice === null || choice === undefined) {
      if (this.world) this.free = defaultFreeCamera(this.world.doc);
      this.cameraName = "free";
    } else if (typeof choice === "object") {
      this.free = { ...this.free, ...choice, lookat: [...(choice.lookat || this.free.lookat)] };
      this.cameraName = "free";
    } else if (choice === "free" || !this.world || !this.world.cameras.some((c) => c.info.name === choice)) {
      this.cameraName = "free";
    } else {
      this.cameraName = choice;
    }
    this.dirty = true;
    return this.cameraName;
  }

  /** The free camera's parameters. */
  freeCamera() {
    return { ...this.free, lookat: [...this.free.lookat] };
  }

  setGroupVisible(group, on) {
    if (group < 0 || group > 5) return false;
    this.groups[group] = Boolean(on);
    this.applyGroup(group);
    this.dirty = true;
    return true;
  }

  applyGroup(group) {
    if (!this.world) return;
    for (const mesh of this.world.geoms.values()) if (mesh.userData.group === group) mesh.visible = this.groups[group];
  }

  // ---- selection and dragging ----

  /** Normalised device coordinates of canvas point (x, y), the camera placed. */
  ndc(x, y) {
    this.placeCamera();
    return new THREE.Vector2((x / this.canvas.clientWidth) * 2 - 1, -(y / this.canvas.clientHeight) * 2 + 1);
  }

  pick(x, y) {
    return this.world ? pickBody(this.world, this.camera, this.raycaster, this.ndc(x, y)) : null;
  }

  /** Selects body `bodyId` (null: none); `point` is where it was picked (world). */
  select(bodyId, point) {
    if (this.selected) this.glow(this.selected.id, false);
    if (bodyId === null || bodyId === undefined || !this.world || bodyId <= 0 || !this.world.bodies[bodyId]) {
      this.selected = null;
      this.dirty = true;
      if (this.options.onSelect) this.options.onSelect(null);
      return null;
    }
    const group = this.world.bodies[bodyId];
    group.updateMatrixWorld();
    const world = point ? point.clone() : new THREE.Vector3().setFromMatrixPosition(group.matrixWorld);
    const local = world.applyMatrix4(new THREE.Matrix4().getInverse(group.matrixWorld));
    this.selected = { id: bodyId, local };
    this.glow(bodyId, true);
    this.dirty = true;
    this.reportSelection(true);
    this.loadTree();
    return this.selection();
  }

  glow(bodyId, on) {
    if (!this.debug && this.world) glowBody(this.world, bodyId, on);
  }

  /** The selected body: {id, name, mass, position, joints} (joints once the model tree came). */
  selection() {
    return this.selected && this.world ? describeBody(this.world, this.tree, this.selected.id) : null;
  }

  reportSelection(now) {
    if (!this.options.onSelect) return;
    const due = performance.now() - (this.lastReport || 0) > 200;
    if (now || due) {
      this.lastReport = performance.now();
      this.options.onSelect(this.selection());
    }
  }

  // The model tree knows each body's joints; fetched once per model, on the first selection.
  async loadTree() {
    if (this.tree || this.treeLoading || !this.world) return;
    const epoch = this.epoch;
    this.treeLoading = true;
    const tree = await fetchModelTree(this.options.projectId, this.source && this.source.xmlPath);
    this.treeLoading = false;
    if (!tree || epoch !== this.epoch) return;
    this.tree = tree;
    if (this.selected) this.reportSelection(true);
  }

  mouseHandlers() {
    const size = () => (this.world ? this.world.doc.statistic.extent || 1 : 1);
    return {
      rotate: (dx, dy) => { this.toFree(); rotate(this.free, dx, dy); this.dirty = true; },
      pan: (dx, dy) => { this.toFree(); this.placeCamera(); pan(this.free, this.camera, dx, dy, this.canvas.clientHeight || 1); this.dirty = true; },
      zoom: (notches) => { this.toFree(); zoom(this.free, notches, 0.01 * size()); this.dirty = true; },
      select: (x, y) => { const hit = this.pick(x, y); this.select(hit ? hit.bodyId : null, hit ? hit.point : null); },
      perturbStart: (x, y) => {
        const hit = this.pick(x, y);
        if (hit && hit.bodyId > 0 && (!this.selected || this.selected.id !== hit.bodyId)) this.select(hit.bodyId, hit.point);
        if (!this.selected) return false;
        const group = this.world.bodies[this.selected.id];
        group.updateMatrixWorld();
        const grab = hit && hit.bodyId === this.selected.id ? hit.point : this.selected.local.clone().applyMatrix4(group.matrixWorld);
        this.perturbation.start(this.selected.id, group, grab, this.camera, size());
        this.dirty = true;
        return true;
      },
      perturbMove: (x, y) => {
        this.raycaster.setFromCamera(this.ndc(x, y), this.camera);
        this.perturbation.move(this.raycaster.ray);
        this.dirty = true;
      },
      perturbEnd: () => { this.perturbation.end(); this.dirty = true; },
      deselect: () => this.select(null),
    };
  }

  // Dragging the view from a named camera continues from the free camera, as simulate does.
  toFree() {
    if (this.cameraName === "free") return;
    this.cameraName = "free";
    if (this.options.onCamera) this.options.onCamera("free");
  }

  // ---- for tests, the IDE and debugging ----

  /** Numbers a user (or a test) can read: fps, epoch, geoms drawn, poses applied... */
  stats() {
    const geoms = this.world ? [...this.world.geoms.values()].filter((m) => m.visible).length : 0;
    return {
      supported: true,
      fps: this.counters.frames.length,
      epoch: this.epoch,
      model: this.world ? this.world.doc.model : null,
      geomsDrawn: geoms,
      posesApplied: this.counters.applied,
      posesIgnored: this.counters.ignored,
      lastPoseStep: this.counters.lastStep,
      lastPoseTime: this.counters.lastTime,
      camera: this.cameraName,
      quality: QUALITY[this.quality],
      selected: this.selected ? this.selected.id : null,
      perturbing: this.perturbation.active,
      loading: Boolean(this.loading),
    };
  }

  /** Ids of the geoms drawn now (visible groups). */
  geomIds() {
    return this.world ? [...this.world.geoms.entries()].filter(([, m]) => m.visible).map(([id]) => id) : [];
  }

  /** Body `id`'s world position as drawn. */
  bodyPosition(id) {
    const group = this.world && this.world.bodies[id];
    return group ? group.position.toArray() : null;
  }

  /** Where world point `p` appears on the canvas, in CSS pixels from its top-left. */
  projectPoint(p) {
    this.placeCamera();
    const v = new THREE.Vector3().fromArray(p).project(this.camera);
    return { x: ((v.x + 1) / 2) * this.canvas.clientWidth, y: ((1 - v.y) / 2) * this.canvas.clientHeight };
  }

  /** The picture as a PNG data URL ("save picture"). */
  snapshot() {
    this.render();
    return this.canvas.toDataURL("image/png");
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    if (this.resizeObserver) this.resizeObserver.disconnect();
    if (this.visibilityObserver) this.visibilityObserver.disconnect();
    this.detachMouse();
    if (this.perturbation.active) this.perturbation.end();
    if (this.world) disposeWorld(this.world, this.camera);
    this.world = null;
    this.renderer.dispose();
    this.renderer.forceContextLoss();
    this.container.replaceChildren();
  }
}
