/// The JSON header of a scene document, field by field as `docs/SCENE.md` describes it.
/// Property names are camel case here and snake case on the wire (`SceneDocument+Model`
/// encodes with `.convertToSnakeCase`). Ids are MuJoCo's, and every list is in id order, so
/// `geoms[i].id == i`; -1 means none. Positions are metres, quaternions (w, x, y, z).
struct SceneHeader: Codable {
  var format = "tau-scene"
  var version = 1
  /// The hash of the compiled model (SHA-256 of `mj_saveModel`'s bytes, hex): a new model is a
  /// new epoch, and pose frames of another epoch do not apply.
  var epoch: String
  var model: String
  var bodies: [Body]
  var geoms: [Geom]
  var meshes: [Mesh]
  var hfields: [HeightField]
  var textures: [Texture]
  var materials: [Material]
  var lights: [Light]
  var cameras: [Camera]
  /// The first skybox texture, or -1.
  var skybox: Int
  var visual: Visual
  var statistic: Statistic

  struct Body: Codable {
    var id: Int
    var name: String
    /// -1 for the world.
    var parent: Int
    /// Whether its pose can change: it is not welded to the world, or it is a mocap body.
    var moving: Bool
    var mocap: Bool
    var mass: Double
    /// The body's frame in the world at qpos0 (`xpos`, `xquat`).
    var pos: [Double]
    var quat: [Double]
    /// The frame relative to its parent's, as the model holds it (`body_pos`, `body_quat`).
    var localPos: [Double]
    var localQuat: [Double]
  }

  struct Geom: Codable {
    var id: Int
    var name: String
    var body: Int
    /// plane, hfield, sphere, capsule, ellipsoid, cylinder, box, mesh or sdf.
    var type: String
    var size: [Double]
    /// In the body's frame.
    var pos: [Double]
    var quat: [Double]
    var group: Int
    /// The colour after MuJoCo's rule (`GeomAppearance`); alpha 0 is not drawn.
    var rgba: [Float]
    var material: Int
    /// The material's colour texture, or -1.
    var texture: Int
    var emission: Float
    var specular: Float
    var shininess: Float
    var reflectance: Float
    /// Index into `meshes` (mesh and sdf geoms), else -1.
    var mesh: Int
    /// Index into `hfields`, else -1.
    var hfield: Int
  }

  /// An indexed triangle mesh built from MuJoCo's per-corner streams: one vertex per unique
  /// (position, normal, texcoord) corner.
  struct Mesh: Codable {
    var id: Int
    var name: String
    var vertexCount: Int
    var triangleCount: Int
    /// f32 x, y, z per vertex, in the mesh's frame (scale and recentring already applied).
    var positions: SceneDocument.BufferReference
    var normals: SceneDocument.BufferReference?
    /// f32 u, v per vertex; absent when the mesh has none.
    var texcoords: SceneDocument.BufferReference?
    /// u32, three per triangle.
    var indices: SceneDocument.BufferReference
  }

  struct HeightField: Codable {
    var id: Int
    var name: String
    /// (x, y, z_top, z_bottom): half-sizes, the top's height, the base's depth.
    var size: [Double]
    var nrow: Int
    var ncol: Int
    /// f32 elevations in [0, 1], `nrow` rows of `ncol`; a sample's height is `value * size[2]`.
    var data: SceneDocument.BufferReference
  }

  struct Texture: Codable {
    var id: Int
    var name: String
    /// 2d, cube or skybox. Cube and skybox textures hold 6 square faces stacked as MuJoCo
    /// stores them (+X, -X, +Y, -Y, +Z, -Z; height = 6 x width).
    var type: String
    var width: Int
    var height: Int
    var nchannel: Int
    var colorspace: String
    /// The pixels as PNG, rows in MuJoCo's order; absent when the model holds none.
    var png: SceneDocument.BufferReference?
  }

  struct Material: Codable {
    var id: Int
    var name: String
    var rgba: [Float]
    var emission: Float
    var specular: Float
    var shininess: Float
    var reflectance: Float
    var metallic: Float
    var roughness: Float
    var texrepeat: [Float]
    var texuniform: Bool
    /// Its colour texture (the RGB role, else RGBA), or -1.
    var texture: Int
  }

  struct Light: Codable {
    var id: Int
    var name: String
    var body: Int
    /// spot, directional, point or image.
    var type: String
    var directional: Bool
    var castshadow: Bool
    var active: Bool
    /// In the body's frame, and in the world at qpos0.
    var pos: [Double]
    var dir: [Double]
    var xpos: [Double]
    var xdir: [Double]
    var ambient: [Float]
    var diffuse: [Float]
    var specular: [Float]
    var attenuation: [Float]
    /// Spot half-angle in degrees.
    var cutoff: Float
    var exponent: Float
    var intensity: Float
    var range: Float
    var bulbradius: Float
    /// fixed, track, trackcom, targetbody or targetbodycom.
    var mode: String
    var target: Int
    /// Whether its pose can change: its body moves, or its mode follows a part that does.
    var moving: Bool
  }

  struct Camera: Codable {
    var id: Int
    var name: String
    var body: Int
    var mode: String
    var target: Int
    /// In the body's frame, and in the world at qpos0.
    var pos: [Double]
    var quat: [Double]
    var xpos: [Double]
    var xquat: [Double]
    var fovy: Double
    var ipd: Double
    var projection: String
    var resolution: [Int]
    var moving: Bool
  }

  struct Visual: Codable {
    var global: Global
    var headlight: Headlight
    var map: Map
    var quality: Quality
    var rgba: Colours

    struct Global: Codable {
      var fovy: Float
      var azimuth: Float
      var elevation: Float
      var ipd: Float
      var orthographic: Bool
      /// The camera a viewer starts with, -1 for the free camera.
      var cameraid: Int
    }

    struct Headlight: Codable {
      var ambient: [Float]
      var diffuse: [Float]
      var specular: [Float]
      /// 0: off, 1: on, 2: auto (MuJoCo decides).
      var active: Int
    }

    struct Map: Codable {
      var znear: Float
      var zfar: Float
      var shadowclip: Float
      var shadowscale: Float
      var stiffness: Float
      var stiffnessrot: Float
      var fogstart: Float
      var fogend: Float
      var haze: Float
      var alpha: Float
    }

    struct Quality: Codable {
      var shadowsize: Int
      var offsamples: Int
    }

    struct Colours: Codable {
      var fog: [Float]
      var haze: [Float]
    }
  }

  struct Statistic: Codable {
    var center: [Double]
    var extent: Double
    var meansize: Double
    var meanmass: Double
  }
}
