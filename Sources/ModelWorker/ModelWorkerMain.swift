import Foundation
import MuJoCo
import Rendering
import Workers

#if canImport(Glibc)
  import Glibc
#endif

/// The process side of `tau worker`: reads requests on stdin and answers on
/// the descriptor that was stdout.
///
/// stdout itself is pointed at stderr first, so anything MuJoCo or a GL
/// driver prints can never corrupt the protocol.
public enum ModelWorkerMain {
  /// With `warmGL`, the GL context is made before `hello`: a warm worker of the server's
  /// render pool then holds it before any episode needs a frame.
  public static func run(platform: GLPlatform, warmGL: Bool = false) -> Never {
    let protocolDescriptor = dup(1)
    dup2(2, 1)
    let output = FrameStream(descriptor: protocolDescriptor)
    let input = FrameStream(descriptor: 0)

    // MuJoCo's fatal errors end this process; the parent hears why first.
    FatalErrorHandler.install { message in
      try? output.write(ModelWorkerReply.fatal(message: message).frame)
    }
    do {
      try MuJoCoLibrary.checkPinnedVersion()
    } catch {
      try? output.write(ModelWorkerReply.fatal(message: String(describing: error)).frame)
      exit(2)
    }

    leaveForEmptyFolder()
    let service = ModelWorkerService(platform: platform)
    if warmGL { service.warmUpGL() }
    do {
      try output.write(service.hello().frame)
      while let request = try input.read() {
        try output.write(service.handle(request).frame)
      }
      exit(0)
    } catch {
      FileHandle.standardError.write(Data("tau worker: \(error)\n".utf8))
      exit(1)
    }
  }

  /// Moves the worker into a folder made for it and removed at once: a file name MuJoCo
  /// does not find in a confined model's VFS falls through to the disk, relative to here,
  /// and finds nothing (and nothing can be created in a removed folder). Paths the worker is
  /// given are absolute.
  static func leaveForEmptyFolder() {
    var template = Array("/tmp/tau-worker-XXXXXX".utf8CString)
    guard let folder = mkdtemp(&template) else { return }
    if chdir(folder) == 0 { rmdir(folder) }
  }
}
