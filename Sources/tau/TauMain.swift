import Foundation
import MuJoCo

/// Entry point: checks the MuJoCo library before any command runs, so a
/// stale or foreign libmujoco is named with its fix instead of failing later.
@main
enum TauMain {
  static func main() async {
    do {
      try MuJoCoLibrary.checkPinnedVersion()
    } catch {
      FileHandle.standardError.write(Data("tau: \(error)\n".utf8))
      exit(2)
    }
    await Tau.main()
  }
}
