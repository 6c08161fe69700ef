// Ctrl+drag on the selected body, as simulate does it: the grabbed point (in the body's
// frame) is pulled toward a target that follows the pointer in the plane through the
// grabbed point facing the camera. The server applies MuJoCo's spring (docs/STREAM.md,
// "perturb"); here we send the target and draw the spring from the point to the target.
import * as THREE from "/vendor/three/three.module.js";

const SEND_INTERVAL_MS = 33;

export class Perturbation {
  constructor(root, send) {
    this.send = send;
    this.body = null;
    this.local = new THREE.Vector3();
    this.target = new THREE.Vector3();
    this.plane = new THREE.Plane();
    this.lastSent = 0;
    this.pending = null;
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute("position", new THREE.Float32BufferAttribute(new Float32Array(6), 3));
    this.line = new THREE.Line(geometry, new THREE.LineBasicMaterial({ color: 0xffd24a, depthTest: false }));
    this.line.renderOrder = 10;
    this.line.frustumCulled = false;
    this.marker = new THREE.Mesh(new THREE.SphereBufferGeometry(1, 12, 8), new THREE.MeshBasicMaterial({ color: 0xffd24a, depthTest: false }));
    this.marker.renderOrder = 10;
    this.spring = new THREE.Group();
    this.spring.name = "perturbation spring";
    this.spring.add(this.line, this.marker);
    this.spring.visible = false;
    root.add(this.spring);
  }

  get active() {
    return this.body !== null;
  }

  /** Starts a drag of `group` (body `bodyId`) at world point `grab`, seen from `camera`. */
  start(bodyId, group, grab, camera, size) {
    this.body = bodyId;
    this.group = group;
    group.updateMatrixWorld();
    this.local.copy(grab).applyMatrix4(new THREE.Matrix4().getInverse(group.matrixWorld));
    this.target.copy(grab);
    const normal = new THREE.Vector3();
    camera.getWorldDirection(normal);
    this.plane.setFromNormalAndCoplanarPoint(normal, grab);
    this.marker.scale.setScalar(Math.max(1e-3, 0.01 * size));
    this.spring.visible = true;
    this.update();
    this.transmit(true);
  }

  /** Moves the target to where `ray` meets the drag plane. */
  move(ray) {
    if (!this.active) return;
    const hit = ray.intersectPlane(this.plane, new THREE.Vector3());
    if (!hit) return;
    this.target.copy(hit);
    this.update();
    this.transmit(false);
  }

  end() {
    if (!this.active) return;
    clearTimeout(this.pending);
    this.pending = null;
    this.body = null;
    this.group = null;
    this.spring.visible = false;
    this.send({ type: "perturb", body: null });
  }

  /** The grabbed point in the world now (the body moves under it). */
  grabbedPoint() {
    this.group.updateMatrixWorld();
    return this.local.clone().applyMatrix4(this.group.matrixWorld);
  }

  /** Redraws the spring from the body's pose and the target. */
  update() {
    if (!this.active) return;
    const from = this.grabbedPoint();
    const position = this.line.geometry.attributes.position;
    position.setXYZ(0, from.x, from.y, from.z);
    position.setXYZ(1, this.target.x, this.target.y, this.target.z);
    position.needsUpdate = true;
    this.marker.position.copy(this.target);
  }

  // At most one message per 33 ms; the last target always goes out.
  transmit(now) {
    const due = this.lastSent + SEND_INTERVAL_MS - performance.now();
    if (now || due <= 0) {
      clearTimeout(this.pending);
      this.pending = null;
      this.lastSent = performance.now();
      const round = (v) => Math.round(v * 1e5) / 1e5;
      this.send({
        type: "perturb",
        body: this.body,
        local: this.local.toArray().map(round),
        target: this.target.toArray().map(round),
      });
    } else if (!this.pending) {
      this.pending = setTimeout(() => { this.pending = null; if (this.active) this.transmit(true); }, due);
    }
  }
}
