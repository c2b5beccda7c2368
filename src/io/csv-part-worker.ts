// Worker-thread entry of the parallel CSV reader (parallel-csv-reader.ts): scans the second part of a file and posts
// back one answer, its codes, dictionaries and line numbers transferred rather than copied, or 'declined'.

import { partTransferList, scanPlainCsvPart, type PartRequest, type PlainCsvPart } from './parallel-csv-reader.js';
import { answerTask } from './worker-task.js';

await answerTask<PartRequest, PlainCsvPart | 'declined'>(async (request) => {
  const part = await scanPlainCsvPart(request);
  return { answer: part, transfer: part === 'declined' ? [] : partTransferList(part) };
});
