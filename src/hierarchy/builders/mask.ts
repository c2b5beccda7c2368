// Masking builder: codes such as ZIP codes, phone numbers and IDs lose one character per level,
// replaced by a mask character, from the right (default) or from the left, then `*`.

import { distinctValues, type HierarchyDomain } from './domain.js';
import { invalidSpec, type BuildContext } from './failures.js';

const BUILDER = 'Mask';

export type MaskDirection = 'right-to-left' | 'left-to-right';

export interface MaskOptions {
  /** Which end masking starts from; default `right-to-left` (a ZIP code loses its last digit first). */
  direction?: MaskDirection;
  /** The single character shown for a hidden position; default `*`. */
  maskChar?: string;
  /**
   * Number of masking levels before the final `*`, from 0 to the longest value's length;
   * default one less than that length, so the last masking level still shows one character.
   */
  levels?: number;
}

/**
 * Builds `[value, masked 1, …, masked n, *]` for each distinct value.
 *
 * Padding rule for values of varying length: values are aligned at the end where masking stops
 * (left-aligned for right-to-left masking), as if the shorter ones were padded to the longest
 * length L at the other end. Level i hides the i positions of that padded width nearest the
 * masking end, so a shorter value only starts losing characters once the mask reaches it.
 * The padding is never shown: a label keeps its value's length, so every label determines the
 * value's length and the positions still visible, which makes the levels nest, and values of
 * different lengths first meet at `*`. Lengths count Unicode code points, not UTF-16 units.
 */
export function buildMaskHierarchy(values: HierarchyDomain, options: MaskOptions, context?: BuildContext): string[][] {
  const direction = options.direction ?? 'right-to-left';
  if (direction !== 'right-to-left' && direction !== 'left-to-right') {
    throw invalidSpec(BUILDER, context, 'direction must be "right-to-left" or "left-to-right"');
  }
  const maskChar = options.maskChar ?? '*';
  if (typeof maskChar !== 'string' || Array.from(maskChar).length !== 1) {
    throw invalidSpec(BUILDER, context, 'maskChar must be exactly one character');
  }
  // Values without surrogate pairs (nearly all codes) are sliced as strings; the rest as code points.
  const domain = distinctValues(values, BUILDER, context).map(({ value }) => ({
    value,
    characters: SURROGATE.test(value) ? Array.from(value) : value,
  }));
  const longest = domain.reduce((max, { characters }) => Math.max(max, characters.length), 0);
  const levelCount = options.levels ?? Math.max(longest - 1, 0);
  if (!Number.isSafeInteger(levelCount) || levelCount < 0 || levelCount > longest) {
    throw invalidSpec(BUILDER, context, `levels must be an integer from 0 to ${longest}, the length of the longest value`);
  }
  return domain.map(({ value, characters }) => {
    const row = [value];
    for (let level = 1; level <= levelCount; level++) {
      const visible = Math.min(characters.length, longest - level);
      const hidden = maskChar.repeat(characters.length - visible);
      row.push(
        direction === 'right-to-left'
          ? joined(characters.slice(0, visible)) + hidden
          : hidden + joined(characters.slice(characters.length - visible)),
      );
    }
    row.push('*');
    return row;
  });
}

const SURROGATE = /[\uD800-\uDFFF]/;

function joined(characters: string | string[]): string {
  return typeof characters === 'string' ? characters : characters.join('');
}
