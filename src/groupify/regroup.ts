// The hot kernel: generalize while grouping. Maps every source class's key through per-attribute level maps and
// hashes the packed result into target classes, summing sizes and sensitive histograms; no row is touched.

import type { EquivalenceClasses, SensitiveHistograms } from './equivalence-classes.js';

export interface RegroupResult {
  readonly classes: EquivalenceClasses;
  /** sourceToClass[s]: the target class that source class s fell into. */
  readonly sourceToClass: Int32Array;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/**
 * Regroups `source` into the classes of a coarser node.
 * `maps[j]` sends source label codes of attribute j to target label codes (null: unchanged);
 * `domainSizes[j]` bounds the target codes of attribute j (used to pack keys into one number).
 */
export function regroup(
  source: EquivalenceClasses,
  maps: readonly (Int32Array | null)[],
  targetLevels: Int32Array,
  domainSizes: readonly number[],
): RegroupResult {
  const width = source.width;
  let keySpace = 1;
  for (let j = 0; j < width; j++) keySpace *= Math.max(1, domainSizes[j]);

  const capacity = tableCapacity(source.count);
  const slots = new Int32Array(capacity); // class index + 1; 0 = empty
  const mask = capacity - 1;
  const targetKeys = new Int32Array(source.count * width);
  const sizes = new Int32Array(source.count);
  const sourceToClass = new Int32Array(source.count);
  const scratch = new Int32Array(width);
  const sourceKeys = source.keys;
  const sourceSizes = source.sizes;
  let count = 0;

  if (keySpace < TWO_POW_53) {
    // Packed keys: exact in a double below 2^53; the hash folds the high word in only when it exists.
    const packed = new Float64Array(source.count);
    const wide = keySpace >= TWO_POW_32;
    for (let s = 0; s < source.count; s++) {
      let key = 0;
      const base = s * width;
      for (let j = 0; j < width; j++) {
        const map = maps[j];
        const code = map === null ? sourceKeys[base + j] : map[sourceKeys[base + j]];
        scratch[j] = code;
        key = key * domainSizes[j] + code;
      }
      const hashInput = wide ? (key >>> 0) ^ Math.floor(key / TWO_POW_32) : key;
      let slot = Math.imul(hashInput, 0x9e3779b1) & mask;
      let cls: number;
      for (;;) {
        const entry = slots[slot];
        if (entry === 0) {
          cls = count++;
          slots[slot] = cls + 1;
          packed[cls] = key;
          targetKeys.set(scratch, cls * width);
          break;
        }
        if (packed[entry - 1] === key) {
          cls = entry - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      sizes[cls] += sourceSizes[s];
      sourceToClass[s] = cls;
    }
  } else {
    // Beyond 2^53 the key cannot be packed exactly: hash the tuple and compare it code by code.
    for (let s = 0; s < source.count; s++) {
      let hash = 0x811c9dc5;
      const base = s * width;
      for (let j = 0; j < width; j++) {
        const map = maps[j];
        const code = map === null ? sourceKeys[base + j] : map[sourceKeys[base + j]];
        scratch[j] = code;
        hash = Math.imul(hash ^ code, 0x01000193);
      }
      let slot = Math.imul(hash, 0x9e3779b1) & mask;
      let cls: number;
      for (;;) {
        const entry = slots[slot];
        if (entry === 0) {
          cls = count++;
          slots[slot] = cls + 1;
          targetKeys.set(scratch, cls * width);
          break;
        }
        if (sameTuple(targetKeys, (entry - 1) * width, scratch, width)) {
          cls = entry - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      sizes[cls] += sourceSizes[s];
      sourceToClass[s] = cls;
    }
  }

  const sensitive = source.sensitive.map((histograms) => mergeHistograms(histograms, sourceToClass, count));
  return {
    classes: {
      count,
      width,
      levels: targetLevels,
      keys: targetKeys.slice(0, count * width),
      sizes: sizes.slice(0, count),
      sensitive,
    },
    sourceToClass,
  };
}

function sameTuple(keys: Int32Array, offset: number, tuple: Int32Array, width: number): boolean {
  for (let j = 0; j < width; j++) if (keys[offset + j] !== tuple[j]) return false;
  return true;
}

/** A power of two at least twice the number of entries, so linear probing stays short. */
export function tableCapacity(entries: number): number {
  let capacity = 16;
  while (capacity < entries * 2) capacity *= 2;
  return capacity;
}

/** Sums the sensitive histograms of the source classes falling into each target class (compact CSR out). */
export function mergeHistograms(source: SensitiveHistograms, sourceToClass: Int32Array, classCount: number): SensitiveHistograms {
  const sourceCount = sourceToClass.length;
  // Bucket source classes by target class (counting sort), so each target is merged in one pass.
  const bucketStart = new Int32Array(classCount + 1);
  for (let s = 0; s < sourceCount; s++) bucketStart[sourceToClass[s] + 1]++;
  for (let c = 0; c < classCount; c++) bucketStart[c + 1] += bucketStart[c];
  const order = new Int32Array(sourceCount);
  const fill = bucketStart.slice(0, classCount);
  for (let s = 0; s < sourceCount; s++) order[fill[sourceToClass[s]]++] = s;

  let domain = 0;
  for (let i = 0; i < source.codes.length; i++) if (source.codes[i] >= domain) domain = source.codes[i] + 1;
  const accumulated = new Int32Array(domain);
  const touched = new Int32Array(domain);

  const offsets = new Int32Array(classCount + 1);
  // A target class has at most as many entries as its sources together: size output by the source total.
  const codes = new Int32Array(source.codes.length);
  const counts = new Int32Array(source.codes.length);
  let written = 0;
  for (let c = 0; c < classCount; c++) {
    offsets[c] = written;
    let touchedCount = 0;
    for (let o = bucketStart[c]; o < bucketStart[c + 1]; o++) {
      const s = order[o];
      for (let e = source.offsets[s]; e < source.offsets[s + 1]; e++) {
        const code = source.codes[e];
        if (accumulated[code] === 0) touched[touchedCount++] = code;
        accumulated[code] += source.counts[e];
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const code = touched[t];
      codes[written] = code;
      counts[written] = accumulated[code];
      written++;
      accumulated[code] = 0;
    }
  }
  offsets[classCount] = written;
  return { offsets, codes: codes.slice(0, written), counts: counts.slice(0, written) };
}
