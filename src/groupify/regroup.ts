// The hot kernel: generalize while grouping. Maps every source class's key through per-attribute level maps and
// hashes the result into target classes, summing sizes and sensitive histograms; no row is touched.

import type { CoarseKeys, EquivalenceClasses, LabelCodes, SensitiveHistograms } from './equivalence-classes.js';

export interface RegroupResult {
  readonly classes: EquivalenceClasses;
  /** sourceToClass[s]: the target class that source class s fell into. */
  readonly sourceToClass: Int32Array;
}

/**
 * One packing of class keys for a whole run: key = Σ code_j · strides[j], with each attribute's stride
 * covering its largest label domain over all levels, so the packing does not depend on the node.
 */
export interface KeyPacking {
  /** strides[j]: attribute j's place value within its word. */
  readonly strides: Float64Array;
  /** domains[j]: the codes of attribute j the packing covers (strides[j + 1] = strides[j] · domains[j] in a word). */
  readonly domains: Float64Array;
  /**
   * Numbers per key: 1 for the run's packing; a node's own packing takes as many as it needs to stay exact, each
   * holding a run of attributes (see wordPacking).
   */
  readonly words: number;
  /** wordOf[j]: the word that holds attribute j. */
  readonly wordOf: Int32Array;
  /** The largest key is below 2^53: keys are exact doubles. Otherwise tuples are compared code by code. */
  readonly exact: boolean;
  /** The largest key is below 2^31: the hash needs no high word. */
  readonly narrow: boolean;
  /** A zeroed array for `length` label codes, of the narrowest type that holds every attribute's codes. */
  readonly newLabelCodes: (length: number) => LabelCodes;
  /** Bytes per label code in those arrays. */
  readonly labelCodeBytes: number;
  /**
   * levelDomains[j][l]: the labels attribute j has at level l or any coarser one (their most), where known. Where the
   * packing is not exact, a target node's own domains are taken from here (see targetPacking).
   */
  readonly levelDomains?: readonly Int32Array[];
}

const TWO_POW_31 = 2147483648;
/** Stands for "no map" where a map is a cache key. */
const IDENTITY = new Int32Array(0);
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/**
 * A packing for attributes whose codes are below the given domain sizes; `labelsPerLevel[j][l]`, if given, is the
 * number of labels of attribute j at level l (see KeyPacking.levelDomains).
 */
export function keyPacking(domainSizes: readonly number[], labelsPerLevel?: readonly (readonly number[])[]): KeyPacking {
  const strides = new Float64Array(domainSizes.length);
  const domains = Float64Array.from(domainSizes, (size) => Math.max(1, size));
  let space = 1;
  for (let j = 0; j < domainSizes.length; j++) {
    strides[j] = space;
    space *= domains[j];
  }
  const largestDomain = Math.max(0, ...domainSizes);
  const newLabelCodes =
    largestDomain <= 256
      ? (length: number) => new Uint8Array(length)
      : largestDomain <= 65536
        ? (length: number) => new Uint16Array(length)
        : (length: number) => new Int32Array(length);
  const levelDomains = labelsPerLevel?.map((counts) => {
    const most = Int32Array.from(counts);
    for (let l = most.length - 2; l >= 0; l--) most[l] = Math.max(most[l], most[l + 1]);
    return most;
  });
  return {
    strides,
    domains,
    words: 1,
    wordOf: new Int32Array(domainSizes.length),
    exact: space <= TWO_POW_53,
    narrow: space <= TWO_POW_31,
    newLabelCodes,
    labelCodeBytes: newLabelCodes(0).BYTES_PER_ELEMENT,
    levelDomains,
  };
}

/**
 * An exact packing in as many words as needed: attributes in order, each word taking them while the product of their
 * domains stays below 2^53. Keys are compared word by word.
 */
function wordPacking(domainSizes: readonly number[]): KeyPacking {
  const base = keyPacking(domainSizes);
  const strides = new Float64Array(domainSizes.length);
  const wordOf = new Int32Array(domainSizes.length);
  let word = 0;
  let space = 1;
  for (let j = 0; j < domainSizes.length; j++) {
    if (space * base.domains[j] > TWO_POW_53) {
      word++;
      space = 1;
    }
    strides[j] = space;
    wordOf[j] = word;
    space *= base.domains[j];
  }
  return { ...base, strides, wordOf, words: word + 1, exact: true, narrow: false };
}

