// Line ends for the byte-level CSV scanners: the first line fixes LF or CRLF, as csv-parse does, and anything that
// breaks with it (a lone CR, a change of line end) is left to csv-parse. Shared by the table reader and the plan scanner.

const LF = 0x0a;
const CR = 0x0d;

/** What the first line said: CRLF (true), LF (false), or not known yet. */
export interface LineEnding {
  crlf: boolean | undefined;
}

/**
 * Whether the CR at `cursor` may end a CRLF line (the LF is checked when the field ends). Unknown when the buffer
 * ends on it: the record is then incomplete and scanned again once the next byte is read.
 */
export function isCrOfCrlf(buffer: Uint8Array, cursor: number, filled: number, ending: LineEnding): boolean {
  return buffer[cursor] === CR && ending.crlf !== false && (cursor + 1 === filled || buffer[cursor + 1] === LF);
}

/**
 * Where the last field of a line, scanned up to `cursor`, ends: before the CR of a CRLF. `atEnd`: the input's last
 * line, without a line feed. Returns `'fallback'` for a CR that ends the input or a line end unlike the first line's.
 */
export function lastFieldEnd(buffer: Uint8Array, fieldStart: number, cursor: number, atEnd: boolean, ending: LineEnding): number | 'fallback' {
  const endsWithCr = cursor > fieldStart && buffer[cursor - 1] === CR;
  if (atEnd) {
    if (endsWithCr) return 'fallback';
  } else if (ending.crlf === undefined) ending.crlf = endsWithCr;
  else if (ending.crlf !== endsWithCr) return 'fallback';
  return endsWithCr ? cursor - 1 : cursor;
}
