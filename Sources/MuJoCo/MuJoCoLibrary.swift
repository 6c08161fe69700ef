import CMuJoCo

/// The MuJoCo library this process loaded, and the version tau-sim pins.
///
/// scripts/setup links `.mujoco/lib/libmujoco.so` to the pinned wheel's
/// library, so the Swift side and the Python worker run the same file. A
/// mismatch means setup has not run (or ran for another version) and every
/// state exchanged between the two sides would be suspect.
public enum MuJoCoLibrary {
  /// The MuJoCo version scripts/setup installs (MUJOCO_VERSION, from the `mujoco-core` wheel).
  public static let pinnedVersion = "4.0.1"

  /// The version string of the library loaded at run time.
  public static var loadedVersion: String { String(cString: mj_versionString()) }

  /// Throws when the loaded library is not the pinned one, naming the fix.
  public static func checkPinnedVersion() throws {
    let loaded = loadedVersion
    guard loaded == pinnedVersion, mj_version() == tau_mujoco_header_version() else {
      throw MuJoCoSetupError.versionMismatch(loaded: loaded, pinned: pinnedVersion)
    }
  }
}

/// Setup problems that the user fixes by running a command.
public enum MuJoCoSetupError: Error, CustomStringConvertible {
  case versionMismatch(loaded: String, pinned: String)

  public var description: String {
    switch self {
    case .versionMismatch(let loaded, let pinned):
      return "MuJoCo \(loaded) is loaded but tau-sim needs \(pinned); run `make setup` "
        + "(scripts/setup) in the tau-sim folder"
    }
  }
}
