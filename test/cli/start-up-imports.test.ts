// What loading the package root and the CLI costs: dependencies most runs do not need (Arrow, zod, Vega, fast-check,
// csv-parse, csv-stringify) are imported on the paths that use them; every `cloak` process pays each static import.

import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const HEAVY = ['apache-arrow', 'zod', 'vega', 'vega-lite', 'fast-check', 'csv-parse', 'csv-stringify'];

/** Whether a top-level statement imports or re-exports a module by value (at least one binding not marked `type`). */
function valueSpecifier(statement: ts.Statement): string | undefined {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    const typeOnly =
      clause !== undefined &&
      (clause.isTypeOnly ||
        (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((element) => element.isTypeOnly)));
    return typeOnly ? undefined : (statement.moduleSpecifier as ts.StringLiteral).text;
  }
  if (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined) {
    const clause = statement.exportClause;
    const typeOnly = statement.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly));
    return typeOnly ? undefined : (statement.moduleSpecifier as ts.StringLiteral).text;
  }
  return undefined;
}

/** Every package the module graphs import by value, with the modules importing it. */
function staticPackageImports(entries: readonly string[]): Map<string, string[]> {
  const seen = new Set<string>();
  const packages = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
    for (const statement of source.statements) {
      const specifier = valueSpecifier(statement);
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.set(specifier, [...(packages.get(specifier) ?? []), relative(ROOT, file)]);
    }
  };
  for (const entry of entries) visit(entry);
  return packages;
}

describe('start-up imports', () => {
  it('the package root and the CLI import no heavy dependency statically', () => {
    const packages = staticPackageImports(['src/index.ts', 'src/cli/main.ts'].map((entry) => join(ROOT, entry)));
    const heavy = [...packages].filter(([name]) => HEAVY.some((dependency) => name === dependency || name.startsWith(`${dependency}/`)));
    const offenders = heavy.flatMap(([name, files]) => files.map((file) => `${file} → ${name}`));
    expect(offenders).toEqual([]);
  });
});
