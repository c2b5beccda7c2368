// Masking builder: codes such as ZIP codes, phone numbers and IDs lose one character per level,
// replaced by a mask character, from the right (default) or from the left, then `*`.

import { distinctValues, type HierarchyDomain } from './domain.js';
import { invalidSpec, type BuildContext } from './failures.js';
import { labelRows, type Labeler } from './labeler.js';

const BUILDER = 'Mask';

export type MaskDirection = 'right-to-left' | 'left-to-right';
/** Which end of the mask's width a shorter code is aligned to; the other end is padded. */
export type MaskAlign = 'left' | 'right';

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
  /**
   * Codes of varying length: pad each to the longest length at the other end and mask the padded code, so that
   * codes of different lengths merge as masking proceeds (as ARX's redaction builder offers). Without it, each code
   * keeps its length and codes of different lengths meet only at `*`.
   */
  align?: MaskAlign;
  /** The padding character of `align`; default the mask character, so padding reads as "any character". */
  padChar?: string;
}

/** A mask with every parameter fixed: the options and the width (longest length) computed from the values. */
export interface ResolvedMask {
  direction: MaskDirection;
  maskChar: string;
  align?: MaskAlign;
  padChar?: string;
  /** The longest code's length in code points: the width codes are aligned in. */
  length: number;
  /** Masking levels before the final `*`, from 0 to `length`. */
  levels: number;
}

/**
 * Builds `[value, masked 1, …, masked n, *]` for each distinct value.
 *
 * Without `align`, values of varying length are aligned at the end where masking stops (left-aligned for right-to-left
 * masking), as if the shorter ones were padded to the longest length L at the other end. Level i hides the i positions
 * of that padded width nearest the masking end, so a shorter value only starts losing characters once the mask reaches
 * it. The padding is never shown: a label keeps its value's length, so every label determines the value's length and
 * the positions still visible, which makes the levels nest, and values of different lengths first meet at `*`.
 *
 * With `align`, the padding is part of the code: each value is padded with `padChar` to L at the end opposite to its
 * alignment and level i masks the i positions of the padded code nearest the masking end. Every label then has length
 * L, and codes of different lengths share labels once their differing positions are masked. Lengths count Unicode code
 * points, not UTF-16 units.
 */
export function buildMaskHierarchy(values: HierarchyDomain, options: MaskOptions, context?: BuildContext): string[][] {
  const domain = distinctValues(values, BUILDER, context);
  const mask = resolveMask(options, domain.map(({ value }) => value), context);
  return labelRows(domain, maskLabeler(mask), BUILDER, context);
}

/**
 * Validates the options and fixes the width (and default level count) from the values to be masked, or takes the
 * width `length` a rule already fixed.
 */
export function resolveMask(options: MaskOptions, values: readonly string[], context?: BuildContext, length?: number): ResolvedMask {
  const direction = options.direction ?? 'right-to-left';
  if (direction !== 'right-to-left' && direction !== 'left-to-right') {
    throw invalidSpec(BUILDER, context, 'direction must be "right-to-left" or "left-to-right"');
  }
  const maskChar = options.maskChar ?? '*';
  if (!isOneCharacter(maskChar)) throw invalidSpec(BUILDER, context, 'maskChar must be exactly one character');
  const { align } = options;
  if (align !== undefined && align !== 'left' && align !== 'right') throw invalidSpec(BUILDER, context, 'align must be "left" or "right"');
  if (options.padChar !== undefined && align === undefined) throw invalidSpec(BUILDER, context, 'padChar applies only with align');
  const padChar = align === undefined ? undefined : (options.padChar ?? maskChar);
  if (padChar !== undefined && !isOneCharacter(padChar)) throw invalidSpec(BUILDER, context, 'padChar must be exactly one character');
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) throw invalidSpec(BUILDER, context, 'length must be a non-negative integer');
  const width = length ?? values.reduce((max, value) => Math.max(max, characters(value).length), 0);
  const levels = options.levels ?? Math.max(width - 1, 0);
  if (!Number.isSafeInteger(levels) || levels < 0 || levels > width) {
    throw invalidSpec(BUILDER, context, `levels must be an integer from 0 to ${width}, the length of the longest value`);
  }
  return { direction, maskChar, ...(align === undefined ? {} : { align, padChar }), length: width, levels };
}

/** The masked labels of any code no longer than the mask's width; the mask is assumed valid (see `resolveMask`). */
export function maskLabeler(mask: ResolvedMask): Labeler {
  const { direction, maskChar, align, padChar, length, levels } = mask;
  const labelsOf = (value: string): readonly string[] | string => {
    let code = characters(value);
    if (code.length > length) return `is longer than ${length} characters, the width of the mask`;
    if (align !== undefined) {
      const padding = padChar!.repeat(length - code.length);
      code = characters(align === 'left' ? value + padding : padding + value);
    }
    const labels: string[] = [];
    for (let level = 1; level <= levels; level++) {
      // Unaligned, a code shorter than the width loses characters only once the mask reaches it.
      const visible = Math.min(code.length, length - level);
      const hidden = maskChar.repeat(code.length - visible);
      labels.push(direction === 'right-to-left' ? joined(code.slice(0, visible)) + hidden : hidden + joined(code.slice(code.length - visible)));
    }
    return labels;
  };
  return { height: levels, labelsOf };
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Values without surrogate pairs (nearly all codes) are sliced as strings; the rest as code points. */
function characters(value: string): string | string[] {
  return SURROGATE.test(value) ? Array.from(value) : value;
}

function joined(characters: string | string[]): string {
  return typeof characters === 'string' ? characters : characters.join('');
}

function isOneCharacter(text: unknown): text is string {
  return typeof text === 'string' && Array.from(text).length === 1;
}
