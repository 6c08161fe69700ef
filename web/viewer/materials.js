// MuJoCo's look in three.js: the document already resolved each geom's colour, texture,
// emission, specular and shininess by MuJoCo's rule (docs/SCENE.md); here they become
// Phong materials, as MuJoCo's classic renderer is fixed-function Blinn-Phong.
import * as THREE from "/vendor/three/three.module.js";

/** Decodes each texture's PNG once: id → {image (ImageBitmap or HTMLImageElement), texture}. */
export async function decodeTextures(doc, buffer) {
  const decoded = new Map();
  await Promise.all((doc.textures || []).map(async (tex) => {
    const bytes = buffer(tex.png);
    if (!bytes) return;
    try {
      const image = await decodePNG(bytes);
      decoded.set(tex.id, { info: tex, image });
    } catch (error) {
      console.warn(`texture ${tex.name || tex.id} could not be decoded`, error);
    }
  }));
  return decoded;
}

async function decodePNG(bytes) {
  const blob = new Blob([bytes], { type: "image/png" });
  const url = URL.createObjectURL(blob);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A three.js texture of a 2D texture; rows as MuJoCo stores them (flipY false). */
export function planeTexture(decoded) {
  const texture = new THREE.Texture(decoded.image);
  texture.flipY = false;
  texture.wrapS = texture.wrapT = THREE.RepeatWrapping;
  texture.magFilter = THREE.LinearFilter;
  texture.minFilter = THREE.LinearMipmapLinearFilter;
  texture.anisotropy = 4;
  texture.needsUpdate = true;
  return texture;
}

/** A cube texture (six faces stacked +X, -X, +Y, -Y, +Z, -Z). */
export function cubeTexture(decoded) {
  const { image } = decoded;
  const size = image.width;
  const faces = [];
  for (let i = 0; i < 6; i++) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = size;
    canvas.getContext("2d").drawImage(image, 0, i * size, size, size, 0, 0, size, size);
    faces.push(canvas);
  }
  const texture = new THREE.CubeTexture(faces);
  texture.flipY = false;
  texture.needsUpdate = true;
  return texture;
}

/**
 * The Phong material of a geom. MuJoCo's colour: texture × rgba, emission × rgba, grey
 * specular, shininess × 128 (OpenGL's exponent). three.js's Blinn-Phong term carries a
 * normalisation ((s/2 + 1) / 4) that fixed-function OpenGL does not: divide it out.
 */
export function geomMaterial(geom, texture, specularScale) {
  const [r, g, b, a] = geom.rgba;
  const shininess = Math.max(1, (geom.shininess ?? 0.5) * 128);
  const spec = (geom.specular ?? 0.5) * specularScale / (0.25 * (shininess / 2 + 1));
  const emission = geom.emission ?? 0;
  const material = new THREE.MeshPhongMaterial({
    color: new THREE.Color(r, g, b),
    emissive: new THREE.Color(r * emission, g * emission, b * emission),
    specular: new THREE.Color(spec, spec, spec),
    shininess,
    map: texture || null,
    transparent: a < 1,
    opacity: a,
    depthWrite: a >= 1,
  });
  material.userData.baseEmissive = material.emissive.clone();
  return material;
}

/** The flat colour of geom `id` in debug mode: (id + 1) = r + 256 g + 65536 b. */
export function debugColor(id) {
  const n = id + 1;
  return new THREE.Color((n & 255) / 255, ((n >> 8) & 255) / 255, ((n >> 16) & 255) / 255);
}

export function debugMaterial(geom) {
  return new THREE.MeshBasicMaterial({ color: debugColor(geom.id), side: THREE.FrontSide });
}

/**
 * Texture coordinates of a plane in MuJoCo's way: with `texuniform` (and always on an
 * infinite plane) u = 0.5·texrepeat·x − 0.5, one tile every 2/texrepeat metres from the
 * origin; without it, `texrepeat` tiles across the plane.
 */
export function setPlaneUVs(geometry, material) {
  const [hx, hy] = geometry.userData.half;
  const repeat = material.texrepeat || [1, 1];
  const uniform = material.texuniform || geometry.userData.infinite;
  const position = geometry.attributes.position;
  const uv = geometry.attributes.uv;
  for (let i = 0; i < position.count; i++) {
    const x = position.getX(i);
    const y = position.getY(i);
    if (uniform) uv.setXY(i, 0.5 * repeat[0] * x - 0.5, -0.5 * repeat[1] * y - 0.5);
    else uv.setXY(i, repeat[0] * (0.5 * x / hx + 0.5), repeat[1] * (0.5 - 0.5 * y / hy));
  }
  uv.needsUpdate = true;
}

/** The tile period (metres) of a uniform plane texture along x and y. */
export function planePeriod(material) {
  const repeat = material && material.texrepeat ? material.texrepeat : [1, 1];
  return [2 / (repeat[0] || 1), 2 / (repeat[1] || 1)];
}
