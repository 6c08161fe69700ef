extension UnsafeMutablePointer {
  /// Row `index` of a C array of `width` values per row (`geom_size`, `light_pos`...).
  func row(_ index: Int, _ width: Int) -> [Pointee] {
    Array(UnsafeBufferPointer(start: self + index * width, count: width))
  }
}