/**
 * Scratch memory reused across regroupings, so that checking thousands of nodes does not allocate (and zero)
 * megabytes per node. Grows on demand; the hash table is cleared slot by slot after use, not wholesale.
 */
export class RegroupWorkspace {
  slots = new Int32Array(0);
  slotOfClass = new Int32Array(0);
  packed = new Float64Array(0);
  /** Class keys of the tuple fallback (row-major); packed keys are decoded instead. */
  classes = new Int32Array(0);
  sourceToClass = new Int32Array(0);
  tuple = new Int32Array(0);
  /** targetKeys[s]: the packed key source class s maps to (pass one of the packed-key grouping). */
  targetKeys = new Float64Array(0);
  /** The keys of the classes of a grouping by several words (class c's words at c·words …). */
  wordKeys = new Float64Array(0);
  /** Per level map and stride, the key delta of every source code (level maps are shared, so this is too). */
  private readonly deltasByMap = new WeakMap<Int32Array, Map<number, Float64Array>>();
  private readonly deltasBetween = new WeakMap<Int32Array, WeakMap<Int32Array, Map<number, Float64Array>>>();

  reserve(sourceCount: number, width: number, exact: boolean): void {
    const capacity = tableCapacity(sourceCount);
    if (this.slots.length < capacity) this.slots = new Int32Array(capacity);
    if (this.sourceToClass.length < sourceCount) {
      this.slotOfClass = new Int32Array(sourceCount);
      this.packed = new Float64Array(sourceCount);
      this.sourceToClass = new Int32Array(sourceCount);
    }
    if (!exact && this.classes.length < sourceCount * width) this.classes = new Int32Array(sourceCount * width);
    if (this.tuple.length < width) this.tuple = new Int32Array(width);
  }

  /** (to(code) − from(code)) · stride for every code, null maps being the identity: a key moved between two levels. */
  keyDeltasBetween(to: Int32Array | null, from: Int32Array | null, stride: number): Float64Array {
    if (from === null) return this.keyDeltas(to!, stride);
    let byTarget = this.deltasBetween.get(from);
    if (byTarget === undefined) this.deltasBetween.set(from, (byTarget = new WeakMap()));
    const targetKey = to ?? IDENTITY;
    let byStride = byTarget.get(targetKey);
    if (byStride === undefined) byTarget.set(targetKey, (byStride = new Map()));
    let deltas = byStride.get(stride);
    if (deltas === undefined) {
      deltas = new Float64Array(from.length);
      for (let code = 0; code < from.length; code++) deltas[code] = ((to === null ? code : to[code]) - from[code]) * stride;
      byStride.set(stride, deltas);
    }
    return deltas;
  }

  /** (map[code] − code) · stride for every code: what mapping an attribute adds to a packed key. */
  keyDeltas(map: Int32Array, stride: number): Float64Array {
    let byStride = this.deltasByMap.get(map);
    if (byStride === undefined) this.deltasByMap.set(map, (byStride = new Map()));
    let deltas = byStride.get(stride);
    if (deltas === undefined) {
      deltas = new Float64Array(map.length);
      for (let code = 0; code < map.length; code++) deltas[code] = (map[code] - code) * stride;
      byStride.set(stride, deltas);
    }
    return deltas;
  }
}

/**
 * Classes whose label codes are decoded from their packed keys on first use. Most checked nodes are only ever read
 * through sizes and histograms, and a later roll-up decodes just the attributes it changes; gathering every code of
 * every new class cost 20–35 ns per class on 1M rows (a fifth of the search). For every exact packing (see `wideCode`).
 */
export class PackedClasses implements EquivalenceClasses {
  #keys: LabelCodes | undefined;

  constructor(
    readonly count: number,
    readonly width: number,
    readonly levels: Int32Array,
    readonly sizes: Int32Array,
    readonly packedKeys: Float64Array,
    readonly sensitive: readonly SensitiveHistograms[],
    /** The run's packing, or one node's own where the run's keys reach 2^53 (see groupByNodeKey). */
    readonly packing: KeyPacking,
  ) {}

