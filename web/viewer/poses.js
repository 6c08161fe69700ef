// Pose messages of the 3D stream (docs/STREAM.md): "TAUP", u32 epoch, u32 step, u16 bodies,
// u16 lights, f64 time, then float32 x y z qw qx qy qz per body and x y z dx dy dz per
// light. A replay ("TAUR") is a JSON header and such messages laid end to end.

const HEADER = 24;

/** One pose message (ArrayBuffer or a view of one) → {epoch, step, time, bodies, lights}. */
export function parsePose(data, byteOffset = 0) {
  const buffer = data instanceof ArrayBuffer ? data : data.buffer;
  const base = (data instanceof ArrayBuffer ? 0 : data.byteOffset) + byteOffset;
  const view = new DataView(buffer, base);
  if (view.getUint32(0, false) !== 0x54415550) throw new Error("not a pose message (no TAUP magic)");
  const bodyCount = view.getUint16(12, true);
  const lightCount = view.getUint16(14, true);
  const size = HEADER + 4 * (7 * bodyCount + 6 * lightCount);
  // The floats start 24 bytes in; copy when the message is not 4-byte aligned in its buffer.
  const floats = (base + HEADER) % 4 === 0
    ? new Float32Array(buffer, base + HEADER, 7 * bodyCount + 6 * lightCount)
    : new Float32Array(buffer.slice(base + HEADER, base + size));
  return {
    epoch: view.getUint32(4, true),
    step: view.getUint32(8, true),
    time: view.getFloat64(16, true),
    bodyCount,
    lightCount,
    bodies: floats.subarray(0, 7 * bodyCount),
    lights: floats.subarray(7 * bodyCount),
    size,
  };
}

/** A replay document → {header, poses: [pose...]}. */
export function parseReplay(arrayBuffer) {
  const view = new DataView(arrayBuffer);
  if (view.getUint32(0, false) !== 0x54415552) throw new Error("not a replay (no TAUR magic)");
  const length = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(arrayBuffer, 8, length)));
  const poses = [];
  let offset = 8 + length;
  while (offset + HEADER <= arrayBuffer.byteLength && poses.length < header.count) {
    const pose = parsePose(arrayBuffer, offset);
    poses.push(pose);
    offset += pose.size;
  }
  return { header, poses };
}
