// MuJoCo's lights in three.js: the headlight (a directional light along the camera's
// forward axis, parented to the camera), the model's lights from their world pose, and one
// ambient term that sums the headlight's and the lights' ambient colours.
import * as THREE from "/vendor/three/three.module.js";

const color = (rgb) => new THREE.Color(rgb[0], rgb[1], rgb[2]);
const mean = (rgb) => (rgb[0] + rgb[1] + rgb[2]) / 3;

/** The headlight; added to `camera`, so it turns with the view. Null when it is off. */
export function headlight(doc, camera) {
  const h = doc.visual.headlight;
  if (!h || h.active === 0) return null;
  const light = new THREE.DirectionalLight(color(h.diffuse), 1);
  light.position.set(0, 0, 0);
  light.target.position.set(0, 0, -1);
  camera.add(light);
  camera.add(light.target);
  return light;
}

/** The ambient light: the headlight's ambient plus each active light's. */
export function ambient(doc) {
  const sum = [0, 0, 0];
  const add = (rgb) => { for (let i = 0; i < 3; i++) sum[i] += rgb[i]; };
  const h = doc.visual.headlight;
  if (h && h.active !== 0) add(h.ambient);
  for (const l of doc.lights || []) if (l.active) add(l.ambient);
  return new THREE.AmbientLight(color(sum.map((v) => Math.min(1, v))), 1);
}

/**
 * How much brighter the highlights should be than three.js's light colour makes them:
 * MuJoCo lights have their own specular colour, three.js's use the diffuse one.
 */
export function specularScale(doc) {
  const ratios = [];
  const h = doc.visual.headlight;
  if (h && h.active !== 0 && mean(h.diffuse) > 0) ratios.push(mean(h.specular) / mean(h.diffuse));
  for (const l of doc.lights || []) if (l.active && mean(l.diffuse) > 0) ratios.push(mean(l.specular) / mean(l.diffuse));
  if (!ratios.length) return 0;
  return Math.min(2, ratios.reduce((a, b) => a + b, 0) / ratios.length);
}

/**
 * The three.js light of a model light, placed at its world pose at qpos0 (`xpos`, `xdir`).
 * Shadows only from lights that cast them, their camera sized by shadowclip × extent.
 */
export function modelLight(l, doc, scene, withShadows) {
  if (!l.active) return null;
  const extent = doc.statistic.extent || 1;
  let light;
  if (l.directional || l.type === "directional") {
    light = new THREE.DirectionalLight(color(l.diffuse), 1);
    const clip = (doc.visual.map.shadowclip || 1) * extent;
    Object.assign(light.shadow.camera, { left: -clip, right: clip, top: clip, bottom: -clip, near: 0.01 * extent, far: 10 * extent });
  } else if (l.type === "point") {
    light = new THREE.PointLight(color(l.diffuse), 1, 0, 0);
  } else {
    // A spot light; MuJoCo's cutoff is the cone's half-angle, its exponent softens the edge.
    const cutoff = Math.min(89, Math.max(1, l.cutoff || 45));
    light = new THREE.SpotLight(color(l.diffuse), 1, 0, (cutoff * Math.PI) / 180, Math.min(1, (l.exponent || 0) / 20), 0);
    light.shadow.camera.near = 0.05 * extent;
    light.shadow.camera.far = 20 * extent;
  }
  if (withShadows && l.castshadow) {
    light.castShadow = true;
    const size = Math.min(2048, doc.visual.quality.shadowsize || 1024);
    light.shadow.mapSize.set(size, size);
    light.shadow.bias = -0.0005;
  }
  if (light.isDirectionalLight) {
    // Its position only aims the shadow camera: back along its direction from the model.
    light.userData.anchor = { center: doc.statistic.center, back: 3 * extent };
    light.shadow.camera.far = 6 * extent;
  }
  scene.add(light);
  if (light.target) scene.add(light.target);
  placeLight(light, l.xpos, l.xdir);
  return light;
}

/** Moves a light to world position `pos`, shining along `dir`. */
export function placeLight(light, pos, dir) {
  const anchor = light.userData.anchor;
  if (anchor) {
    const n = Math.hypot(dir[0], dir[1], dir[2]) || 1;
    const c = anchor.center;
    pos = [c[0] - (dir[0] / n) * anchor.back, c[1] - (dir[1] / n) * anchor.back, c[2] - (dir[2] / n) * anchor.back];
  }
  light.position.set(pos[0], pos[1], pos[2]);
  if (light.target) {
    light.target.position.set(pos[0] + dir[0], pos[1] + dir[1], pos[2] + dir[2]);
    light.target.updateMatrixWorld();
  }
}
