// The skybox: a box that follows the camera, drawn first and behind everything, sampling
// the model's cube texture. MuJoCo's world is z-up while cube maps are y-up, so a world
// direction d looks up (d.x, d.z, -d.y); scene.background would assume y-up.
import * as THREE from "/vendor/three/three.module.js";

const VERTEX = `
varying vec3 vDirection;
void main() {
  vDirection = position;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;

const FRAGMENT = `
uniform samplerCube map;
varying vec3 vDirection;
void main() {
  vec3 d = normalize(vDirection);
  gl_FragColor = textureCube(map, vec3(d.x, d.z, -d.y));
}`;

export function skybox(cubeTexture, far) {
  const material = new THREE.ShaderMaterial({
    uniforms: { map: { value: cubeTexture } },
    vertexShader: VERTEX,
    fragmentShader: FRAGMENT,
    side: THREE.BackSide,
    depthTest: false,
    depthWrite: false,
  });
  const size = far * 0.5;
  const mesh = new THREE.Mesh(new THREE.BoxBufferGeometry(size, size, size), material);
  mesh.frustumCulled = false;
  mesh.renderOrder = -1000;
  mesh.name = "skybox";
  // Follows the camera (position only) just before each render.
  mesh.onBeforeRender = (_renderer, _scene, camera) => {
    mesh.position.setFromMatrixPosition(camera.matrixWorld);
    mesh.updateMatrixWorld();
  };
  return mesh;
}
