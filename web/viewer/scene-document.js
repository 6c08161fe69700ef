// Reads the binary scene document (docs/SCENE.md): "TAUSCENE", a u32 header length, the
// JSON header, then 8-byte aligned buffers that are viewed in place, never copied.

const MAGIC = "TAUSCENE";

/** Parses a document: {header, buffer(ref) → typed array or Uint8Array (png)}. */
export function parseSceneDocument(arrayBuffer) {
  const bytes = new Uint8Array(arrayBuffer);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== MAGIC) throw new Error("not a scene document (no TAUSCENE magic)");
  const length = new DataView(arrayBuffer).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)), reviveNumbers);
  const area = Math.ceil((12 + length) / 8) * 8;
  const buffer = (ref) => {
    if (!ref || typeof ref.offset !== "number") return null;
    const start = area + ref.offset;
    switch (ref.type) {
      case "f32": return new Float32Array(arrayBuffer, start, ref.length / 4);
      case "u32": return new Uint32Array(arrayBuffer, start, ref.length / 4);
      default: return new Uint8Array(arrayBuffer, start, ref.length);
    }
  };
  return { header, buffer };
}

// Non-finite numbers travel as strings (JSON has none).
function reviveNumbers(_key, value) {
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  if (value === "NaN") return NaN;
  return value;
}

/** The pose epoch of a document epoch: its first 8 hex digits as a u32. */
export function poseEpoch(epoch) {
  const value = parseInt(String(epoch || "").slice(0, 8), 16);
  return Number.isFinite(value) ? value >>> 0 : 0;
}
