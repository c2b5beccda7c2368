// The known flags near an unknown one, for "did you mean": small typos, letter case, and unambiguous abbreviations.
// Every command also knows --help and --version. Shares the pure name-distance helpers with the library's messages.

import { nearNames } from '../table/column-names.js';

/** Known flags near `given` (`--qis`, `-Q`, `--supress=0.1`), written as flags (`--qi`), nearest first. */
export function nearFlags(given: string, options: Readonly<Record<string, { readonly short?: string }>>): string[] {
  const name = given.replace(/^-+/, '').replace(/=.*$/, '');
  const long = [...new Set([...Object.keys(options), 'help', 'version'])];
  if (!given.startsWith('--')) {
    // A short flag: the short flags differing only in case, then long flags it may have been meant as (`-qi`).
    const shorts = Object.entries(options).filter(([, spec]) => spec.short !== undefined && spec.short.toLowerCase() === name.toLowerCase());
    if (shorts.length > 0) return shorts.map(([, spec]) => `-${spec.short}`);
  }
  const near = nearNames(name, long);
  const abbreviated = name.length >= 3 ? long.filter((flag) => flag.startsWith(name) && !near.includes(flag)) : [];
  return [...near, ...(abbreviated.length === 1 ? abbreviated : [])].map((flag) => `--${flag}`);
}
