#!/usr/bin/env node
// The `cloak` command: dispatches subcommands, maps errors to one or two lines and an exit code, handles signals.
// Never prints a stack trace or a cell value; set CLOAK_DEBUG=1 to see the stack of an internal error.

import { CloakError, cloakVersion, ExitCode, removeTemporaryFiles } from '../index.js';
import { runAnonymize } from './anonymize-command.js';
import { runCheck } from './check-command.js';
import { runHierarchy } from './hierarchy-command.js';
import { runApply, runPlan } from './plan-command.js';
import { runReidentify } from './reidentify-command.js';
import { runRisk } from './risk-command.js';

const MAIN_HELP = `Usage: cloak <command> [options]

Commands:
  anonymize   anonymize a CSV file (cloak anonymize --help)
  plan        search the transformation once and save it as a plan (cloak plan --help)
  apply       apply a saved plan to new data, re-checking every model (cloak apply --help)
  check       check that an existing export meets a policy (cloak check --help)
  hierarchy   check hierarchy files against data, or build one (cloak hierarchy --help)
  reidentify  decrypt the ff1 columns of a release, for the key holder (cloak reidentify --help)
  risk        estimate the re-identification risk of a CSV or Arrow file (cloak risk --help)

Run "cloak <command> --help" for a command's options, "cloak --version" for Cloak's version.`;

type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  anonymize: runAnonymize,
  plan: runPlan,
  apply: runApply,
  check: runCheck,
  hierarchy: runHierarchy,
  reidentify: runReidentify,
  risk: runRisk,
};

function onSignal(signal: 'SIGINT' | 'SIGTERM'): void {
  removeTemporaryFiles();
  process.stderr.write(`cloak: interrupted (${signal}); no output was written\n`);
  process.exit(signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm);
}

function reportError(error: unknown): number {
  if (error instanceof CloakError) {
    process.stderr.write(`cloak: error: ${error.message}\n`);
    return error.exitCode;
  }
  // Not a user-caused failure: say so without echoing a message that might quote data.
  process.stderr.write('cloak: internal error; please report it (set CLOAK_DEBUG=1 for details)\n');
  if (process.env.CLOAK_DEBUG === '1') process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

/** Whether `--version` is among the flags (before a `--` that ends them), for `cloak` and every command. */
function asksForVersion(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--version');
}

async function main(argv: readonly string[]): Promise<number> {
  if (asksForVersion(argv)) {
    process.stdout.write(`${cloakVersion()}\n`);
    return ExitCode.ok;
  }
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(MAIN_HELP + '\n');
    return command === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const run = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    process.stderr.write(`cloak: error: unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return ExitCode.usage;
  }
  return run(rest);
}

process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // A closed pipe (`cloak … -o - | head`) is the reader's choice, not a failure.
  if (error.code === 'EPIPE') process.exit(ExitCode.ok);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    removeTemporaryFiles();
    process.exitCode = reportError(error);
  },
);

