// Builds the three.js world of a scene document: one group per body (placed in the world
// by its pose; geoms are its children in the body's frame), the lights, the skybox, and
// the model's cameras as frames on their bodies. Meshes are built once per mesh id.
import * as THREE from "/vendor/three/three.module.js";
import { geomGeometry, meshBufferGeometry, hfieldBufferGeometry } from "./geometry.js";
import { decodeTextures, planeTexture, cubeTexture, geomMaterial, debugMaterial, setPlaneUVs, planePeriod } from "./materials.js";
import { headlight, ambient, specularScale, modelLight } from "./lights.js";
import { skybox } from "./skybox.js";
import { PlaneReflection } from "./reflection.js";
import { horizonHaze } from "./haze.js";

const MAX_REFLECTIONS = 2; // each costs a second drawing of the scene

export const quat = (q) => new THREE.Quaternion(q[1], q[2], q[3], q[0]);

/**
 * → {root, bodies: [Group], geoms: Map(id → Mesh), lights: Map(id → Light), cameras:
 * [{info, frame}], planes: [{mesh, geom, period}], reflections: [PlaneReflection], skybox,
 * haze, headlight, far, near}
 */
export async function buildWorld(parsed, camera, { debug }) {
  const { header: doc, buffer } = parsed;
  const root = new THREE.Group();
  root.name = `model ${doc.model}`;
  const extent = doc.statistic.extent || 1;
  const world = {
    doc, root, bodies: [], geoms: new Map(), lights: new Map(), cameras: [], planes: [], reflections: [],
    skybox: null, haze: null, headlight: null,
    near: (doc.visual.map.znear || 0.01) * extent, far: (doc.visual.map.zfar || 50) * extent,
  };

  for (const body of doc.bodies) {
    const group = new THREE.Group();
    group.name = `body ${body.name || body.id}`;
    group.userData.bodyId = body.id;
    group.position.fromArray(body.pos);
    group.quaternion.copy(quat(body.quat));
    root.add(group);
    world.bodies.push(group);
  }

  const textures = debug ? new Map() : await decodeTextures(doc, buffer);
  const meshCache = new Map();
  const meshGeometry = (id) => {
    if (!meshCache.has(id)) meshCache.set(id, meshBufferGeometry(doc.meshes[id], buffer));
    return meshCache.get(id);
  };
  const hfieldGeometry = (id) => hfieldBufferGeometry(doc.hfields[id], buffer);
  const textureCache = new Map();
  const textureOf = (id) => {
    const decoded = textures.get(id);
    if (!decoded || decoded.info.type !== "2d") return null;
    if (!textureCache.has(id)) textureCache.set(id, planeTexture(decoded));
    return textureCache.get(id);
  };
  const spec = specularScale(doc);

  for (const geom of doc.geoms) {
    if (!(geom.rgba[3] > 0)) continue;
    const geometry = geomGeometry(geom, doc, meshGeometry, hfieldGeometry);
    if (!geometry) continue;
    const materialInfo = geom.material >= 0 ? doc.materials[geom.material] : null;
    let texture = debug || geom.texture < 0 ? null : textureOf(geom.texture);
    if (texture && geom.type === "plane") setPlaneUVs(geometry, materialInfo || {});
    else if (texture && !geometry.attributes.uv) texture = null;
    else if (texture && materialInfo && geom.type !== "mesh") {
      texture = texture.clone();
      texture.repeat.fromArray(materialInfo.texrepeat || [1, 1]);
      texture.needsUpdate = true;
    }
    const material = debug ? debugMaterial(geom) : geomMaterial(geom, texture, spec);
    const mesh = new THREE.Mesh(geometry, material);
    mesh.name = `geom ${geom.name || geom.id}`;
    mesh.userData.geomId = geom.id;
    mesh.userData.bodyId = geom.body;
    mesh.userData.group = Math.max(0, Math.min(5, geom.group | 0));
    mesh.position.fromArray(geom.pos);
    mesh.quaternion.copy(quat(geom.quat));
    if (!debug) {
      mesh.castShadow = geom.type !== "plane" && geom.rgba[3] >= 1;
      mesh.receiveShadow = true;
    }
    if (geom.rgba[3] < 1) mesh.renderOrder = 1;
    world.bodies[geom.body].add(mesh);
    world.geoms.set(geom.id, mesh);
    if (geom.type === "plane" && geometry.userData.infinite) {
      world.planes.push({ mesh, geom, period: planePeriod(materialInfo) });
    }
    if (!debug && geom.type === "plane" && geom.reflectance > 0 && geom.rgba[3] >= 1 && world.reflections.length < MAX_REFLECTIONS) {
      world.reflections.push(new PlaneReflection(mesh, Math.min(1, geom.reflectance)));
    }
  }

  for (const cam of doc.cameras || []) {
    const frame = new THREE.Object3D();
    frame.name = `camera ${cam.name || cam.id}`;
    frame.position.fromArray(cam.pos);
    frame.quaternion.copy(quat(cam.quat));
    world.bodies[cam.body].add(frame);
    world.cameras.push({ info: cam, frame });
  }

  if (!debug) {
    const withShadows = true;
    root.add(ambient(doc));
    world.headlight = headlight(doc, camera);
    for (const l of doc.lights || []) {
      const light = modelLight(l, doc, root, withShadows);
      if (light) world.lights.set(l.id, light);
    }
    const sky = doc.skybox >= 0 ? textures.get(doc.skybox) : null;
    if (sky && sky.image.height === 6 * sky.image.width) {
      world.skybox = skybox(cubeTexture(sky), world.far);
      root.add(world.skybox);
    }
    // Haze where a level infinite plane meets the sky.
    const level = world.planes.find(({ mesh }) => {
      mesh.updateWorldMatrix(true, false);
      return new THREE.Vector3(0, 0, 1).transformDirection(mesh.matrixWorld).z > 0.999;
    });
    if (level) {
      world.haze = horizonHaze(doc, new THREE.Vector3().setFromMatrixPosition(level.mesh.matrixWorld).z, world.far);
      if (world.haze) root.add(world.haze);
    }
  }
  return world;
}

/** Frees the GPU side of a world (geometries, materials, textures). */
export function disposeWorld(world, camera) {
  if (!world) return;
  for (const reflection of world.reflections) reflection.dispose();
  world.root.traverse((object) => {
    if (object.geometry) object.geometry.dispose();
    if (object.material) {
      for (const key of ["map"]) if (object.material[key]) object.material[key].dispose();
      if (object.material.uniforms && object.material.uniforms.map) object.material.uniforms.map.value.dispose();
      object.material.dispose();
    }
    if (object.shadow && object.shadow.map) object.shadow.map.dispose();
  });
  if (world.headlight) {
    camera.remove(world.headlight.target);
    camera.remove(world.headlight);
  }
}
