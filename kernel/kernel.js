#!/usr/bin/env node
// @ts-check
"use strict";
/**
 * The lstm-lab Jupyter kernel: TypeScript cells compiled by tslab's compiler, run by our executor,
 * spoken to Jupyter by our protocol layer. Started by Jupyter as
 *   node --max-old-space-size=N kernel/kernel.js <connection_file>
 * (see kernel/install.js for the kernelspec).
 */
const fs = require("node:fs");
const path = require("node:path");
const v8 = require("node:v8");

const packageRoot = path.resolve(__dirname, "..");
// The kernel takes the host key and the display symbol from the library it hosts (dist/), so the
// two cannot drift apart; without a build there is nothing to host.
if (!fs.existsSync(path.join(packageRoot, "dist", "src", "index.js"))) {
  process.stderr.write(`lstm-lab kernel: ${packageRoot}/dist is missing; run \`npm run build\` there first.\n`);
  process.exit(1);
}
const { installKernelHost } = require("../dist/src/host.js");
const { createExecutor, SystemExit } = require("./executor");
const { JupyterKernel } = require("./jupyter");
const { represent } = require("../dist/src/represent.js");

/**
 * @param {string[]} argv
 * @returns {string}
 */
function connectionFileFromArgs(argv) {
  const i = argv.indexOf("--config-path");
  if (i >= 0 && argv[i + 1]) return argv[i + 1];
  const rest = argv.filter((a) => !a.startsWith("-"));
  if (rest[0]) return rest[0];
  process.stderr.write("usage: kernel.js <connection_file>\n");
  process.exit(2);
}

function main() {
  const connectionFile = connectionFileFromArgs(process.argv.slice(2));
  const realStderrWrite = process.stderr.write.bind(process.stderr);
  const realExit = process.exit.bind(process);
  // A cell cannot end the kernel: exit and abort throw SystemExit in the cell (ipykernel does the same
  // for sys.exit()). Restart from the notebook's Kernel menu.
  process.exit = function exit(code) {
    throw new SystemExit(`process.exit(${code === undefined ? "" : JSON.stringify(code)}) was called; the kernel keeps running (restart it from the Kernel menu)`, code);
  };
  process.abort = function abort() {
    throw new SystemExit("process.abort() was called; the kernel keeps running (restart it from the Kernel menu)", undefined);
  };

  const executor = createExecutor({
    rootDir: process.cwd(),
    packageRoot,
    interruptGraceMs: Number(process.env.LSTM_LAB_INTERRUPT_GRACE_MS ?? 5000),
  });
  const tsVersion = require("@tslab/typescript-for-tslab").version;
  const pkg = require(path.join(packageRoot, "package.json"));
  const kernel = new JupyterKernel({
    connectionFile,
    executor,
    exit: realExit,
    info: {
      implementationVersion: pkg.version,
      typescriptVersion: tsVersion,
      banner: `LSTM Lab ${pkg.version}: TypeScript ${tsVersion} on Node ${process.version} (tslab ${require("tslab/package.json").version})`,
    },
  });
  kernel.realStderrWrite = realStderrWrite;

  // Output of a cell, including output written later by its timers and promises, goes to the
  // most recent cell, as in IPython.
  /** @type {(name: "stdout" | "stderr") => typeof process.stdout.write} */
  const toStream = (name) =>
    /**
     * @param {string | Uint8Array} chunk
     * @param {BufferEncoding | ((err?: Error | null) => void)} [encoding]
     * @param {(err?: Error | null) => void} [cb]
     */
    (chunk, encoding, cb) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString(typeof encoding === "string" ? encoding : "utf8");
      kernel.stream(name, text);
      if (typeof encoding === "function") encoding();
      else if (typeof cb === "function") cb();
      return true;
    };

  const tslabJupyter = require("tslab/dist/jupyter");
  /** @type {Set<string>} */
  let sessionFlags = new Set();
  /** @type {import("../dist/src/host.js").KernelHost} */
  const host = {
    display: (data, options) => kernel.display(data, options),
    clearOutput: (wait) => kernel.clearOutput(wait),
    represent,
    get interruptSignal() {
      return executor.signal;
    },
    get sessionFlags() {
      return sessionFlags;
    },
  };
  installKernelHost(host);

  kernel.hooks = {
    beginCell() {
      process.stdout.write = toStream("stdout");
      process.stderr.write = toStream("stderr");
      // tslab's own `display` API keeps working, with display_id updates.
      tslabJupyter.lastWriteDisplayData = (content, update) => {
        kernel.publish(update ? "update_display_data" : "display_data", content, kernel.outputParent);
      };
    },
  };

  process.on("SIGINT", () => kernel.interrupt());
  process.on("uncaughtException", (err) => {
    kernel.reportBackgroundError(`Uncaught exception (outside any cell's await): ${err && err.stack ? err.stack : err}\n`);
  });
  process.on("unhandledRejection", (reason) => {
    kernel.reportBackgroundError(`Unhandled promise rejection: ${reason && /** @type {{ stack?: unknown }} */ (reason).stack ? /** @type {{ stack?: unknown }} */ (reason).stack : reason}\n`);
  });

  // Runaway memory: warn in the cell before V8 gives up at the heap limit (set in the kernelspec).
  let warned = false;
  const watchdog = setInterval(() => {
    const s = v8.getHeapStatistics();
    const used = s.used_heap_size / s.heap_size_limit;
    if (used > 0.85 && !warned) {
      warned = true;
      kernel.stream("stderr", `Memory warning: the kernel uses ${(s.used_heap_size / 2 ** 30).toFixed(1)} GiB of its ${(s.heap_size_limit / 2 ** 30).toFixed(1)} GiB heap limit; free tensors (tf.dispose) or restart the kernel.\n`);
    } else if (used < 0.7) {
      warned = false;
    }
  }, 1000);
  watchdog.unref();

  kernel.start().catch((e) => {
    realStderrWrite(`lstm-lab kernel failed to start: ${e && e.stack}\n`);
    realExit(1);
  });
}

main();
