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

/**
 * @typedef {{ ename: string, evalue: string, traceback: string[] }} CellError
 * @typedef {{ ok: true, hasValue: boolean, value?: unknown } | { ok: false, error: CellError }} CellResult
 */

const ANSI_RED = "\u001b[0;31m";
const ANSI_RESET = "\u001b[0m";

/** An error a cell threw, as Jupyter wants it: name, message, and traceback lines. */
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

function safeString(v) {
  try {
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  } catch {
    return String(v);
  }
}

/** TypeScript diagnostics of a cell → one Jupyter error. */
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
function expandShorthandProperties(src) {
  const ts = require("@tslab/typescript-for-tslab");
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const inserts = [];
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

class KeyboardInterrupt extends Error {
  constructor(message) {
    super(message);
    this.name = "KeyboardInterrupt";
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
  const { createConverter } = require("tslab/dist/converter");
  const { getCodeMetadata } = require("tslab/dist/metadata");
  const conv = createConverter({ isJS: false, isBrowser: false });

  const sideOutputs = new Map();
  const sideModules = new Map();
  const locals = createExports();
  const req = wrapRequire(Module.createRequire(path.join(rootDir, "__cell__.js")), rootDir);
  vm.runInThisContext("(x) => { globalThis.__tslab__ = x; }")({ exports: locals, require: req });

  let prevDecl = "";
  /** @type {AbortController} */
  let controller = new AbortController();
  /** @type {null | ((e: Error) => void)} */
  let rejectRunning = null;

  function createExports() {
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

  function wrapRequire(base, dirname) {
    function fromSideOutputs(id) {
      let filename = path.resolve(dirname, id);
      if (path.extname(filename) === "") filename += ".js";
      const cached = sideModules.get(filename);
      if (cached) return cached.exports;
      if (!sideOutputs.has(filename)) return null;
      const mod = new Module(filename, module);
      mod.filename = filename;
      mod.paths = Module._nodeModulePaths(path.dirname(filename));
      mod.require = wrapRequire(mod.require.bind(mod), path.dirname(filename));
      mod._compile(sideOutputs.get(filename), filename);
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

  /**
   * Runs one cell.
   * @param {string} src
   * @returns {Promise<CellResult>}
   */
  async function execute(src) {
    controller = new AbortController();
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
    for (const out of converted.sideOutputs ?? []) {
      sideModules.delete(out.path);
      sideOutputs.set(out.path, out.data);
    }
    if (converted.diagnostics.length > 0) return { ok: false, error: describeDiagnostics(converted.diagnostics) };
    if (!converted.output) {
      prevDecl = converted.declOutput || "";
      return { ok: true, hasValue: false };
    }
    // Declarations count from here on even if the cell fails at run time or is interrupted, as in
    // IPython: variables assigned before the failure stay usable.
    prevDecl = converted.declOutput || "";
    if (controller.signal.aborted) {
      // Interrupted while compiling: a synchronous loop started now could never be stopped.
      return { ok: false, error: describeThrown(new KeyboardInterrupt("Interrupted before the cell started")) };
    }
    const prefix = converted.hasToplevelAwait ? "(async function(exports, require) { " : "(function(exports, require) { ";
    const wrapped = prefix + converted.output + "\n})(__tslab__.exports, __tslab__.require)";
    let ret;
    try {
      ret = vm.runInThisContext(wrapped, { breakOnSigint: true, filename: "evalmachine.<anonymous>" });
    } catch (e) {
      return { ok: false, error: describeThrown(e) };
    }
    if (converted.hasToplevelAwait) {
      try {
        await new Promise((resolve, reject) => {
          rejectRunning = reject;
          Promise.resolve(ret).then(resolve, reject);
        });
      } catch (e) {
        return { ok: false, error: describeThrown(e) };
      } finally {
        rejectRunning = null;
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

  /**
   * Asks the running cell to stop: the library sees the AbortSignal between batches or trials.
   * An async cell that has not finished within the grace period is abandoned with
   * KeyboardInterrupt so the kernel can take the next request; its state is kept.
   */
  function interrupt() {
    controller.abort(new KeyboardInterrupt("Interrupted by the user"));
    const reject = rejectRunning;
    if (reject) {
      const t = setTimeout(() => {
        if (rejectRunning === reject) reject(new KeyboardInterrupt("Interrupted: the cell did not stop within " + interruptGraceMs / 1000 + " s; it was abandoned (its variables are kept)"));
      }, interruptGraceMs);
      t.unref();
    }
  }

  function inspect(src, cursor) {
    return conv.inspect(prevDecl, src, cursor);
  }

  function complete(src, cursor) {
    return conv.complete(prevDecl, src, cursor);
  }

  return {
    execute,
    interrupt,
    inspect,
    complete,
    get signal() {
      return controller.signal;
    },
    close: () => conv.close(),
  };
}

module.exports = { createExecutor, describeThrown, describeDiagnostics, KeyboardInterrupt };