  get keys(): LabelCodes {
    if (this.#keys === undefined) {
      const keys = this.packing.newLabelCodes(this.count * this.width);
      const { strides, domains, narrow, words, wordOf } = this.packing;
      for (let j = 0; j < this.width; j++) {
        if (words === 1) decodeColumn(keys, this.packedKeys, strides[j], domains[j], narrow, j, this.width, this.count);
        else for (let c = 0, t = j, k = wordOf[j]; c < this.count; c++, t += this.width, k += words) keys[t] = wideCode(this.packedKeys[k], strides[j], domains[j]);
      }
      this.#keys = keys;
    }
    return this.#keys;
  }

  /** The label codes if something already asked for them; otherwise undefined (and nothing is decoded). */
  get decodedKeys(): LabelCodes | undefined {
    return this.#keys;
  }
}

/**
 * The code of the attribute with `stride` and `domain` in an exact packed key: ⌊key / stride⌋ mod domain, exact up
 * to 2^53: ⌊key / stride⌋ is m with stride·(m + 1) ≤ 2^53, so the rounded quotient cannot reach m + 1; likewise for
 * the quotient by the domain. Each decoding loop has a second copy for keys below 2^31, in int32 arithmetic: one loop
 * choosing per key cost 8–10 % of a 1M-row search.
 */
function wideCode(key: number, stride: number, domain: number): number {
  const quotient = Math.floor(key / stride);
  return quotient - Math.floor(quotient / domain) * domain;
}

function decodeColumn(target: LabelCodes, packedKeys: Float64Array, stride: number, domain: number, narrow: boolean, attribute: number, width: number, count: number): void {
  if (!narrow) {
    for (let c = 0, t = attribute; c < count; c++, t += width) target[t] = wideCode(packedKeys[c], stride, domain);
    return;
  }
  const codes = domain | 0;
  for (let c = 0, t = attribute; c < count; c++, t += width) target[t] = ((packedKeys[c] / stride) >>> 0) % codes;
}

/**
 * Regroups `source` into the classes of a coarser node. `maps[j]` sends source label codes of attribute j
 * to target codes (null: unchanged). With an exact packing only the changed attributes are visited per class, and
 * the result is `PackedClasses`, whose codes are decoded when first read. Where the run's packing is not exact, the
 * target's own label domains usually pack exactly: its classes carry that packing, which then serves every roll-up
 * from them (the labels of any coarser node fit the same domains), so those visit only changed attributes too.
 * The returned `sourceToClass` lives in the workspace: copy it if it must outlive the next regrouping.
 */
export function regroup(
  source: EquivalenceClasses,
  maps: readonly (Int32Array | null)[],
  targetLevels: Int32Array,
  packing: KeyPacking,
  workspace: RegroupWorkspace = new RegroupWorkspace(),
): RegroupResult {
  const sourcePacking = source instanceof PackedClasses ? source.packing : packing;
  const nodePacking = sourcePacking.exact ? undefined : targetPacking(targetLevels, packing);
  const keyPacking = sourcePacking.exact ? sourcePacking : nodePacking;
  workspace.reserve(source.count, source.width, keyPacking !== undefined);
  let count: number;
  if (keyPacking !== undefined && keyPacking.words > 1) count = groupByWords(source, maps, keyPacking, keyPacking === sourcePacking, workspace);
  else if (keyPacking === sourcePacking) count = groupByPackedKey(source, maps, targetLevels, sourcePacking, workspace);
  else if (nodePacking !== undefined) count = groupByNodeKey(source, maps, nodePacking, workspace);
  else count = groupByTuple(source, maps, workspace);
  const sourceToClass = workspace.sourceToClass.subarray(0, source.count);
  const sensitive = source.sensitive.map((histograms) => mergeHistograms(histograms, sourceToClass, count));
  if (keyPacking !== undefined) {
    const packedKeys = keyPacking.words === 1 ? workspace.packed.slice(0, count) : workspace.wordKeys.slice(0, count * keyPacking.words);
    const classes = new PackedClasses(count, source.width, targetLevels, classSizes(source.sizes, sourceToClass, count), packedKeys, sensitive, keyPacking);
    return { classes, sourceToClass };
  }
  return {
    classes: { count, width: source.width, levels: targetLevels, keys: tupleClassKeys(workspace, packing, count * source.width), sizes: classSizes(source.sizes, sourceToClass, count), sensitive },
    sourceToClass,
  };
}

