// Worker-thread entry that formats a table as CSV bytes (csv-writer.ts), so that formatting runs while the main thread
// verifies the output; the chunks are transferred back, and written only once verification has passed.

import { csvChunks } from './csv-writer.js';
import { answerTask } from './worker-task.js';
import type { CsvFormatRequest } from './csv-formatting.js';

await answerTask((request: CsvFormatRequest) => {
  const chunks = [...csvChunks(request.table, request.delimiter)];
  return { answer: chunks, transfer: chunks.map((chunk) => chunk.buffer as ArrayBuffer) };
});
