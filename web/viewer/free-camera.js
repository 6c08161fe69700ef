// MuJoCo's free camera: a point it looks at, a distance, an azimuth and an elevation
// (degrees). forward = (cos el cos az, cos el sin az, sin el), the eye sits at
// lookat - distance · forward, and the world's z is up (mjv_updateCamera).
import * as THREE from "/vendor/three/three.module.js";

const rad = (deg) => (deg * Math.PI) / 180;

/** The model's default free camera: statistic.center from 1.5 × extent, visual.global angles. */
export function defaultFreeCamera(doc) {
  const g = doc.visual.global;
  return {
    azimuth: g.azimuth ?? 90,
    elevation: g.elevation ?? -45,
    distance: 1.5 * (doc.statistic.extent || 1),
    lookat: [...(doc.statistic.center || [0, 0, 0])],
  };
}

export function forward(free) {
  const az = rad(free.azimuth), el = rad(free.elevation);
  return new THREE.Vector3(Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el));
}

/** Puts three.js camera `camera` where free camera `free` is. */
export function applyFreeCamera(camera, free) {
  const f = forward(free);
  const az = rad(free.azimuth), el = rad(free.elevation);
  const up = new THREE.Vector3(-Math.sin(el) * Math.cos(az), -Math.sin(el) * Math.sin(az), Math.cos(el));
  const [x, y, z] = free.lookat;
  camera.position.set(x - free.distance * f.x, y - free.distance * f.y, z - free.distance * f.z);
  camera.up.copy(up);
  camera.lookAt(x, y, z);
  camera.updateMatrixWorld();
}

/** Rotation by a drag of (dx, dy) in fractions of the view's height, as simulate does. */
export function rotate(free, dx, dy) {
  free.azimuth -= 180 * dx;
  free.elevation = Math.max(-89.9, Math.min(89.9, free.elevation - 180 * dy));
}

/** Pans the look-at point in the view plane so the scene follows the pointer. */
export function pan(free, camera, dxPixels, dyPixels, viewHeight) {
  const metresPerPixel = (2 * free.distance * Math.tan(rad(camera.fov) / 2)) / viewHeight;
  const right = new THREE.Vector3().setFromMatrixColumn(camera.matrixWorld, 0);
  const up = new THREE.Vector3().setFromMatrixColumn(camera.matrixWorld, 1);
  const shift = right.multiplyScalar(-dxPixels * metresPerPixel).add(up.multiplyScalar(dyPixels * metresPerPixel));
  free.lookat = [free.lookat[0] + shift.x, free.lookat[1] + shift.y, free.lookat[2] + shift.z];
}

/** Zoom: each wheel notch scales the distance by a few percent. */
export function zoom(free, notches, minimum) {
  free.distance = Math.max(minimum, free.distance * Math.exp(0.1 * notches));
}
