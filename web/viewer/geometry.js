// three.js geometries of MuJoCo geoms, in the geom's own frame with z up. three.js builds
// cylinders and lathes along y, MuJoCo along z: they are turned a quarter about x.
import * as THREE from "/vendor/three/three.module.js";

const SEGMENTS = 32;

/** The half-size an infinite plane is drawn with (MuJoCo draws one out to the far plane). */
export function infinitePlaneHalf(doc) {
  const extent = doc.statistic.extent || 1;
  return Math.max(1, (doc.visual.map.zfar || 50) * extent);
}

/** A geometry for geom `geom` of the document, or null when it has none to draw. */
export function geomGeometry(geom, doc, meshGeometry, hfieldGeometry) {
  const s = geom.size;
  switch (geom.type) {
    case "plane": return planeGeometry(geom, doc);
    case "sphere": return new THREE.SphereBufferGeometry(s[0], SEGMENTS, SEGMENTS / 2).rotateX(Math.PI / 2);
    case "ellipsoid": return new THREE.SphereBufferGeometry(1, SEGMENTS, SEGMENTS / 2).rotateX(Math.PI / 2).scale(s[0], s[1], s[2]);
    case "capsule": return capsuleGeometry(s[0], s[1]);
    case "cylinder": return new THREE.CylinderBufferGeometry(s[0], s[0], 2 * s[1], SEGMENTS).rotateX(Math.PI / 2);
    case "box": return new THREE.BoxBufferGeometry(2 * s[0], 2 * s[1], 2 * s[2]);
    case "mesh":
    case "sdf": return geom.mesh >= 0 ? meshGeometry(geom.mesh) : null;
    case "hfield": return geom.hfield >= 0 ? hfieldGeometry(geom.hfield) : null;
    default: return null;
  }
}

// A plane's size ≤ 0 is infinite in that direction; its UVs are set per texture later.
function planeGeometry(geom, doc) {
  const far = infinitePlaneHalf(doc);
  const hx = geom.size[0] > 0 ? geom.size[0] : far;
  const hy = geom.size[1] > 0 ? geom.size[1] : far;
  const geometry = new THREE.PlaneBufferGeometry(2 * hx, 2 * hy, 1, 1);
  geometry.userData.half = [hx, hy];
  geometry.userData.infinite = geom.size[0] <= 0 || geom.size[1] <= 0;
  return geometry;
}

function capsuleGeometry(radius, half) {
  const path = new THREE.Path();
  path.absarc(0, half, radius, Math.PI / 2, 0, true);
  path.absarc(0, -half, radius, 0, -Math.PI / 2, true);
  const points = path.getPoints(SEGMENTS / 2);
  // Lathe runs its profile bottom to top.
  points.reverse();
  points[0].x = 0;
  points[points.length - 1].x = 0;
  return new THREE.LatheBufferGeometry(points, SEGMENTS).rotateX(Math.PI / 2);
}

/** A mesh of the document as an indexed BufferGeometry. */
export function meshBufferGeometry(mesh, buffer) {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute("position", new THREE.BufferAttribute(buffer(mesh.positions), 3));
  const normals = buffer(mesh.normals);
  if (normals && normals.length) geometry.setAttribute("normal", new THREE.BufferAttribute(normals, 3));
  else geometry.computeVertexNormals();
  const uvs = buffer(mesh.texcoords);
  if (uvs && uvs.length) geometry.setAttribute("uv", new THREE.BufferAttribute(uvs, 2));
  geometry.setIndex(new THREE.BufferAttribute(buffer(mesh.indices), 1));
  geometry.computeBoundingSphere();
  return geometry;
}

/**
 * A height field's surface: `ncol` samples across x in [-sx, sx], `nrow` rows across y in
 * [-sy, sy], height value × top; with side walls and a bottom down to -base, as MuJoCo
 * draws it.
 */
export function hfieldBufferGeometry(hfield, buffer) {
  const [sx, sy, top, base] = hfield.size;
  const { nrow, ncol } = hfield;
  const data = buffer(hfield.data);
  const positions = [];
  const index = [];
  const at = (r, c) => [(2 * c) / (ncol - 1) * sx - sx, (2 * r) / (nrow - 1) * sy - sy, data[r * ncol + c] * top];
  for (let r = 0; r < nrow; r++) for (let c = 0; c < ncol; c++) positions.push(...at(r, c));
  for (let r = 0; r < nrow - 1; r++) {
    for (let c = 0; c < ncol - 1; c++) {
      const a = r * ncol + c, b = a + 1, d = a + ncol, e = d + 1;
      index.push(a, b, e, a, e, d);
    }
  }
  const surface = new THREE.BufferGeometry();
  surface.setAttribute("position", new THREE.Float32BufferAttribute(positions, 3));
  surface.setIndex(index);
  surface.computeVertexNormals();
  if (!(base > 0)) return surface;
  // The base: a box from -base to 0 under the surface (walls up to the surface's edge are
  // left out: they are thin next to it).
  const box = new THREE.BoxBufferGeometry(2 * sx, 2 * sy, base).translate(0, 0, -base / 2);
  return mergeGeometries([surface, box.toNonIndexed()]);
}

// Joins non-indexed and indexed geometries into one non-indexed geometry.
function mergeGeometries(parts) {
  const positions = [];
  const normals = [];
  for (const part of parts) {
    const flat = part.index ? part.toNonIndexed() : part;
    if (!flat.attributes.normal) flat.computeVertexNormals();
    positions.push(...flat.attributes.position.array);
    normals.push(...flat.attributes.normal.array);
  }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute("position", new THREE.Float32BufferAttribute(positions, 3));
  geometry.setAttribute("normal", new THREE.Float32BufferAttribute(normals, 3));
  return geometry;
}
