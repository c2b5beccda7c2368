// Example: a nightly ETL job. Day 1: plan on that day's export and save the plan. Day 2: apply the saved plan to
// the new export in a stream, two passes over the file, output committed only when every model holds.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPlanToFile, parsePlan, plan, readPolicyFile } from '../../src/index.js'; // in an application: from 'cloak'

export async function main(workDir: string, day1Csv: string, day2Csv: string): Promise<{ planFile: string; output: string; rows: number; suppressed: number }> {
  // Its relative paths (hierarchiesDir) mean the policy file's folder, wherever the job runs.
  const policy = await readPolicyFile(fileURLToPath(new URL('./policy.json', import.meta.url)));

  // Day 1: the search alone; the plan is plain JSON, versioned with the policy.
  const planFile = join(workDir, 'plan.json');
  await writeFile(planFile, JSON.stringify(await plan(day1Csv, policy), null, 2));

  // Day 2: no search. Classes are counted first, then records are generalized and written.
  const saved = parsePlan(await readFile(planFile, 'utf8'), planFile);
  const output = join(workDir, 'day2-anonymized.csv');
  const summary = await applyPlanToFile(saved, day2Csv, output, { mode: 'two-pass' });
  return { planFile, output, rows: summary.rows, suppressed: summary.suppressedRecords };
}
