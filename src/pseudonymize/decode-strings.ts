// Turns many short outputs written as bytes into strings without one native call per value: each chunk of values is
// decoded once and the values are sliced from it (V8 keeps a slice as a view of the chunk's string).

/** Chunks stay far below V8's largest string (2^29 − 24 units) whatever the row count. */
const CHUNK_UNITS = 1 << 24;

/**
 * The strings whose Latin-1 bytes (one per UTF-16 unit below 0x100) or UTF-16 units lie in `units`, value i at
 * [ends[i − 1], ends[i]) (ends[−1] = 0).
 */
export function decodeStrings(units: Uint8Array | Uint16Array, ends: Int32Array): string[] {
  // Buffer's latin1 is ISO-8859-1 (TextDecoder's is windows-1252, which remaps 0x80–0x9f).
  const encoding = units instanceof Uint8Array ? 'latin1' : 'utf16le';
  const strings = new Array<string>(ends.length);
  let first = 0;
  while (first < ends.length) {
    const chunkStart = first === 0 ? 0 : ends[first - 1];
    let last = first;
    while (last < ends.length && ends[last] - chunkStart <= CHUNK_UNITS) last++;
    if (last === first) last++; // one value longer than a chunk is a chunk of its own
    const chunk = units.subarray(chunkStart, ends[last - 1]);
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(encoding);
    for (let i = first; i < last; i++) strings[i] = text.slice((i === 0 ? 0 : ends[i - 1]) - chunkStart, ends[i] - chunkStart);
    first = last;
  }
  return strings;
}