/**
 * A packing of the target node's own label domains: per attribute the labels at its level or any coarser one, so that
 * every roll-up from the target's classes fits it too — in one word where their product stays below 2^53, else in
 * several. Undefined when the run's packing does not know them.
 */
function targetPacking(targetLevels: Int32Array, packing: KeyPacking): KeyPacking | undefined {
  if (packing.levelDomains === undefined) return undefined;
  const domains = Array.from(targetLevels, (level, j) => packing.levelDomains![j][level]);
  return domains.reduce((space, domain) => space * Math.max(1, domain), 1) > TWO_POW_53 ? wordPacking(domains) : keyPacking(domains);
}

/**
 * Groups by keys of several words. From classes packed the same way (`rollUp`), each word starts as the source's and
 * only changed attributes add their delta — decoded from its word when one attribute changes and the codes are not
 * at hand, read from the codes otherwise (decoding them once: a source is rolled up from again and again); from other
 * classes, every attribute adds its mapped code to its word. Then the words are hashed together and compared.
 */
function groupByWords(source: EquivalenceClasses, maps: readonly (Int32Array | null)[], packing: KeyPacking, rollUp: boolean, workspace: RegroupWorkspace): number {
  const { width, count: sourceCount } = source;
  const { words, wordOf, strides, domains } = packing;
  const length = sourceCount * words;
  if (workspace.targetKeys.length < length) workspace.targetKeys = new Float64Array(length);
  const targetKeys = workspace.targetKeys;
  const attributes: number[] = [];
  const tables: Float64Array[] = [];
  if (rollUp) {
    const packed = source as PackedClasses;
    targetKeys.set(packed.packedKeys.subarray(0, length));
    for (let j = 0; j < width; j++) {
      if (maps[j] === null) continue;
      attributes.push(j);
      tables.push(workspace.keyDeltas(maps[j]!, strides[j]));
    }
    if (attributes.length === 1 && packed.decodedKeys === undefined) {
      const [j] = attributes;
      for (let t = wordOf[j]; t < length; t += words) targetKeys[t] += tables[0][wideCode(packed.packedKeys[t], strides[j], domains[j])];
      return groupWordKeys(targetKeys, sourceCount, words, workspace);
    }
  } else {
    targetKeys.fill(0, 0, length);
    for (let j = 0; j < width; j++) {
      const map = maps[j];
      const scaled = new Float64Array(map === null ? domains[j] : map.length);
      for (let code = 0; code < scaled.length; code++) scaled[code] = (map === null ? code : map[code]) * strides[j];
      attributes.push(j);
      tables.push(scaled);
    }
  }
  // Attribute by attribute: column passes beat one row-major pass over the codes (50,000 × 40: 9 ms against 14).
  const keys = source.keys;
  attributes.forEach((j, i) => addWordDeltas(targetKeys, keys, tables[i], j, wordOf[j], width, words, sourceCount));
  return groupWordKeys(targetKeys, sourceCount, words, workspace);
}

function addWordDeltas(targetKeys: Float64Array, keys: LabelCodes, deltas: Float64Array, attribute: number, word: number, width: number, words: number, count: number): void {
  for (let s = 0, k = attribute, t = word; s < count; s++, k += width, t += words) targetKeys[t] += deltas[keys[k]];
}

