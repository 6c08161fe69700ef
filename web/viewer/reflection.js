// A reflective plane (a material's `reflectance`), as MuJoCo draws it: the scene mirrored
// in the plane, blended under the plane's own colour by the reflectance. The mirrored view
// is drawn each frame into a texture by a camera mirrored in the plane (things below the
// plane clipped away); the plane's Phong shader looks it up by projecting its own points
// through that camera.
import * as THREE from "/vendor/three/three.module.js";

const BIAS = new THREE.Matrix4().set(0.5, 0, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0, 0.5, 0.5, 0, 0, 0, 1);

export class PlaneReflection {
  constructor(mesh, reflectance) {
    this.mesh = mesh;
    this.target = new THREE.WebGLRenderTarget(1, 1, { minFilter: THREE.LinearFilter, magFilter: THREE.LinearFilter });
    this.target.texture.generateMipmaps = false;
    this.camera = new THREE.PerspectiveCamera();
    this.textureMatrix = new THREE.Matrix4();
    this.uniforms = {
      mirrorMap: { value: this.target.texture },
      mirrorMatrix: { value: this.textureMatrix },
      reflectance: { value: reflectance },
    };
    const material = mesh.material;
    material.onBeforeCompile = (shader) => {
      Object.assign(shader.uniforms, this.uniforms);
      shader.vertexShader = shader.vertexShader
        .replace("#include <common>", "#include <common>\nuniform mat4 mirrorMatrix;\nvarying vec4 vMirror;")
        .replace("#include <fog_vertex>", "#include <fog_vertex>\n\tvMirror = mirrorMatrix * modelMatrix * vec4( transformed, 1.0 );");
      shader.fragmentShader = shader.fragmentShader
        .replace("#include <common>", "#include <common>\nuniform sampler2D mirrorMap;\nuniform float reflectance;\nvarying vec4 vMirror;")
        .replace("#include <tonemapping_fragment>",
          "gl_FragColor.rgb = mix( gl_FragColor.rgb, texture2DProj( mirrorMap, vMirror ).rgb, reflectance );\n\t#include <tonemapping_fragment>");
    };
    material.needsUpdate = true;
    this.size = new THREE.Vector2();
  }

  /** Draws the mirrored view for `camera` (before the frame itself is drawn). */
  update(renderer, scene, camera) {
    const mesh = this.mesh;
    if (!mesh.visible) return;
    mesh.updateWorldMatrix(true, false);
    const point = new THREE.Vector3().setFromMatrixPosition(mesh.matrixWorld);
    const normal = new THREE.Vector3(0, 0, 1).transformDirection(mesh.matrixWorld);
    const eye = new THREE.Vector3().setFromMatrixPosition(camera.matrixWorld);
    if (eye.clone().sub(point).dot(normal) <= 0) return; // seen from below: planes are one-sided
    const reflect = (v) => v.sub(normal.clone().multiplyScalar(2 * v.clone().sub(point).dot(normal)));
    const direction = new THREE.Vector3(0, 0, -1).transformDirection(camera.matrixWorld);
    const up = new THREE.Vector3(0, 1, 0).transformDirection(camera.matrixWorld);
    const mirror = this.camera;
    mirror.position.copy(reflect(eye.clone()));
    const look = reflect(eye.clone().add(direction));
    mirror.up.copy(up.sub(normal.clone().multiplyScalar(2 * up.dot(normal))));
    mirror.lookAt(look);
    mirror.fov = camera.fov;
    mirror.aspect = camera.aspect;
    mirror.near = camera.near;
    mirror.far = camera.far;
    mirror.updateProjectionMatrix();
    mirror.updateMatrixWorld();
    this.textureMatrix.copy(BIAS).multiply(mirror.projectionMatrix).multiply(mirror.matrixWorldInverse);

    renderer.getDrawingBufferSize(this.size);
    if (this.target.width !== this.size.x || this.target.height !== this.size.y) this.target.setSize(this.size.x, this.size.y);
    const clip = new THREE.Plane().setFromNormalAndCoplanarPoint(normal, point);
    const savedClipping = renderer.clippingPlanes;
    const savedTarget = renderer.getRenderTarget();
    mesh.visible = false;
    renderer.clippingPlanes = [clip];
    renderer.setRenderTarget(this.target);
    renderer.clear();
    renderer.render(scene, mirror);
    renderer.setRenderTarget(savedTarget);
    renderer.clippingPlanes = savedClipping;
    mesh.visible = true;
  }

  dispose() {
    this.target.dispose();
  }
}
