// @ts-check
"use strict";
/**
 * Runs notebook cells. Compiles TypeScript with tslab's converter (TypeScript 5.0, Node10
 * resolution), then runs the JavaScript in this process, keeping declarations between cells.
 *
 * Differs from tslab's own executor in what it returns: a structured result (the value of the
 * last expression, or an error with ename / evalue / traceback) instead of printing, so the
 * protocol layer can send execute_result and error messages. Also: `import … from "lstm-lab"`
 * resolves (see resolve.js), a cell can be interrupted through an AbortSignal, and type errors
 * come back as one error, not as stderr text.
 */
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");
const { installModuleAliases } = require("./resolve");
const { markWasmStack, restoreEngine } = require("./restore-engine");

/**
 * @typedef {{ ename: string, evalue: string, traceback: string[] }} CellError
 * @typedef {{ ok: true, hasValue: boolean, value?: unknown } | { ok: false, error: CellError }} CellResult
 */

const ANSI_RED = "\u001b[0;31m";
const ANSI_RESET = "\u001b[0m";

/**
 * An error a cell threw, as Jupyter wants it: name, message, and traceback lines.
 * @param {unknown} e
 * @returns {CellError}
 */
function describeThrown(e) {
  if (e instanceof Error || (e && typeof e === "object" && "stack" in e && "message" in e)) {
    const err = /** @type {Error & {code?: string}} */ (e);
    let ename = err.name || (err.constructor && err.constructor.name) || "Error";
    if (err.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") ename = "KeyboardInterrupt";
    const evalue = String(err.message ?? "");
    const frames = String(err.stack || "")
      .split("\n")
      .filter((l) => /^\s+at /.test(l))
      // Frames from the kernel itself and Node internals are noise for a notebook user.
      .filter((l) => !l.includes(__dirname) && !l.includes("node:internal") && !l.includes("(node:"))
      .map((l) => l.replace(/evalmachine\.<anonymous>/g, "<cell>"));
    return { ename, evalue, traceback: [`${ANSI_RED}${ename}${ANSI_RESET}: ${evalue}`, ...frames] };
  }
  const evalue = typeof e === "string" ? e : safeString(e);
  return { ename: "Error", evalue, traceback: [`${ANSI_RED}Uncaught${ANSI_RESET} ${evalue}`] };
}

/** @param {unknown} v */
function safeString(v) {
  try {
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  } catch {
    return String(v);
  }
}

/**
 * TypeScript diagnostics of a cell → one Jupyter error.
 * @param {readonly import("tslab/dist/converter").Diagnostic[]} diags tslab's converter diagnostics
 * @returns {CellError}
 */
function describeDiagnostics(diags) {
  const lines = diags.map((d) => {
    const where = d.start ? `${d.start.line + 1}:${d.start.character + 1}` : "";
    const file = d.fileName && !d.fileName.endsWith("__tslab__.ts") ? `${d.fileName} ` : "";
    return `${file}${where} - ${d.messageText}`;
  });
  const first = lines[0] ?? "";
  return {
    ename: "TypeScriptError",
    evalue: first,
    traceback: [`${ANSI_RED}TypeScriptError${ANSI_RESET}: ${diags.length} error${diags.length === 1 ? "" : "s"}`, ...lines],
  };
}

/**
 * `{ a }` → `{ a: a }`. tslab reaches a previous cell's variable `a` by rewriting the identifier to
 * `exports.a`, which it cannot do inside a shorthand property, so `{ a }` threw ReferenceError.
 * The long form means the same in every position (object literals and destructuring assignments).
 */
/** @param {string} src */
function expandShorthandProperties(src) {
  const ts = require("@tslab/typescript-for-tslab");
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  /** @type {{ at: number, text: string }[]} */
  const inserts = [];
  /** @param {import("@tslab/typescript-for-tslab").Node} node */
  const visit = (node) => {
    if (ts.isShorthandPropertyAssignment(node)) inserts.push({ at: node.name.end, text: `: ${node.name.text}` });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (inserts.length === 0) return src;
  let out = src;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/**
 * The cell's import statements, each as its own source text, and the modules they load at run time
 * (type-only imports load nothing).
 * @param {string} src
 * @returns {{ texts: string[], modules: string[] }}
 */
function importsOf(src) {
  const ts = require("@tslab/typescript-for-tslab");
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const texts = [];
  const modules = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      texts.push(src.slice(st.getStart(sf), st.end));
      if (!(st.importClause && st.importClause.isTypeOnly)) modules.push(st.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteral(st.moduleReference.expression)) {
      texts.push(src.slice(st.getStart(sf), st.end));
      if (!st.isTypeOnly) modules.push(st.moduleReference.expression.text);
    }
  }
  return { texts, modules };
}

/**
 * After the event loop's next poll for I/O: a SIGINT or interrupt_request that came in meanwhile has
 * been handled by then. One setImmediate is not enough: called from an I/O callback, it runs right
 * after the poll that already happened; one queued from inside it waits for the next iteration's poll.
 */
const nextTurn = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

class KeyboardInterrupt extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "KeyboardInterrupt";
  }
}

