import CMuJoCo
import MuJoCo

extension SceneDocument {
  /// Every mesh of the model once, by mesh id (geoms that share a mesh name it by index).
  ///
  /// MuJoCo keeps positions, normals and texture coordinates in separate pools, each face
  /// corner indexing each pool on its own (`mesh_face`, `mesh_facenormal`,
  /// `mesh_facetexcoord`, all local to the mesh). WebGL wants one index per vertex, so every
  /// distinct (position, normal, texcoord) triple of the corners becomes one vertex: a
  /// smooth mesh keeps its shared vertices, a hard edge gets one per side.
  static func meshes(_ model: Model, into buffers: inout Buffers) throws -> [SceneHeader.Mesh] {
    try (0..<Int(model.pointer.pointee.nmesh)).map { id in
      try mesh(model, id: id, into: &buffers)
    }
  }

  /// One corner's indices into the three pools.
  private struct Corner: Hashable {
    var vertex: Int32
    var normal: Int32
    var texcoord: Int32
  }

  private static func mesh(
    _ model: Model, id: Int, into buffers: inout Buffers
  ) throws -> SceneHeader.Mesh {
    let m = model.pointer.pointee
    let vertexStart = Int(m.mesh_vertadr[id])
    let vertexCount = Int(m.mesh_vertnum[id])
    let faceStart = Int(m.mesh_faceadr[id])
    let faceCount = Int(m.mesh_facenum[id])
    let normalStart = Int(m.mesh_normaladr[id])
    let normalCount = normalStart >= 0 ? Int(m.mesh_normalnum[id]) : 0
    let texcoordStart = Int(m.mesh_texcoordadr[id])
    let texcoordCount = texcoordStart >= 0 ? Int(m.mesh_texcoordnum[id]) : 0
    let hasNormals = normalCount > 0
    let hasTexcoords = texcoordCount > 0

    var vertices: [Corner: UInt32] = [:]
    vertices.reserveCapacity(min(faceCount * 3, vertexCount * 2 + 16))
    var positions: [Float] = []
    var normals: [Float] = []
    var texcoords: [Float] = []
    var indices: [UInt32] = []
    positions.reserveCapacity(vertexCount * 3)
    indices.reserveCapacity(faceCount * 3)

    for corner in (3 * faceStart)..<(3 * (faceStart + faceCount)) {
      let key = Corner(
        vertex: m.mesh_face[corner], normal: hasNormals ? m.mesh_facenormal[corner] : 0,
        texcoord: hasTexcoords ? m.mesh_facetexcoord[corner] : 0)
      if let index = vertices[key] {
        indices.append(index)
        continue
      }
      guard key.vertex >= 0, Int(key.vertex) < vertexCount,
        !hasNormals || (key.normal >= 0 && Int(key.normal) < normalCount),
        !hasTexcoords || (key.texcoord >= 0 && Int(key.texcoord) < texcoordCount)
      else {
        throw SceneDocumentError.malformed(
          "mesh \(id) has a face corner outside its vertices, normals or texture coordinates")
      }
      let index = UInt32(positions.count / 3)
      vertices[key] = index
      indices.append(index)
      let vertex = 3 * (vertexStart + Int(key.vertex))
      positions.append(contentsOf: UnsafeBufferPointer(start: m.mesh_vert + vertex, count: 3))
      if hasNormals {
        let normal = 3 * (normalStart + Int(key.normal))
        normals.append(contentsOf: UnsafeBufferPointer(start: m.mesh_normal + normal, count: 3))
      }
      if hasTexcoords {
        let texcoord = 2 * (texcoordStart + Int(key.texcoord))
        texcoords.append(
          contentsOf: UnsafeBufferPointer(start: m.mesh_texcoord + texcoord, count: 2))
      }
    }

    return SceneHeader.Mesh(
      id: id, name: model.name(of: mjOBJ_MESH, id: id), vertexCount: positions.count / 3,
      triangleCount: faceCount, positions: try buffers.append(floats: positions),
      normals: hasNormals ? try buffers.append(floats: normals) : nil,
      texcoords: hasTexcoords ? try buffers.append(floats: texcoords) : nil,
      indices: try buffers.append(indices: indices))
  }
}
