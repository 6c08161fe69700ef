// The haze at the horizon of an infinite plane (visual/rgba haze, visual/map haze): a band
// of the haze colour where the far plane meets the sky, drawn on a wide open cylinder that
// follows the camera, opaque at the plane's height and fading above and below it.
import * as THREE from "/vendor/three/three.module.js";

const VERTEX = `
varying float vHeight;
uniform float planeZ;
void main() {
  vec4 world = modelMatrix * vec4(position, 1.0);
  vHeight = world.z - planeZ;
  gl_Position = projectionMatrix * viewMatrix * world;
}`;

const FRAGMENT = `
uniform vec3 color;
uniform float halfHeight;
varying float vHeight;
void main() {
  float a = clamp(1.0 - abs(vHeight) / halfHeight, 0.0, 1.0);
  gl_FragColor = vec4(color, a * a);
}`;

/** The haze around infinite plane `planeMesh` (a world-z-up plane), or null. */
export function horizonHaze(doc, planeZ, far) {
  const strength = doc.visual.map.haze || 0;
  const rgba = doc.visual.rgba && doc.visual.rgba.haze;
  if (!(strength > 0) || !rgba || !(rgba[3] > 0)) return null;
  const radius = 0.8 * far;
  const halfHeight = radius * Math.tan((strength * 8 * Math.PI) / 180); // 0.3 → a band of ±2.4°
  const material = new THREE.ShaderMaterial({
    uniforms: { color: { value: new THREE.Color(rgba[0], rgba[1], rgba[2]) }, halfHeight: { value: halfHeight }, planeZ: { value: planeZ } },
    vertexShader: VERTEX,
    fragmentShader: FRAGMENT,
    transparent: true,
    depthWrite: false,
    side: THREE.BackSide,
  });
  const mesh = new THREE.Mesh(new THREE.CylinderBufferGeometry(radius, radius, 2 * halfHeight, 64, 1, true).rotateX(Math.PI / 2), material);
  mesh.name = "haze";
  mesh.frustumCulled = false;
  mesh.renderOrder = 5;
  mesh.userData.planeZ = planeZ;
  // Centred under the camera, at the plane's height.
  mesh.onBeforeRender = (_renderer, _scene, camera) => {
    const eye = new THREE.Vector3().setFromMatrixPosition(camera.matrixWorld);
    mesh.position.set(eye.x, eye.y, planeZ);
    mesh.updateMatrixWorld();
  };
  return mesh;
}
