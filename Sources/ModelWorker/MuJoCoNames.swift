import CMuJoCo

/// MuJoCo's enum values as the words our documents use: the C name in lower case without its
/// prefix (`mjGEOM_CAPSULE` → `capsule`, `mjSENS_E_POTENTIAL` → `e_potential`). Tables are
/// keyed by the C constants, not by position, so a value MuJoCo inserts cannot shift them;
/// a value missing here reads as `unknown(N)`.
enum MuJoCoNames {
  static func geom(_ value: Int32) -> String { word(value, geoms) }
  static func joint(_ value: Int32) -> String { word(value, joints) }
  static func texture(_ value: Int32) -> String { word(value, textures) }
  static func colorSpace(_ value: Int32) -> String { word(value, colorSpaces) }
  static func light(_ value: Int32) -> String { word(value, lights) }
  static func trackingMode(_ value: Int32) -> String { word(value, trackingModes) }
  static func projection(_ value: Int32) -> String { word(value, projections) }
  static func transmission(_ value: Int32) -> String { word(value, transmissions) }
  static func sensor(_ value: Int32) -> String { word(value, sensors) }
  static func object(_ value: Int32) -> String { word(value, objects) }

  private static func word(_ value: Int32, _ table: [UInt32: String]) -> String {
    guard value >= 0, let word = table[UInt32(value)] else { return "unknown(\(value))" }
    return word
  }

  private static let geoms: [UInt32: String] = [
    mjGEOM_PLANE.rawValue: "plane", mjGEOM_HFIELD.rawValue: "hfield",
    mjGEOM_SPHERE.rawValue: "sphere", mjGEOM_CAPSULE.rawValue: "capsule",
    mjGEOM_ELLIPSOID.rawValue: "ellipsoid", mjGEOM_CYLINDER.rawValue: "cylinder",
    mjGEOM_BOX.rawValue: "box", mjGEOM_MESH.rawValue: "mesh", mjGEOM_SDF.rawValue: "sdf",
  ]

  private static let joints: [UInt32: String] = [
    mjJNT_FREE.rawValue: "free", mjJNT_BALL.rawValue: "ball", mjJNT_SLIDE.rawValue: "slide",
    mjJNT_HINGE.rawValue: "hinge",
  ]

  private static let textures: [UInt32: String] = [
    mjTEXTURE_2D.rawValue: "2d", mjTEXTURE_CUBE.rawValue: "cube",
    mjTEXTURE_SKYBOX.rawValue: "skybox",
  ]

  private static let colorSpaces: [UInt32: String] = [
    mjCOLORSPACE_AUTO.rawValue: "auto", mjCOLORSPACE_LINEAR.rawValue: "linear",
    mjCOLORSPACE_SRGB.rawValue: "srgb",
  ]

  private static let lights: [UInt32: String] = [
    mjLIGHT_SPOT.rawValue: "spot", mjLIGHT_DIRECTIONAL.rawValue: "directional",
    mjLIGHT_POINT.rawValue: "point", mjLIGHT_IMAGE.rawValue: "image",
  ]

  private static let trackingModes: [UInt32: String] = [
    mjCAMLIGHT_FIXED.rawValue: "fixed", mjCAMLIGHT_TRACK.rawValue: "track",
    mjCAMLIGHT_TRACKCOM.rawValue: "trackcom", mjCAMLIGHT_TARGETBODY.rawValue: "targetbody",
    mjCAMLIGHT_TARGETBODYCOM.rawValue: "targetbodycom",
  ]

  private static let projections: [UInt32: String] = [
    mjPROJ_PERSPECTIVE.rawValue: "perspective", mjPROJ_ORTHOGRAPHIC.rawValue: "orthographic",
  ]

  private static let transmissions: [UInt32: String] = [
    mjTRN_JOINT.rawValue: "joint", mjTRN_JOINTINPARENT.rawValue: "jointinparent",
    mjTRN_SLIDERCRANK.rawValue: "slidercrank", mjTRN_TENDON.rawValue: "tendon",
    mjTRN_SITE.rawValue: "site", mjTRN_BODY.rawValue: "body", mjTRN_SO3.rawValue: "so3",
    mjTRN_UNDEFINED.rawValue: "undefined",
  ]

