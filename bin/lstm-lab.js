#!/usr/bin/env node
"use strict";
/**
 * The `lstm-lab` command of an installed copy (`npx lstm-lab …` in the folder that installed it).
 *
 *   lstm-lab kernel install   [--user | --prefix DIR] [--name NAME]   register a Jupyter kernel running this copy
 *   lstm-lab kernel uninstall [--user | --prefix DIR] [--name NAME]   remove it
 *   lstm-lab tune worker --storage URL --study NAME --objective MODULE [--trials N] [--timeout S] …   run trials of a shared study
 *
 * Commands are a table: a new one (tuning workers, say) is one more entry with its own summary.
 */
const path = require("node:path");
const { installKernel, uninstallKernel, parseKernelArgs, UsageError } = require(path.join(__dirname, "..", "kernel", "install.js"));

const LOCATION = "[--user (default) | --prefix DIR] [--name NAME]";

/** The built library (dist/), loaded only by the commands that need it. */
const lib = (file) => require(path.join(__dirname, "..", "dist", "src", file));

/** @type {Record<string, Record<string, { usage: string, summary: string, run(argv: string[]): string | Promise<string> }>>} */
const COMMANDS = {
  kernel: {
    install: {
      usage: `kernel install ${LOCATION}`,
      summary: "register a Jupyter kernel that runs this installed copy of lstm-lab (again: replaces it)",
      run: (argv) => installKernel(parseKernelArgs(argv).options),
    },
    uninstall: {
      usage: `kernel uninstall ${LOCATION}`,
      summary: "remove that kernel",
      run: (argv) => uninstallKernel(parseKernelArgs(argv).options),
    },
  },
  tune: {
    worker: {
      usage: "tune worker --storage URL|FILE --study NAME --objective MODULE [--trials N] [--timeout S] [--sampler NAME] [--seed K] [--heartbeat S] [--grace S] [--retries N] [--catch ERROR]...",
      summary: "run trials of a shared study (PostgreSQL URL or journal file) until it holds N trials or S seconds pass; one line per trial",
      run: (argv) => lib("tuning/worker-cli.js").tuneWorker(argv),
    },
  },
};

function usage() {
  const lines = Object.values(COMMANDS).flatMap((subs) => Object.values(subs).map((c) => `  lstm-lab ${c.usage}\n      ${c.summary}`));
  return `Usage:\n${lines.join("\n")}\n`;
}

/** Runs one command line; returns its output line, throws UsageError for an unknown command or option. */
function dispatch(argv) {
  const [command, sub, ...rest] = argv;
  const commands = Object.keys(COMMANDS).join(", ");
  if (command === undefined) throw new UsageError(`Missing a command. Choose one of: ${commands}.`);
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`Unknown command ${JSON.stringify(command)}. Choose one of: ${commands}.`);
  const subs = COMMANDS[command];
  const names = Object.keys(subs).join(", ");
  if (sub === undefined) throw new UsageError(`\`lstm-lab ${command}\` needs a subcommand. Choose one of: ${names}.`);
  if (!Object.hasOwn(subs, sub)) throw new UsageError(`Unknown subcommand ${JSON.stringify(sub)} of \`lstm-lab ${command}\`. Choose one of: ${names}.`);
  return subs[sub].run(rest);
}

async function main(argv) {
  if (argv.length === 1 && ["--help", "-h", "help"].includes(argv[0])) {
    process.stdout.write(usage());
    return;
  }
  try {
    process.stdout.write(`${await dispatch(argv)}\n`);
  } catch (e) {
    // the library's errors (ConfigError, LabError) say what was wrong: print them without a stack
    if (e instanceof Error && (e.name === "ConfigError" || e.name === "LabError")) {
      process.stderr.write(`lstm-lab: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`lstm-lab: ${e.message}\n\n${usage()}`);
    process.exitCode = 2;
  }
}

main(process.argv.slice(2));
