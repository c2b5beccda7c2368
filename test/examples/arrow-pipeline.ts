// Example: Arrow in, Arrow out. An Arrow table from another stage is anonymized in memory and handed on as an
// Arrow IPC stream; every row and column is kept (generalized, suppressed or hidden, never dropped).

import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { anonymize, type AnonymizeOptions } from '../../src/index.js'; // in an application: from 'cloak'

export async function main(input: Table, policy: AnonymizeOptions): Promise<{ ipc: Uint8Array; policySha256: string }> {
  const { table, report } = await anonymize(input, policy);
  // IPC stream bytes: what the next stage (a file, a socket, another process) receives.
  const ipc = tableToIPC(table, 'stream');
  // The receiving side reads it back without Cloak.
  const received = tableFromIPC(ipc);
  if (received.numRows !== input.numRows) throw new Error('rows were lost');
  return { ipc, policySha256: report.policySha256 };
}
