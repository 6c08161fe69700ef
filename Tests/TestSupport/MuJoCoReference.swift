import Foundation

/// What MuJoCo's own Python bindings (`.venv`) say about models, for cross-checks of what
/// tau workers describe: counts, each geom's colour by the classic renderer's rule, which
/// bodies can move, joints and actuators.
///
/// Unchecked Sendable: `[String: Any]` from JSONSerialization holds only immutable
/// Foundation values.
public struct MuJoCoReference: @unchecked Sendable {
  public let facts: [String: Any]

  public var ngeom: Int { facts["ngeom"] as? Int ?? -1 }
  public var nmesh: Int { facts["nmesh"] as? Int ?? -1 }
  public var nbody: Int { facts["nbody"] as? Int ?? -1 }
  public var ntex: Int { facts["ntex"] as? Int ?? -1 }
  /// Each geom's colour after MuJoCo's rule (material unless the geom's rgba is not the default).
  public var rgba: [[Double]] { facts["rgba"] as? [[Double]] ?? [] }
  public var material: [Int] { facts["material"] as? [Int] ?? [] }
  public var moving: [Bool] { facts["moving"] as? [Bool] ?? [] }
  public var joints: [String] { facts["joints"] as? [String] ?? [] }
  /// Actuators by name, with their control range (nil when not limited).
  public var actuators: [(name: String, ctrlrange: [Double]?)] {
    (facts["actuators"] as? [[String: Any]] ?? []).map {
      ($0["name"] as? String ?? "", $0["ctrlrange"] as? [Double])
    }
  }

  static let script = """
    import json, sys
    import mujoco
    import numpy as np

    out = []
    for path in sys.argv[1:]:
        m = mujoco.MjModel.from_xml_path(path)
        default = np.array([0.5, 0.5, 0.5, 1], dtype=np.float32)
        rgba = []
        for g in range(m.ngeom):
            own = m.geom_rgba[g].astype(np.float32)
            mat = int(m.geom_matid[g])
            use_material = mat >= 0 and np.array_equal(own, default)
            rgba.append([float(x) for x in (m.mat_rgba[mat] if use_material else own)])
        moving = [b > 0 and (int(m.body_weldid[b]) != 0 or int(m.body_mocapid[b]) >= 0)
                  for b in range(m.nbody)]
        actuators = []
        for a in range(m.nu):
            limited = bool(m.actuator_ctrllimited[a])
            actuators.append({
                "name": mujoco.mj_id2name(m, mujoco.mjtObj.mjOBJ_ACTUATOR, a) or "",
                "ctrlrange": [float(x) for x in m.actuator_ctrlrange[a]] if limited else None,
            })
        out.append({
            "ngeom": int(m.ngeom), "nmesh": int(m.nmesh), "nbody": int(m.nbody),
            "ntex": int(m.ntex), "rgba": rgba,
            "material": [int(x) for x in m.geom_matid], "moving": moving,
            "joints": [mujoco.mj_id2name(m, mujoco.mjtObj.mjOBJ_JOINT, j) or ""
                       for j in range(m.njnt)],
            "actuators": actuators,
        })
    print(json.dumps(out))
    """

  /// The facts of each model file, in order.
  public static func of(_ paths: [String]) async throws -> [MuJoCoReference] {
    let result = try await ProcessRunner.python(script, paths)
    guard result.status == 0,
      let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        as? [[String: Any]]
    else {
      throw SceneDocumentReader.FormatError(
        description: "MuJoCo's python bindings failed: \(result.stderr.suffix(2000))")
    }
    return list.map(MuJoCoReference.init(facts:))
  }
}