  private static let sensors: [UInt32: String] = [
    mjSENS_TOUCH.rawValue: "touch", mjSENS_ACCELEROMETER.rawValue: "accelerometer",
    mjSENS_VELOCIMETER.rawValue: "velocimeter", mjSENS_GYRO.rawValue: "gyro",
    mjSENS_FORCE.rawValue: "force", mjSENS_TORQUE.rawValue: "torque",
    mjSENS_MAGNETOMETER.rawValue: "magnetometer", mjSENS_RANGEFINDER.rawValue: "rangefinder",
    mjSENS_CAMPROJECTION.rawValue: "camprojection", mjSENS_JOINTPOS.rawValue: "jointpos",
    mjSENS_JOINTVEL.rawValue: "jointvel", mjSENS_TENDONPOS.rawValue: "tendonpos",
    mjSENS_TENDONVEL.rawValue: "tendonvel", mjSENS_ACTUATORPOS.rawValue: "actuatorpos",
    mjSENS_ACTUATORVEL.rawValue: "actuatorvel", mjSENS_ACTUATORFRC.rawValue: "actuatorfrc",
    mjSENS_JOINTACTFRC.rawValue: "jointactfrc", mjSENS_TENDONACTFRC.rawValue: "tendonactfrc",
    mjSENS_BALLQUAT.rawValue: "ballquat", mjSENS_BALLANGVEL.rawValue: "ballangvel",
    mjSENS_JOINTLIMITPOS.rawValue: "jointlimitpos", mjSENS_JOINTLIMITVEL.rawValue: "jointlimitvel",
    mjSENS_JOINTLIMITFRC.rawValue: "jointlimitfrc",
    mjSENS_TENDONLIMITPOS.rawValue: "tendonlimitpos",
    mjSENS_TENDONLIMITVEL.rawValue: "tendonlimitvel",
    mjSENS_TENDONLIMITFRC.rawValue: "tendonlimitfrc", mjSENS_FRAMEPOS.rawValue: "framepos",
    mjSENS_FRAMEQUAT.rawValue: "framequat", mjSENS_FRAMEXAXIS.rawValue: "framexaxis",
    mjSENS_FRAMEYAXIS.rawValue: "frameyaxis", mjSENS_FRAMEZAXIS.rawValue: "framezaxis",
    mjSENS_FRAMELINVEL.rawValue: "framelinvel", mjSENS_FRAMEANGVEL.rawValue: "frameangvel",
    mjSENS_FRAMELINACC.rawValue: "framelinacc", mjSENS_FRAMEANGACC.rawValue: "frameangacc",
    mjSENS_SUBTREECOM.rawValue: "subtreecom", mjSENS_SUBTREELINVEL.rawValue: "subtreelinvel",
    mjSENS_SUBTREEANGMOM.rawValue: "subtreeangmom", mjSENS_INSIDESITE.rawValue: "insidesite",
    mjSENS_GEOMDIST.rawValue: "geomdist", mjSENS_GEOMNORMAL.rawValue: "geomnormal",
    mjSENS_GEOMFROMTO.rawValue: "geomfromto", mjSENS_CONTACT.rawValue: "contact",
    mjSENS_E_POTENTIAL.rawValue: "e_potential", mjSENS_E_KINETIC.rawValue: "e_kinetic",
    mjSENS_CLOCK.rawValue: "clock", mjSENS_TACTILE.rawValue: "tactile",
    mjSENS_PLUGIN.rawValue: "plugin", mjSENS_USER.rawValue: "user",
  ]

  private static let objects: [UInt32: String] = [
    mjOBJ_UNKNOWN.rawValue: "unknown", mjOBJ_BODY.rawValue: "body", mjOBJ_XBODY.rawValue: "xbody",
    mjOBJ_JOINT.rawValue: "joint", mjOBJ_DOF.rawValue: "dof", mjOBJ_GEOM.rawValue: "geom",
    mjOBJ_SITE.rawValue: "site", mjOBJ_CAMERA.rawValue: "camera", mjOBJ_LIGHT.rawValue: "light",
    mjOBJ_FLEX.rawValue: "flex", mjOBJ_MESH.rawValue: "mesh", mjOBJ_SKIN.rawValue: "skin",
    mjOBJ_HFIELD.rawValue: "hfield", mjOBJ_TEXTURE.rawValue: "texture",
    mjOBJ_MATERIAL.rawValue: "material", mjOBJ_PAIR.rawValue: "pair",
    mjOBJ_EXCLUDE.rawValue: "exclude", mjOBJ_EQUALITY.rawValue: "equality",
    mjOBJ_TENDON.rawValue: "tendon", mjOBJ_ACTUATOR.rawValue: "actuator",
    mjOBJ_SENSOR.rawValue: "sensor", mjOBJ_NUMERIC.rawValue: "numeric",
    mjOBJ_TEXT.rawValue: "text", mjOBJ_TUPLE.rawValue: "tuple", mjOBJ_KEY.rawValue: "key",
    mjOBJ_PLUGIN.rawValue: "plugin",
  ]
}
