import CMuJoCo
import MuJoCo

extension SceneDocument {
  /// Every height field's samples, as the model holds them (normalised to [0, 1]).
  static func heightFields(
    _ model: Model, into buffers: inout Buffers
  ) throws -> [SceneHeader.HeightField] {
    let m = model.pointer.pointee
    return try (0..<Int(m.nhfield)).map { id in
      let rows = Int(m.hfield_nrow[id])
      let columns = Int(m.hfield_ncol[id])
      let start = Int(m.hfield_adr[id])
      guard rows > 0, columns > 0, start >= 0, start + rows * columns <= Int(m.nhfielddata)
      else { throw SceneDocumentError.malformed("height field \(id) has no samples") }
      let samples = Array(UnsafeBufferPointer(start: m.hfield_data + start, count: rows * columns))
      return SceneHeader.HeightField(
        id: id, name: model.name(of: mjOBJ_HFIELD, id: id), size: m.hfield_size.row(id, 4),
        nrow: rows, ncol: columns, data: try buffers.append(floats: samples))
    }
  }
}
