// Peak-RSS launcher for the process benchmarks: `node launcher.js <rss-file> <cli.js> args…` runs the CLI in this process
// with its own argv and, on exit, writes "<maxRSS KiB> <user s> <system s>" to <rss-file>. Used when /usr/bin/time is absent.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [node, , rssFile, cli, ...args] = process.argv;
if (rssFile === undefined || cli === undefined) {
  process.stderr.write('usage: node launcher.js <rss-file> <cli.js> [args…]\n');
  process.exit(2);
}
process.argv = [node, resolve(cli), ...args];
process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(rssFile, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
});
await import(pathToFileURL(resolve(cli)).href);