/** Hashes keys of `words` numbers each into classes, numbered in order of first appearance; class keys go to wordKeys. */
function groupWordKeys(targetKeys: Float64Array, sourceCount: number, words: number, workspace: RegroupWorkspace): number {
  if (workspace.wordKeys.length < sourceCount * words) workspace.wordKeys = new Float64Array(sourceCount * words);
  const { slots, slotOfClass, sourceToClass, wordKeys } = workspace;
  const mask = tableCapacity(sourceCount) - 1;
  let count = 0;
  for (let s = 0, at = 0; s < sourceCount; s++, at += words) {
    let hash = 0x811c9dc5;
    for (let w = 0; w < words; w++) {
      const key = targetKeys[at + w];
      hash = Math.imul(hash ^ ((key >>> 0) ^ ((key / TWO_POW_32) >>> 0)), 0x01000193);
    }
    let slot = Math.imul(hash, 0x9e3779b1) & mask;
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) {
        const cls = count++;
        slots[slot] = cls + 1;
        slotOfClass[cls] = slot;
        for (let w = 0; w < words; w++) wordKeys[cls * words + w] = targetKeys[at + w];
        sourceToClass[s] = cls;
        break;
      }
      let same = true;
      for (let w = 0, other = (entry - 1) * words; same && w < words; w++) same = wordKeys[other + w] === targetKeys[at + w];
      if (same) {
        sourceToClass[s] = entry - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  clearSlots(workspace, count);
  return count;
}

/** Empties the hash table by visiting only the slots the `count` classes occupy. */
function clearSlots(workspace: RegroupWorkspace, count: number): void {
  for (let c = 0; c < count; c++) workspace.slots[workspace.slotOfClass[c]] = 0;
}

/**
 * Each class's records, summed in a pass of its own after the hashing into the array the result keeps: summing inside
 * the hashing loop cost a third more (the add waited for the probe that found the class), and summing into scratch
 * memory cost a copy and a clearing per regrouping.
 */
function classSizes(sourceSizes: Int32Array, sourceToClass: Int32Array, count: number): Int32Array {
  const sizes = new Int32Array(count);
  for (let s = 0; s < sourceToClass.length; s++) sizes[sourceToClass[s]] += sourceSizes[s];
  return sizes;
}

/**
 * Two passes: every source class's target key first, then the hashing. Fused into one loop, the key arithmetic
 * was lost with every mispredicted "new class or existing one" branch: on Adult's histogram regrouped into an
 * anchor (7 attributes changed) the fused loop took 39 ns per source class, the two passes 15.
 */
function groupByPackedKey(source: EquivalenceClasses, maps: readonly (Int32Array | null)[], targetLevels: Int32Array, packing: KeyPacking, workspace: RegroupWorkspace): number {
  const sourcePacked = source.packedKeys ?? packKeys(source.keys, source.count, source.width, packing.strides);
  const targetKeys = maps.every((map) => map === null) ? sourcePacked : mappedKeys(source, sourcePacked, maps, targetLevels, packing, workspace);
  const count = groupKeys(targetKeys, source.count, packing.narrow, workspace);
  clearSlots(workspace, count);
  return count;
}

/**
 * The packed target key of every source class: its own packed key plus, per changed attribute, a table lookup of
 * (target code − source code) · stride, in passes of one or two attributes that are nothing but loads and adds. When
 * the source carries coarse keys and the target differs from those in fewer attributes, they are the starting point.
 */
function mappedKeys(
  source: EquivalenceClasses,
  sourcePacked: Float64Array,
  maps: readonly (Int32Array | null)[],
  targetLevels: Int32Array,
  packing: KeyPacking,
  workspace: RegroupWorkspace,
): Float64Array {
  const { count, width } = source;
  // Not in reserve(): collapsing rows changes nothing and would never touch an array of one key per row.
  if (workspace.targetKeys.length < count) workspace.targetKeys = new Float64Array(count);
  const targetKeys = workspace.targetKeys;
  const keys = source instanceof PackedClasses ? source.decodedKeys : source.keys;
  if (keys === undefined) {
    // No label codes at hand: each changed attribute's code comes out of the packed key itself.
    targetKeys.set(sourcePacked.subarray(0, count));
    for (let j = 0; j < width; j++) {
      const map = maps[j];
      if (map !== null) addDecodedKeyDeltas(targetKeys, sourcePacked, workspace.keyDeltas(map, packing.strides[j]), packing.strides[j], packing.domains[j], packing.narrow, count);
    }
    return targetKeys;
  }
  const { coarse } = source;
  const changed = maps.filter((map) => map !== null).length;
  const fromCoarse = coarse !== undefined && differingLevels(coarse, targetLevels) < changed ? coarse : undefined;
  targetKeys.set((fromCoarse?.packedKeys ?? sourcePacked).subarray(0, count));
  const deltasOf = (j: number): Float64Array | undefined => {
    if (fromCoarse === undefined) return maps[j] === null ? undefined : workspace.keyDeltas(maps[j]!, packing.strides[j]);
    return fromCoarse.levels[j] === targetLevels[j] ? undefined : workspace.keyDeltasBetween(maps[j], fromCoarse.maps[j], packing.strides[j]);
  };
  // Two attributes per pass where possible: half the passes over the target keys (8 % less time on Adult's anchors).
  let pending = -1;
  let pendingDeltas: Float64Array | undefined;
  for (let j = 0; j < width; j++) {
    const deltas = deltasOf(j);
    if (deltas === undefined) continue;
    if (pendingDeltas === undefined) {
      pending = j;
      pendingDeltas = deltas;
      continue;
    }
    addKeyDeltaPair(targetKeys, keys, pendingDeltas, pending, deltas, j, width, count);
    pendingDeltas = undefined;
  }
  if (pendingDeltas !== undefined) addKeyDeltas(targetKeys, keys, pendingDeltas, pending, width, count);
  return targetKeys;
}

function differingLevels(coarse: CoarseKeys, targetLevels: Int32Array): number {
  let differing = 0;
  for (let j = 0; j < targetLevels.length; j++) if (coarse.levels[j] !== targetLevels[j]) differing++;
  return differing;
}

/**
 * `classes` with their packed keys at `levels` (each at or above the classes' own) as a second starting point for
 * regrouping. Worth it for a source regrouped often into nodes near those levels: the tuple histogram, whose anchors
 * min(levels, 1) change most attributes from level 0 and few from level 1.
 */
export function withCoarseKeys(classes: EquivalenceClasses, levels: Int32Array, maps: readonly (Int32Array | null)[], packing: KeyPacking): EquivalenceClasses {
  if (classes.packedKeys === undefined || classes.coarse !== undefined || classes instanceof PackedClasses) return classes;
  const workspace = new RegroupWorkspace();
  const packedKeys = mappedKeys(classes, classes.packedKeys, maps, levels, packing, workspace).slice(0, classes.count);
  return { ...classes, coarse: { levels, maps, packedKeys } };
}

function addDecodedKeyDeltas(targetKeys: Float64Array, sourcePacked: Float64Array, deltas: Float64Array, stride: number, domain: number, narrow: boolean, count: number): void {
  if (!narrow) {
    for (let s = 0; s < count; s++) targetKeys[s] += deltas[wideCode(sourcePacked[s], stride, domain)];
    return;
  }
  const codes = domain | 0; // an int32 remainder: on a double, % is a library call
  for (let s = 0; s < count; s++) targetKeys[s] += deltas[((sourcePacked[s] / stride) >>> 0) % codes];
}

function addKeyDeltaPair(targetKeys: Float64Array, keys: LabelCodes, first: Float64Array, a: number, second: Float64Array, b: number, width: number, count: number): void {
  for (let s = 0, k = 0; s < count; s++, k += width) targetKeys[s] += first[keys[k + a]] + second[keys[k + b]];
}

function addKeyDeltas(targetKeys: Float64Array, keys: LabelCodes, deltas: Float64Array, attribute: number, width: number, count: number): void {
  for (let s = 0, k = attribute; s < count; s++, k += width) targetKeys[s] += deltas[keys[k]];
}

/** Hashes the target keys into classes, numbered in order of first appearance. */
function groupKeys(targetKeys: Float64Array, sourceCount: number, narrow: boolean, workspace: RegroupWorkspace): number {
  const { slots, slotOfClass, packed, sourceToClass } = workspace; // slots: class index + 1; 0 = empty
  let mask = initialTableCapacity(sourceCount) - 1;
  let count = 0;
  for (let s = 0; s < sourceCount; s++) {
    const key = targetKeys[s];
    const hashInput = narrow ? key : (key >>> 0) ^ ((key / TWO_POW_32) >>> 0);
    let slot = Math.imul(hashInput, 0x9e3779b1) & mask;
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) {
        const cls = count++;
        slots[slot] = cls + 1;
        slotOfClass[cls] = slot;
        packed[cls] = key;
        sourceToClass[s] = cls;
        if (count * 2 > mask + 1) mask = growTable(workspace, count, mask + 1, narrow) - 1;
        break;
      }
      if (packed[entry - 1] === key) {
        sourceToClass[s] = entry - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return count;
}

function tupleClassKeys(workspace: RegroupWorkspace, packing: KeyPacking, length: number): LabelCodes {
  const target = packing.newLabelCodes(length);
  target.set(workspace.classes.subarray(0, length));
  return target;
}

/**
 * Where the run's keys reach 2^53, a target node's own label domains usually still pack exactly (coarse levels have
 * few labels): each source class's key with the node's strides, summed attribute by attribute in passes of table
 * lookups, then hashed as a number. The classes and their order are those of groupByTuple, at a fraction of its cost
 * (24 attributes, 49,091 source classes: about 2 ms against 27).
 */
function groupByNodeKey(source: EquivalenceClasses, maps: readonly (Int32Array | null)[], nodePacking: KeyPacking, workspace: RegroupWorkspace): number {
  const { width, count: sourceCount } = source;
  if (workspace.targetKeys.length < sourceCount) workspace.targetKeys = new Float64Array(sourceCount);
  const targetKeys = workspace.targetKeys;
  targetKeys.fill(0, 0, sourceCount);
  const sourceKeys = source.keys;
  for (let j = 0; j < width; j++) {
    const map = maps[j];
    const stride = nodePacking.strides[j];
    if (map === null) {
      for (let s = 0, k = j; s < sourceCount; s++, k += width) targetKeys[s] += sourceKeys[k] * stride;
      continue;
    }
    const scaled = new Float64Array(map.length);
    for (let code = 0; code < map.length; code++) scaled[code] = map[code] * stride;
    for (let s = 0, k = j; s < sourceCount; s++, k += width) targetKeys[s] += scaled[sourceKeys[k]];
  }
  const count = groupKeys(targetKeys, sourceCount, nodePacking.narrow, workspace);
  clearSlots(workspace, count);
  return count;
}

/** Beyond 2^53 a key cannot be packed exactly: hash the mapped tuple and compare it code by code. */
function groupByTuple(source: EquivalenceClasses, maps: readonly (Int32Array | null)[], workspace: RegroupWorkspace): number {
  const width = source.width;
  const sourceKeys = source.keys;
  const { slots, slotOfClass, classes, sourceToClass, tuple } = workspace;
  const mask = tableCapacity(source.count) - 1;
  let count = 0;
  for (let s = 0; s < source.count; s++) {
    let hash = 0x811c9dc5;
    const base = s * width;
    for (let j = 0; j < width; j++) {
      const map = maps[j];
      const code = map === null ? sourceKeys[base + j] : map[sourceKeys[base + j]];
      tuple[j] = code;
      hash = Math.imul(hash ^ code, 0x01000193);
    }
    let slot = Math.imul(hash, 0x9e3779b1) & mask;
    let cls: number;
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) {
        cls = count++;
        slots[slot] = cls + 1;
        slotOfClass[cls] = slot;
        for (let j = 0; j < width; j++) classes[cls * width + j] = tuple[j];
        break;
      }
      if (sameTuple(classes, (entry - 1) * width, tuple, width)) {
        cls = entry - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    sourceToClass[s] = cls;
  }
  clearSlots(workspace, count);
  return count;
}

function packKeys(keys: LabelCodes, count: number, width: number, strides: Float64Array): Float64Array {
  const packed = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    let key = 0;
    for (let j = 0, base = s * width; j < width; j++) key += keys[base + j] * strides[j];
    packed[s] = key;
  }
  return packed;
}

function sameTuple(keys: Int32Array, offset: number, tuple: Int32Array, width: number): boolean {
  for (let j = 0; j < width; j++) if (keys[offset + j] !== tuple[j]) return false;
  return true;
}

/**
 * A large source's packed-key table starts at an eighth of its size and doubles when half full: a roll-up usually
 * makes far fewer classes than it reads, and a table sized for the source (collapsing 10M rows: 32M slots) spreads
 * its probes over memory the caches cannot hold. Tables up to 64K slots (256 KiB) start full size: they stay in
 * cache anyway, and growing them cost more than it saved (Adult: +18% regrouping time when they grew too).
 */
const GROWING_TABLE_FROM = 65536;

function initialTableCapacity(sourceCount: number): number {
  return Math.min(tableCapacity(sourceCount), Math.max(GROWING_TABLE_FROM, tableCapacity(sourceCount >>> 3)));
}

/** Doubles the table in use (its first `capacity` slots) and re-inserts the `count` classes; returns the capacity. */
function growTable(workspace: RegroupWorkspace, count: number, capacity: number, narrow: boolean): number {
  const { slots, slotOfClass, packed } = workspace;
  for (let c = 0; c < count; c++) slots[slotOfClass[c]] = 0;
  const grown = capacity * 2;
  const mask = grown - 1;
  for (let c = 0; c < count; c++) {
    const key = packed[c];
    const hashInput = narrow ? key : (key >>> 0) ^ ((key / TWO_POW_32) >>> 0);
    let slot = Math.imul(hashInput, 0x9e3779b1) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = c + 1;
    slotOfClass[c] = slot;
  }
  return grown;
}

/** A power of two at least twice the number of entries, so linear probing stays short. */
function tableCapacity(entries: number): number {
  let capacity = 16;
  while (capacity < entries * 2) capacity *= 2;
  return capacity;
}

/** Sums the sensitive histograms of the source classes falling into each target class (compact CSR out). */
export function mergeHistograms(source: SensitiveHistograms, sourceToClass: Int32Array, classCount: number): SensitiveHistograms {
  const sourceCodes = source.codes; // read once: histogram objects come in several shapes
  let domain = 0;
  for (let i = 0; i < sourceCodes.length; i++) if (sourceCodes[i] >= domain) domain = sourceCodes[i] + 1;
  // A dense class × value table is the fast way when it is not much larger than the entries merged (a sensitive
  // attribute with few values, as is usual); for wide domains the sparse merge keeps memory to the entries.
  return classCount * domain <= 4 * sourceCodes.length + 65536
    ? mergeHistogramsDense(source, sourceToClass, classCount, domain)
    : mergeHistogramsSparse(source, sourceToClass, classCount, domain);
}

function mergeHistogramsDense(source: SensitiveHistograms, sourceToClass: Int32Array, classCount: number, domain: number): SensitiveHistograms {
  const { offsets: sourceOffsets, codes: sourceCodes, counts: sourceCounts } = source;
  const dense = new Int32Array(classCount * domain);
  for (let s = 0; s < sourceToClass.length; s++) {
    const base = sourceToClass[s] * domain;
    for (let e = sourceOffsets[s]; e < sourceOffsets[s + 1]; e++) dense[base + sourceCodes[e]] += sourceCounts[e];
  }
  let entries = 0;
  for (let cell = 0; cell < dense.length; cell++) if (dense[cell] !== 0) entries++;
  const offsets = new Int32Array(classCount + 1);
  const codes = new Int32Array(entries);
  const counts = new Int32Array(entries);
  let written = 0;
  for (let c = 0, cell = 0; c < classCount; c++) {
    offsets[c] = written;
    for (let code = 0; code < domain; code++, cell++) {
      if (dense[cell] !== 0) {
        codes[written] = code;
        counts[written] = dense[cell];
        written++;
      }
    }
  }
  offsets[classCount] = written;
  return { offsets, codes, counts };
}

function mergeHistogramsSparse(source: SensitiveHistograms, sourceToClass: Int32Array, classCount: number, domain: number): SensitiveHistograms {
  const sourceCount = sourceToClass.length;
  // Bucket source classes by target class (counting sort), so each target is merged in one pass.
  const bucketStart = new Int32Array(classCount + 1);
  for (let s = 0; s < sourceCount; s++) bucketStart[sourceToClass[s] + 1]++;
  for (let c = 0; c < classCount; c++) bucketStart[c + 1] += bucketStart[c];
  const order = new Int32Array(sourceCount);
  const fill = bucketStart.slice(0, classCount);
  for (let s = 0; s < sourceCount; s++) order[fill[sourceToClass[s]]++] = s;

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
