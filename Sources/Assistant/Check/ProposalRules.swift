import Foundation
import Projects

/// Which proposals may be shown as applicable: a text file inside the project, at a path the
/// API accepts, no larger than one write may be. A binary (a mesh, a texture) is never
/// written by a model: importing robots is the importer's job.
public enum ProposalRules {
  /// Extensions of files that are not text a model should write.
  static let binaryExtensions: Set<String> = [
    "stl", "obj", "msh", "skn", "png", "jpg", "jpeg", "gif", "bmp", "hdr", "exr", "npy",
    "npz", "zip", "gz", "tar", "xz", "so", "dll", "bin", "mp4", "pkl", "pt", "onnx", "pyc",
  ]

  /// Splits `proposals` into those that may be checked and those refused, with why.
  public static func sort(_ proposals: [Proposal], maxFileBytes: Int)
    -> (accepted: [Proposal], refused: [RefusedProposal])
  {
    var accepted: [Proposal] = []
    var refused: [RefusedProposal] = []
    var seen: Set<String> = []
    for proposal in proposals {
      if let reason = refusal(of: proposal, maxFileBytes: maxFileBytes) {
        refused.append(RefusedProposal(path: proposal.path, reason: reason))
      } else if !seen.insert(proposal.path).inserted {
        refused.append(RefusedProposal(path: proposal.path, reason: "proposed twice"))
      } else {
        accepted.append(proposal)
      }
    }
    return (accepted, refused)
  }

  static func refusal(of proposal: Proposal, maxFileBytes: Int) -> String? {
    let path: SafePath
    do {
      path = try SafePath(proposal.path)
    } catch let error as ProjectError {
      return "not a project path: \(error.message)"
    } catch {
      return "not a project path"
    }
    guard path.segments.allSatisfy(SafePath.isVisible(name:)) else {
      return "a hidden file: proposals may only write the project's own files"
    }
    let ext = (path.fileName as NSString).pathExtension.lowercased()
    if binaryExtensions.contains(ext) {
      return "a binary file (.\(ext)): models do not write meshes or textures"
    }
    if proposal.newContent.utf8.count > maxFileBytes {
      return "larger than one file may be (\(ProjectLimits.describe(bytes: maxFileBytes)))"
    }
    if proposal.newContent.contains("\u{0}") { return "not text (it holds a NUL byte)" }
    return nil
  }
}
