// Picking and describing bodies: what a double-click hits, the glow of the selected body
// (MuJoCo's vis.global.glow), and what the info box says about it (joints come from the
// model tree, GET /api/projects/{id}/model).
import * as THREE from "/vendor/three/three.module.js";

const GLOW = 0.3; // MuJoCo's vis.global.glow: emission added to a selected body

/** The first visible geom under normalised device point `ndc`: {bodyId, point} or null. */
export function pickBody(world, camera, raycaster, ndc) {
  raycaster.setFromCamera(ndc, camera);
  const meshes = [...world.geoms.values()].filter((m) => m.visible);
  const hit = raycaster.intersectObjects(meshes, false)[0];
  return hit ? { bodyId: hit.object.userData.bodyId, point: hit.point } : null;
}

/** Lights up (or restores) the geoms of body `bodyId`. */
export function glowBody(world, bodyId, on) {
  for (const child of world.bodies[bodyId].children) {
    const material = child.material;
    if (!material || !material.emissive || !material.userData.baseEmissive) continue;
    material.emissive.copy(material.userData.baseEmissive);
    if (on) material.emissive.add(material.color.clone().multiplyScalar(GLOW)).add(new THREE.Color(0.08, 0.08, 0.02));
  }
}

/** {id, name, mass, position (as drawn), joints: [{name, type}] or null before the tree}. */
export function describeBody(world, tree, bodyId) {
  const body = world.doc.bodies[bodyId];
  const treeBody = tree && tree.bodies ? tree.bodies[bodyId] : null;
  return {
    id: body.id,
    name: body.name || `body ${body.id}`,
    mass: body.mass,
    position: world.bodies[bodyId].position.toArray(),
    joints: treeBody ? treeBody.joints.map((j) => ({ name: j.name, type: j.type })) : null,
  };
}

/** The model tree of a project's model, or null when it cannot be had. */
export async function fetchModelTree(projectId, xmlPath) {
  const xml = xmlPath ? `?xml=${encodeURIComponent(xmlPath)}` : "";
  try {
    const response = await fetch(`/api/projects/${encodeURIComponent(projectId)}/model${xml}`, { credentials: "same-origin" });
    return response.ok ? await response.json() : null;
  } catch (error) {
    console.warn("the model tree could not be loaded", error);
    return null;
  }
}
