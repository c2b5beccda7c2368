import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { collapseTuples } from '../../src/groupify/collapse.js';
import { levelDomainSizes, NodeGrouper } from '../../src/groupify/node-grouper.js';
import { keyPacking, mergeHistograms, PackedClasses, regroup, RegroupWorkspace, withCoarseKeys } from '../../src/groupify/regroup.js';
import type { EquivalenceClasses } from '../../src/groupify/equivalence-classes.js';
import { compileHierarchy } from '../../src/hierarchy/compile.js';
import { encodeRows } from '../../src/table/encoded-table.js';
import { arbitraryDataset, type RandomDataset } from './random-data.js';

/** Naive reference: generalize each row to strings, group by the joined key. */
function naiveClasses(dataset: RandomDataset, levels: number[]) {
  const groups = new Map<string, { size: number; sensitive: Map<string, number> }>();
  for (const row of dataset.rows) {
    const key = dataset.qi.map((name, j) => dataset.hierarchies[name].get(row[name])![levels[j]]).join('\u0000');
    const group = groups.get(key) ?? { size: 0, sensitive: new Map() };
    group.size++;
    group.sensitive.set(row.s, (group.sensitive.get(row.s) ?? 0) + 1);
    groups.set(key, group);
  }
  return groups;
}

function decodeClasses(classes: EquivalenceClasses, labels: (readonly string[])[], sensitiveDictionary: readonly string[]) {
  const groups = new Map<string, { size: number; sensitive: Map<string, number> }>();
  for (let c = 0; c < classes.count; c++) {
    const key = Array.from({ length: classes.width }, (_, j) => labels[j][classes.keys[c * classes.width + j]]).join('\u0000');
    const histogram = classes.sensitive[0];
    const sensitive = new Map<string, number>();
    for (let e = histogram.offsets[c]; e < histogram.offsets[c + 1]; e++) sensitive.set(sensitiveDictionary[histogram.codes[e]], histogram.counts[e]);
    expect(groups.has(key)).toBe(false);
    groups.set(key, { size: classes.sizes[c], sensitive });
  }
  return groups;
}

/** One class of size 1 per row-major tuple of `keys`, at level 0, without sensitive attributes. */
function levelZeroClasses(keys: Int32Array, width: number): EquivalenceClasses {
  const count = keys.length / width;
  return { count, width, levels: new Int32Array(width), keys, sizes: new Int32Array(count).fill(1), sensitive: [] };
}

