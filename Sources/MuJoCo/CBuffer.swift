extension String {
  /// The text a C function wrote into `buffer` (an error message), up to its first NUL.
  public init(cBuffer buffer: [CChar]) {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    self.init(decoding: bytes, as: UTF8.self)
  }
}