/** What `process.exit()` / `process.abort()` throw in a cell: the kernel lives on, as ipykernel does for sys.exit(). */
class SystemExit extends Error {
  /** @param {string} message @param {number | string | null | undefined} code */
  constructor(message, code) {
    super(message);
    this.name = "SystemExit";
    this.exitCode = code;
  }
}

/**
 * @param {object} o
 * @param {string} o.rootDir  the notebook's folder (the kernel's cwd)
 * @param {string} o.packageRoot  the lstm-lab package this kernel belongs to
 * @param {number} [o.interruptGraceMs]  how long an interrupted async cell may take to finish on its own
 */
function createExecutor({ rootDir, packageRoot, interruptGraceMs = 5000 }) {
  const aliases = installModuleAliases({ rootDir, packageRoot });
  // tslab's converter must be created after the aliases are installed: it reads through ts.sys.
  // compiler.js wraps it so that how TypeScript names a type in declarations never fails a cell.
  const { createConverter } = require("./compiler");
  const { getCodeMetadata } = require("tslab/dist/metadata");
  const conv = createConverter({ isJS: false, isBrowser: false });

  /** @type {Map<string, string>} */
  const sideOutputs = new Map();
  /** @type {Map<string, Module>} */
  const sideModules = new Map();
  const locals = createExports();
  const req = wrapRequire(Module.createRequire(path.join(rootDir, "__cell__.js")), rootDir);
  vm.runInThisContext("(x) => { globalThis.__tslab__ = x; }")({ exports: locals, require: req });

  let prevDecl = "";
  /** The running (or last) cell's interrupt signal; the library reads it through the kernel host. */
  let signal = new AbortController().signal;

  function createExports() {
    /** @type {Record<string | symbol, unknown>} */
    const target = {};
    return new Proxy(target, {
      // TypeScript turns named imports into defineProperty; keep them rewritable like tslab does.
      defineProperty: (_t, prop, attrs) => {
        if (prop === "__esModule") return true;
        target[prop] = attrs.get ? attrs.get() : attrs.value;
        return true;
      },
    });
  }

  /**
   * @param {NodeJS.Require} base
   * @param {string} dirname
   * @returns {NodeJS.Require}
   */
  function wrapRequire(base, dirname) {
    /** @param {string} id */
    function fromSideOutputs(id) {
      let filename = path.resolve(dirname, id);
      if (path.extname(filename) === "") filename += ".js";
      const cached = sideModules.get(filename);
      if (cached) return cached.exports;
      if (!sideOutputs.has(filename)) return null;
      const mod = new Module(filename, /** @type {Module} */ (/** @type {unknown} */ (module)));
      mod.filename = filename;
      mod.paths = /** @type {typeof Module & { _nodeModulePaths(dir: string): string[] }} */ (Module)._nodeModulePaths(path.dirname(filename));
      // bind() keeps the call but drops require.resolve, so resolveRuntime's probe throws here and an aliased name goes to its alias
      mod.require = wrapRequire(/** @type {NodeJS.Require} */ (/** @type {unknown} */ (mod.require.bind(mod))), path.dirname(filename));
      /** @type {Module & { _compile(code: string, filename: string): void }} */ (mod)._compile(/** @type {string} */ (sideOutputs.get(filename)), filename);
      sideModules.set(filename, mod);
      return mod.exports;
    }
    return new Proxy(base, {
      apply: (_t, thisArg, args) => {
        if (args.length !== 1 || typeof args[0] !== "string") return Reflect.apply(base, thisArg, args);
        const id = args[0];
        if (id === "tslab") return require("tslab");
        if (id.startsWith(".")) {
          const side = fromSideOutputs(id);
          if (side) return side;
        }
        const aliased = aliases.resolveRuntime(id, base);
        if (aliased) return require(aliased);
        return base(id);
      },
    });
  }

  /** Makes a converted cell's side outputs (local .ts modules it imports) loadable. */
  /** @param {import("tslab/dist/converter").ConvertResult} converted */
  function registerSideOutputs(converted) {
    for (const out of converted.sideOutputs ?? []) {
      sideModules.delete(out.path);
      sideOutputs.set(out.path, out.data);
    }
  }

  /**
   * @param {string} output
   * @param {boolean | undefined} isAsync
   */
  function wrap(output, isAsync) {
    const prefix = isAsync ? "(async function(exports, require) { " : "(function(exports, require) { ";
    return prefix + output + "\n})(__tslab__.exports, __tslab__.require)";
  }

  /**
   * A cell that fails its type check does not run, but its import statements (when they type-check
   * on their own) are compiled and run by themselves, so later cells can use what it imported.
   * @param {string} src
   * @returns {string[]} the modules whose imports were kept
   */
  function keepImports(src) {
    const { texts } = importsOf(src);
    const runAlone = (/** @type {string} */ code) => {
      let converted;
      try {
        converted = conv.convert(prevDecl, code);
      } catch {
        return false;
      }
      if (converted.diagnostics.length > 0) return false;
      registerSideOutputs(converted);
      if (converted.output) {
        try {
          vm.runInThisContext(wrap(converted.output, false), { filename: "evalmachine.<anonymous>" });
        } catch {
          return false;
        }
      }
      prevDecl = converted.declOutput || "";
      return true;
    };
    if (texts.length === 0) return [];
    const kept = runAlone(texts.join("\n")) ? texts : texts.filter(runAlone);
    return kept.map((t) => importsOf(t).modules[0] ?? t);
  }

  /** @returns {CellResult} the kernel's own KeyboardInterrupt: no stack, the message says it all */
  const interrupted = (/** @type {string} */ message) => ({
    ok: false,
    error: { ename: "KeyboardInterrupt", evalue: message, traceback: [`${ANSI_RED}KeyboardInterrupt${ANSI_RESET}: ${message}`] },
  });

  /**
   * Waits for an async cell. Once interrupted it has `interruptGraceMs` to finish on its own (the
   * library stops between batches and trials); after that it is abandoned with KeyboardInterrupt so
   * the kernel can take the next request. Its state is kept either way.
   */
  /** @param {unknown} ret the cell's promise */
  function settleOrAbandon(ret) {
    return new Promise((resolve, reject) => {
      const running = Promise.resolve(ret);
      running.then(resolve, reject);
      const abandon = () => {
        const t = setTimeout(() => {
          reject(new KeyboardInterrupt(`Interrupted: the cell did not stop within ${interruptGraceMs / 1000} s; it was abandoned (its variables are kept)`));
        }, interruptGraceMs);
        running.then(() => clearTimeout(t), () => clearTimeout(t));
      };
      if (signal.aborted) abandon();
      else signal.addEventListener("abort", abandon, { once: true });
    });
  }

  /**
   * Runs one cell. `cellSignal` is the cell's interrupt: aborted when the user interrupts it, from
   * the moment its request arrived (while queued, compiling, importing or running).
   * An interrupted cell always ends with KeyboardInterrupt, also when it stopped cleanly (training
   * returns its History so far), so "Run All" stops there as it does in IPython.
   * @param {string} src
   * @param {AbortSignal} [cellSignal]
   * @returns {Promise<CellResult>}
   */
  async function execute(src, cellSignal = new AbortController().signal) {
    signal = cellSignal;
    const result = await run(src);
    if (result.ok && signal.aborted) return interrupted("Interrupted: the cell stopped early (training and tuning stop after their current batch or trial); its variables are kept");
    return result;
  }

  /**
   * @param {string} src
   * @returns {Promise<CellResult>}
   */
  async function run(src) {
    if (signal.aborted) return interrupted("Interrupted before the cell started");
    const meta = getCodeMetadata(src);
    if (meta.module) {
      const diags = conv.addModule(meta.module, src, meta);
      if (diags.length) return { ok: false, error: describeDiagnostics(diags) };
      return { ok: true, hasValue: false };
    }
    let converted;
    try {
      converted = conv.convert(prevDecl, expandShorthandProperties(src));
    } catch (e) {
      return { ok: false, error: describeThrown(e) };
    }
    registerSideOutputs(converted);
    if (converted.diagnostics.length > 0) {
      const error = describeDiagnostics(converted.diagnostics);
      const kept = keepImports(src);
      if (kept.length > 0) error.traceback.push(`The cell did not run. Its imports (from ${kept.map((m) => JSON.stringify(m)).join(", ")}) did, so later cells can use them.`);
      return { ok: false, error };
    }
    if (!converted.output) {
      prevDecl = converted.declOutput || "";
      return { ok: true, hasValue: false };
    }
    // Load what the cell imports before it runs, outside breakOnSigint: a SIGINT must never cut a
    // module's loading in half. One turn of the event loop then lets an interrupt that came in
    // while compiling or loading land before the cell starts.
    for (const id of importsOf(src).modules) {
      try {
        req(id);
      } catch {
        // the cell's own import reports the failure, in the cell
      }
    }
    // Compiled before the last look at the signal, so that nothing but arming breakOnSigint lies
    // between that look and the cell's first statement.
    let script;
    try {
      script = new vm.Script(wrap(converted.output, converted.hasToplevelAwait), { filename: "evalmachine.<anonymous>" });
    } catch (e) {
      return { ok: false, error: describeThrown(e) };
    }
    await nextTurn();
    if (signal.aborted) return interrupted("Interrupted before the cell started");
    // Declarations count from here on even if the cell fails at run time or is interrupted, as in
    // IPython: variables assigned before the failure stay usable.
    prevDecl = converted.declOutput || "";
    let ret;
    markWasmStack();
    try {
      // Only a synchronous cell is broken into by SIGINT (its loop could not be stopped otherwise).
      // An async cell stops through its signal: breaking into it could land inside library code
      // (a tf op, the wasm thread pool) and leave that half done.
      ret = script.runInThisContext({ breakOnSigint: !converted.hasToplevelAwait });
    } catch (e) {
      if (e && /** @type {{ code?: unknown }} */ (e).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
        // Broken into: whatever tf call it was in never ran its `finally` blocks.
        const { broken } = restoreEngine();
        const error = describeThrown(e);
        if (broken) error.traceback.push(`TensorFlow.js failed its check after the interrupt (${broken}): the interrupt landed inside a WebAssembly call and left its memory damaged. Restart the kernel.`);
        return { ok: false, error };
      }
      return { ok: false, error: describeThrown(e) };
    }
    if (converted.hasToplevelAwait) {
      try {
        await settleOrAbandon(ret);
      } catch (e) {
        return { ok: false, error: describeThrown(e) };
      }
    }
    const name = converted.lastExpressionVar;
    if (name && name in locals) {
      const value = locals[name];
      delete locals[name];
      return { ok: true, hasValue: value !== undefined, value };
    }
    return { ok: true, hasValue: false };
  }

  /** Quick info at the cursor, or null for a name nobody declared (TypeScript's checker calls it `any`, kind ""). */
  /**
   * @param {string} src
   * @param {number} cursor
   */
  function inspect(src, cursor) {
    const info = conv.inspect(prevDecl, src, cursor);
    return info && info.kind !== "" ? info : null;
  }

  /**
   * Completions at the cursor. An import still being written (`import { buildM`) has no module yet,
   * so its names are completed from lstm-lab, the package this kernel hosts.
   */
  /**
   * @param {string} src
   * @param {number} cursor
   */
  function complete(src, cursor) {
    const info = conv.complete(prevDecl, src, cursor);
    if (info.candidates.length > 0) return info;
    const before = src.slice(0, cursor);
    const lineEnd = src.indexOf("\n", cursor);
    const after = lineEnd < 0 ? "" : src.slice(lineEnd);
    if (!/(^|\n)\s*import\s+(type\s+)?\{[^}]*$/.test(before) || /\bfrom\b/.test(src.slice(cursor, lineEnd < 0 ? undefined : lineEnd))) return info;
    return conv.complete(prevDecl, `${before} } from "lstm-lab"${after}`, cursor);
  }

  return {
    execute,
    inspect,
    complete,
    get signal() {
      return signal;
    },
    close: () => conv.close(),
  };
}

module.exports = { createExecutor, describeThrown, describeDiagnostics, KeyboardInterrupt, SystemExit };