describe('groupify', () => {
  it('collapse + regroup at any node equals naive grouping, directly and by roll-up', () => {
    fc.assert(
      fc.property(arbitraryDataset(), fc.infiniteStream(fc.nat()), (dataset, choices) => {
        const names = [...dataset.qi, 's'];
        const table = encodeRows(names, dataset.rows.map((row) => names.map((n) => row[n])));
        const hierarchies = dataset.qi.map((name, j) => compileHierarchy(table.columns[j], { rows: dataset.hierarchyRows[name], origin: name }));
        const histogram = collapseTuples(table, dataset.qi.map((_, j) => j), [dataset.qi.length], levelDomainSizes(hierarchies));
        const grouper = new NodeGrouper(histogram, hierarchies);
        const iterator = choices[Symbol.iterator]();
        for (let step = 0; step < 4; step++) {
          const levels = hierarchies.map((h) => iterator.next().value % (h.maxLevel + 1));
          const viaCache = grouper.classesAt(Int32Array.from(levels));
          const labels = hierarchies.map((h, j) => h.labels[levels[j]]);
          const expected = naiveClasses(dataset, levels);
          expect(decodeClasses(viaCache, labels, table.columns[dataset.qi.length].dictionary)).toEqual(expected);
          const direct = grouper.classesWithTupleMap(Int32Array.from(levels));
          expect(decodeClasses(direct.classes, labels, table.columns[dataset.qi.length].dictionary)).toEqual(expected);
          for (let r = 0; r < table.rowCount; r++) {
            const cls = direct.tupleToClass[histogram.rowToTuple[r]];
            for (let j = 0; j < levels.length; j++) {
              expect(direct.classes.keys[cls * levels.length + j]).toBe(hierarchies[j].dataToLevel[levels[j]][table.columns[j].codes[r]]);
            }
          }
        }
        // Four nodes asked for; anchors may add groupings of their own, and the histogram is used at most once per anchor pattern.
        expect(grouper.statistics.rollUps + grouper.statistics.fromHistogram).toBeGreaterThanOrEqual(4);
      }),
      { seed: 7, numRuns: 150 },
    );
  });

  it('groups identically with packed keys and with tuple comparison beyond 2^53', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat({ max: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 60 }), (tuples) => {
        const source = levelZeroClasses(Int32Array.from(tuples.flat()), 3);
        const maps = [null, null, null];
        const packed = regroup(source, maps, new Int32Array(3), keyPacking([6, 6, 6]));
        // Claimed domain sizes whose product exceeds 2^53 force the tuple-comparing path.
        const wide = regroup(source, maps, new Int32Array(3), keyPacking([2 ** 20, 2 ** 20, 2 ** 20]));
        expect(Array.from(wide.sourceToClass)).toEqual(Array.from(packed.sourceToClass));
        expect(Array.from(wide.classes.sizes)).toEqual(Array.from(packed.classes.sizes));
        expect(Array.from(wide.classes.keys)).toEqual(Array.from(packed.classes.keys));
        const distinct = new Set(tuples.map((t) => t.join(','))).size;
        expect(packed.classes.count).toBe(distinct);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('keeps label codes in the narrowest array the domains allow, grouping identically with each', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat({ max: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 60 }), (tuples) => {
        const source = levelZeroClasses(Int32Array.from(tuples.flat()), 3);
        // Attribute 1 is generalized (pairs of codes merge), so mapped codes are written too.
        const maps = [null, Int32Array.from([0, 0, 1, 1, 2, 2]), null];
        const results = [
          { domains: [6, 6, 6], type: Uint8Array },
          { domains: [300, 6, 6], type: Uint16Array },
          { domains: [70_000, 6, 6], type: Int32Array },
        ].map(({ domains, type }) => {
          const result = regroup(source, maps, Int32Array.from([0, 1, 0]), keyPacking(domains));
          expect(result.classes.keys).toBeInstanceOf(type);
          return { keys: Array.from(result.classes.keys), sizes: Array.from(result.classes.sizes), sourceToClass: Array.from(result.sourceToClass) };
        });
        expect(results[1]).toEqual(results[0]);
        expect(results[2]).toEqual(results[0]);
        const expected = new Set(tuples.map(([a, b, c]) => `${a},${b >> 1},${c}`));
        expect(new Set(results[0].keys.flatMap((_, i) => (i % 3 === 0 ? [results[0].keys.slice(i, i + 3).join(',')] : [])))).toEqual(expected);
      }),
      { seed: 13, numRuns: 200 },
    );
  });
  it('merges sensitive histograms like a naive per-class sum, with few values (dense) and with a wide domain (sparse)', () => {
    const sourceClass = fc.array(fc.record({ code: fc.nat({ max: 5 }), count: fc.integer({ min: 1, max: 9 }) }), { maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.tuple(sourceClass, fc.nat({ max: 7 })), { minLength: 1, maxLength: 40 }), fc.boolean(), (sources, wide) => {
        // A wide domain (codes up to 6·10^6) makes a class × value table far larger than the entries: the sparse path.
        const codeOf = (code: number) => (wide ? code * 1_000_000 : code);
        const classCount = Math.max(...sources.map(([, target]) => target)) + 1;
        const offsets = new Int32Array(sources.length + 1);
        const codes: number[] = [];
        const counts: number[] = [];
        sources.forEach(([entries], s) => {
          // A source histogram holds each code once.
          const merged = new Map<number, number>();
          for (const { code, count } of entries) merged.set(codeOf(code), (merged.get(codeOf(code)) ?? 0) + count);
          for (const [code, count] of merged) (codes.push(code), counts.push(count));
          offsets[s + 1] = codes.length;
        });
        const sourceToClass = Int32Array.from(sources, ([, target]) => target);
        const result = mergeHistograms({ offsets, codes: Int32Array.from(codes), counts: Int32Array.from(counts) }, sourceToClass, classCount);
        expect(result.offsets.length).toBe(classCount + 1);
        for (let c = 0; c < classCount; c++) {
          const expected = new Map<number, number>();
          sources.forEach(([entries], s) => {
            if (sourceToClass[s] !== c) return;
            for (const { code, count } of entries) expected.set(codeOf(code), (expected.get(codeOf(code)) ?? 0) + count);
          });
          const actual = new Map<number, number>();
          for (let e = result.offsets[c]; e < result.offsets[c + 1]; e++) {
            expect(actual.has(result.codes[e])).toBe(false);
            actual.set(result.codes[e], result.counts[e]);
          }
          expect(actual).toEqual(expected);
        }
      }),
      { seed: 17, numRuns: 300 },
    );
  });
  it('maps any attributes through any level maps like tuple comparison, with narrow and wide packed keys, through one workspace', () => {
    const width = 4;
    const arbitraryStep = fc.record({
      tuples: fc.array(fc.tuple(fc.array(fc.nat({ max: 7 }), { minLength: width, maxLength: width }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 50 }),
      // Per attribute: unchanged, or a random map of the 8 codes; attribute 3 may reuse attribute 1's map object.
      maps: fc.array(fc.option(fc.array(fc.nat({ max: 7 }), { minLength: 8, maxLength: 8 }), { nil: null }), { minLength: width, maxLength: width }),
      shareMap: fc.boolean(),
      // Key spaces of 8^4 (below 2^31) and of 2^40 (exact doubles above 2^31, hashed with their high word).
      wideDomains: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbitraryStep, { minLength: 1, maxLength: 4 }), (steps) => {
        const workspace = new RegroupWorkspace();
        for (const { tuples, maps: mapArrays, shareMap, wideDomains } of steps) {
          const source = { ...levelZeroClasses(Int32Array.from(tuples.flatMap(([codes]) => codes)), width), sizes: Int32Array.from(tuples, ([, size]) => size) };
          const maps = mapArrays.map((map) => (map === null ? null : Int32Array.from(map)));
          if (shareMap && maps[1] !== null) maps[3] = maps[1];
          const packing = keyPacking(wideDomains ? [1024, 1024, 1024, 1024] : [8, 8, 8, 8]);
          expect(packing.narrow).toBe(!wideDomains);
          const packed = regroup(source, maps, new Int32Array(width), packing, workspace);
          const byTuple = regroup(source, maps, new Int32Array(width), keyPacking([2 ** 20, 2 ** 20, 2 ** 20, 2 ** 20]));
          expect(Array.from(packed.sourceToClass)).toEqual(Array.from(byTuple.sourceToClass));
          expect(Array.from(packed.classes.sizes)).toEqual(Array.from(byTuple.classes.sizes));
          expect(Array.from(packed.classes.keys)).toEqual(Array.from(byTuple.classes.keys));
          // And against the definition: each class holds the mapped tuple of its sources, sizes summed.
          tuples.forEach(([codes], s) => {
            const cls = packed.sourceToClass[s];
            codes.forEach((code, j) => expect(packed.classes.keys[cls * width + j]).toBe(maps[j] === null ? code : maps[j]![code]));
          });
          expect(packed.classes.sizes.reduce((a, b) => a + b, 0)).toBe(tuples.reduce((sum, [, size]) => sum + size, 0));
        }
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it('beyond 2^53 for the run, packs each target by its own label domains (in several words if need be) and rolls up from those classes exactly as by tuples', () => {
    const width = 4;
    const codeMap = fc.option(fc.array(fc.nat({ max: 5 }), { minLength: 8, maxLength: 8 }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat({ max: 7 }), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 60 }),
        fc.array(codeMap, { minLength: width, maxLength: width }),
        fc.array(fc.array(fc.nat({ max: 3 }), { minLength: 8, maxLength: 8 }), { minLength: width, maxLength: width }),
        fc.constantFrom('one word', 'two words', 'unknown'),
        (tuples, first, second, levels) => {
          const source = levelZeroClasses(Int32Array.from(tuples.flat()), width);
          // The run claims domains of 2^20 per attribute (2^80 in all), and labels per level of 8, 6 and 4 (nodes pack in
          // one word), of 2^20, 2^20 and 4 (two words), or none known (tuples are compared).
          const perLevel = levels === 'one word' ? [8, 6, 4] : [2 ** 20, 2 ** 20, 4];
          const packing = keyPacking([2 ** 20, 2 ** 20, 2 ** 20, 2 ** 20], levels === 'unknown' ? undefined : Array.from({ length: width }, () => perLevel));
          const firstMaps = first.map((map, j) => (map === null ? (j < 2 ? null : Int32Array.from([0, 1, 2, 3, 4, 5, 5, 5])) : Int32Array.from(map)));
          const step = regroup(source, firstMaps, Int32Array.from([0, 0, 1, 1]), packing);
          expect(step.classes instanceof PackedClasses).toBe(levels !== 'unknown');
          if (levels !== 'unknown') {
            const nodePacking = (step.classes as PackedClasses).packing;
            expect(Array.from(nodePacking.domains)).toEqual([perLevel[0], perLevel[0], perLevel[1], perLevel[1]]);
            expect(nodePacking.words).toBe(levels === 'one word' ? 1 : 2);
          }
          // Then every attribute through a second map, from the first step's classes (codes never decoded).
          const secondMaps = second.map((map) => Int32Array.from(map));
          const rolled = regroup(step.classes, secondMaps, Int32Array.from([1, 1, 2, 2]), packing);
          const composed = firstMaps.map((map, j) => Int32Array.from({ length: 8 }, (_, code) => secondMaps[j][map === null ? code : map[code]]));
          const direct = regroup(source, composed, Int32Array.from([1, 1, 2, 2]), keyPacking([8, 8, 8, 8]));
          expect(Array.from(rolled.classes.keys)).toEqual(Array.from(direct.classes.keys));
          expect(Array.from(rolled.classes.sizes)).toEqual(Array.from(direct.classes.sizes));
          tuples.forEach((_, s) => expect(rolled.sourceToClass[step.sourceToClass[s]]).toBe(direct.sourceToClass[s]));
          // The roll-up read the first step's codes from its packed words; decoded now, they are the mapped codes.
          tuples.forEach((codes, s) => codes.forEach((code, j) => expect(step.classes.keys[step.sourceToClass[s] * width + j]).toBe(firstMaps[j] === null ? code : firstMaps[j]![code])));
        },
      ),
      { seed: 29, numRuns: 300 },
    );
  });

  it('rolls up from classes whose codes were never decoded exactly as from decoded ones, and decodes codes exactly', () => {
    const width = 3;
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat({ max: 9 }), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.option(fc.array(fc.nat({ max: 9 }), { minLength: 10, maxLength: 10 }), { nil: null }), { minLength: width, maxLength: width }),
        fc.array(fc.option(fc.array(fc.nat({ max: 9 }), { minLength: 10, maxLength: 10 }), { nil: null }), { minLength: width, maxLength: width }),
        fc.boolean(),
        (tuples, first, second, wide) => {
          // Narrow keys decode in int32 arithmetic; claimed domains of 2^20 put keys between 2^31 and 2^53.
          const packing = keyPacking(wide ? [2 ** 20, 2 ** 20, 10] : [10, 10, 10]);
          expect(packing.narrow).toBe(!wide);
          const toMaps = (maps: (number[] | null)[]) => maps.map((map) => (map === null ? null : Int32Array.from(map)));
          const source = levelZeroClasses(Int32Array.from(tuples.flat()), width);
          const firstMaps = toMaps(first);
          // Two identical intermediate results: one read only through its packed keys, one with its codes decoded.
          const firstStep = regroup(source, firstMaps, new Int32Array(width), packing);
          const undecoded = firstStep.classes;
          const sourceToFirst = firstStep.sourceToClass.slice();
          const decoded = regroup(source, firstMaps, new Int32Array(width), packing).classes;
          expect(undecoded).toBeInstanceOf(PackedClasses);
          const reference = regroup(source, firstMaps, new Int32Array(width), keyPacking([2 ** 20, 2 ** 20, 2 ** 20])).classes;
          expect(Array.from(decoded.keys)).toEqual(Array.from(reference.keys));
          const secondMaps = toMaps(second);
          const fromUndecoded = regroup(undecoded, secondMaps, new Int32Array(width), packing);
          expect((undecoded as PackedClasses).decodedKeys).toBeUndefined();
          const fromDecoded = regroup(decoded, secondMaps, new Int32Array(width), packing);
          expect(Array.from(fromUndecoded.sourceToClass)).toEqual(Array.from(fromDecoded.sourceToClass));
          expect(Array.from(fromUndecoded.classes.sizes)).toEqual(Array.from(fromDecoded.classes.sizes));
          expect(Array.from(fromUndecoded.classes.keys)).toEqual(Array.from(fromDecoded.classes.keys));
          // Against the definition: each class holds its sources' tuples mapped twice.
          tuples.forEach((codes, s) => {
            const cls = fromUndecoded.sourceToClass[sourceToFirst[s]];
            codes.forEach((code, j) => {
              const once = firstMaps[j] === null ? code : firstMaps[j]![code];
              expect(fromUndecoded.classes.keys[cls * width + j]).toBe(secondMaps[j] === null ? once : secondMaps[j]![once]);
            });
          });
        },
      ),
      { seed: 29, numRuns: 300 },
    );
  });

  it('regroups from coarse keys exactly as from the classes\' own keys, whichever start needs fewer attributes mapped', () => {
    const width = 4;
    // Per attribute, fixed level maps of 10 codes: level 0 is the codes themselves, levels 1 and 2 merge them.
    const levelMaps = [null, Int32Array.from({ length: 10 }, (_, code) => code >> 1), Int32Array.from({ length: 10 }, (_, code) => code >> 2)];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat({ max: 9 }), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: width, maxLength: width }),
        fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 4 }),
        (tuples, coarseLevels, targets) => {
          const packing = keyPacking([10, 10, 10, 10]);
          const source = regroup(levelZeroClasses(Int32Array.from(tuples.flat()), width), [null, null, null, null], new Int32Array(width), packing).classes;
          const plain = { count: source.count, width, levels: source.levels, keys: source.keys, sizes: source.sizes, packedKeys: source.packedKeys, sensitive: [] };
          const withCoarse = withCoarseKeys(plain, Int32Array.from(coarseLevels), coarseLevels.map((level) => levelMaps[level]), packing);
          expect(withCoarse.coarse).toBeDefined();
          for (const target of targets) {
            const maps = target.map((level) => levelMaps[level]);
            const viaCoarse = regroup(withCoarse, maps, Int32Array.from(target), packing);
            const direct = regroup(plain, maps, Int32Array.from(target), packing);
            expect(Array.from(viaCoarse.sourceToClass)).toEqual(Array.from(direct.sourceToClass));
            expect(Array.from(viaCoarse.classes.packedKeys!)).toEqual(Array.from(direct.classes.packedKeys!));
            expect(Array.from(viaCoarse.classes.sizes)).toEqual(Array.from(direct.classes.sizes));
          }
        },
      ),
      { seed: 37, numRuns: 300 },
    );
  });

  it('groups a large source identically while its hash table grows (packed keys against tuple comparison)', () => {
    // 122,880 distinct tuples (a full 64 × 64 × 30 grid): beyond the size where the packed-key table starts small and
    // doubles as it fills.
    const count = 122_880;
    const keys = new Int32Array(count * 3);
    for (let s = 0; s < count; s++) {
      keys[s * 3] = s % 64;
      keys[s * 3 + 1] = Math.floor(s / 64) % 64;
      keys[s * 3 + 2] = Math.floor(s / 4096);
    }
    const source = levelZeroClasses(keys, 3);
    const pairs = Int32Array.from({ length: 64 }, (_, code) => code >> 1);
    // One workspace for every packed regrouping: a table left dirty by one would corrupt the next.
    const workspace = new RegroupWorkspace();
    for (const maps of [[null, null, null], [pairs, null, null], [pairs, pairs, null], [pairs, null, null]]) {
      const packed = regroup(source, maps, new Int32Array(3), keyPacking([64, 64, 64]), workspace);
      const wide = regroup(source, maps, new Int32Array(3), keyPacking([2 ** 20, 2 ** 20, 2 ** 20]));
      expect(packed.classes.count).toBe(count / 2 ** maps.filter((map) => map !== null).length);
      expect(Array.from(packed.sourceToClass)).toEqual(Array.from(wide.sourceToClass));
      expect(Array.from(packed.classes.sizes)).toEqual(Array.from(wide.classes.sizes));
      expect(Array.from(packed.classes.keys)).toEqual(Array.from(wide.classes.keys));
      // The table is left empty for the next regrouping, however often it grew.
      expect(workspace.slots.every((slot) => slot === 0)).toBe(true);
    }
  });
});
