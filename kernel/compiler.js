// @ts-check
"use strict";
/**
 * tslab's cell compiler, with declaration emit that can always name a type.
 *
 * tslab compiles every cell with `declaration: true`: the declarations of one cell (`const w:
 * ColumnTable`) are how the next cell knows `w`. Declaration emit is written for publishing
 * libraries, so when the only way to name a type goes through a node_modules folder (`const w =
 * dataset(…)` where ColumnTable lives in lstm-lab/node_modules/arquero, or in the arquero of the
 * folder a kernel was registered from) it reports TS2742 "cannot be named without a reference to
 * …; this is likely not portable" and tslab fails the cell. A notebook's declarations are never
 * published: they are read back by the next cell of the same notebook, from the same folder, so
 * the path TypeScript found is exactly the right one.
 *
 * So the converter is loaded with a TypeScript facade that changes three things:
 *  - declaration emit may write `import("lstm-lab/node_modules/arquero").ColumnTable` (the node
 *    builder flag AllowNodeModulesRelativePaths), so the next cell sees `w` with its real type;
 *  - the diagnostics that only declaration emit produces (TS2742, TS2527, TS4023…TS4118, TS5088,
 *    TS7056, TS9005, TS9006 …) never fail a cell: they concern the .d.ts text, not the cell's code;
 *  - the declarations are written even when emit reported such a problem (TypeScript would write
 *    none, and the next cell would lose every name): the one it could not write reads `any`, or a
 *    structural type, which later cells read back without error.
 * Everything else (type errors in the cell, completions, inspection) is tslab's, unchanged.
 */
const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");
const ts = require("@tslab/typescript-for-tslab");

/** Emit-resolver methods that build type nodes for declaration emit; their third argument is the node builder flags. */
const TYPE_NODE_BUILDERS = ["createTypeOfDeclaration", "createReturnTypeOfSignatureDeclaration", "createTypeOfExpression"];

const adapted = new WeakSet();

/**
 * Declaration emit of `program`, as a notebook needs it: it may name types through node_modules
 * paths, and it writes the declarations even where it reported a problem with one of them (that one
 * then reads `any`), instead of writing none and losing every name the cell declared. Idempotent.
 * @param {any} program a ts.Program; typed loosely because what is patched here (emit's sixth argument,
 *   the checker's emit resolver) is TypeScript-internal and in no .d.ts
 */
function adaptDeclarationEmit(program) {
  if (adapted.has(program)) return;
  adapted.add(program);
  const emit = program.emit;
  /** @type {(...args: unknown[]) => unknown} */
  program.emit = function (file, write, token, emitOnly, transformers) {
    return emit.call(this, file, write, token, emitOnly, transformers, /* forceDtsEmit */ true);
  };
  const checker = program.getTypeChecker();
  const getEmitResolver = checker.getEmitResolver;
  /** @type {unknown} */
  let patched = null;
  /** @type {(...args: unknown[]) => unknown} */
  checker.getEmitResolver = function (...args) {
    const resolver = getEmitResolver.apply(this, args);
    if (resolver !== patched) {
      for (const name of TYPE_NODE_BUILDERS) {
        const build = resolver[name];
        /** @type {(node: unknown, enclosing: unknown, flags: number, ...rest: unknown[]) => unknown} */
        resolver[name] = function (node, enclosing, flags, ...rest) {
          return build.call(this, node, enclosing, flags | ts.NodeBuilderFlags.AllowNodeModulesRelativePaths, ...rest);
        };
      }
      patched = resolver;
    }
    return resolver;
  };
}

/**
 * `diagnostics` without those that come only from declaration emit of `files`. Judged by where a
 * diagnostic comes from (program.getDeclarationDiagnostics, cached by the program), not by a list
 * of codes, so a code added by a later TypeScript is covered too.
 * @param {import("@tslab/typescript-for-tslab").Program} program
 * @param {readonly import("@tslab/typescript-for-tslab").SourceFile[]} files
 * @param {readonly import("@tslab/typescript-for-tslab").Diagnostic[]} diagnostics
 */
function withoutDeclarationDiagnostics(program, files, diagnostics) {
  if (!program.getCompilerOptions().declaration) return diagnostics;
  const key = (/** @type {import("@tslab/typescript-for-tslab").Diagnostic} */ d) => `${d.file ? d.file.fileName : ""}:${d.start}:${d.length}:${d.code}`;
  const declarationOnly = new Set();
  for (const file of files) for (const d of program.getDeclarationDiagnostics(file)) declarationOnly.add(key(d));
  return declarationOnly.size === 0 ? diagnostics : diagnostics.filter((d) => !declarationOnly.has(key(d)));
}

/** The TypeScript module as tslab's converter sees it: the real one, with its two pre-emit checks wrapped. */
function typescriptForCells() {
  const wrapped = {
    /**
     * @param {import("@tslab/typescript-for-tslab").Program} program
     * @param {import("@tslab/typescript-for-tslab").SourceFile[]} files
     * @param {import("@tslab/typescript-for-tslab").CancellationToken} [token]
     */
    getPreEmitDiagnosticsOfFiles(program, files, token) {
      adaptDeclarationEmit(program);
      return withoutDeclarationDiagnostics(program, files, ts.getPreEmitDiagnosticsOfFiles(program, files, token));
    },
    /**
     * @param {import("@tslab/typescript-for-tslab").Program} program
     * @param {import("@tslab/typescript-for-tslab").SourceFile} [file]
     * @param {import("@tslab/typescript-for-tslab").CancellationToken} [token]
     */
    getPreEmitDiagnostics(program, file, token) {
      adaptDeclarationEmit(program);
      return withoutDeclarationDiagnostics(program, file ? [file] : program.getSourceFiles(), ts.getPreEmitDiagnostics(program, file, token));
    },
  };
  // The real module's exports are non-configurable getters, so the facade is a new object.
  const facade = { __esModule: true };
  for (const k of Object.keys(ts)) {
    Object.defineProperty(facade, k, k in wrapped ? { enumerable: true, value: /** @type {Record<string, unknown>} */ (wrapped)[k] } : { enumerable: true, get: () => /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (ts))[k] });
  }
  return facade;
}

/** @type {typeof import("tslab/dist/converter") | null} */
let converterModule = null;

/**
 * tslab's converter module, loaded privately so that its `require` of TypeScript gets the facade.
 * @returns {typeof import("tslab/dist/converter")}
 */
function loadConverter() {
  if (converterModule) return converterModule;
  const filename = require.resolve("tslab/dist/converter");
  const facade = typescriptForCells();
  const mod = new Module(filename, /** @type {Module} */ (/** @type {unknown} */ (module)));
  mod.filename = filename;
  mod.paths = /** @type {typeof Module & { _nodeModulePaths(dir: string): string[] }} */ (Module)._nodeModulePaths(path.dirname(filename));
  const requireFromTslab = mod.require.bind(mod);
  mod.require = /** @type {NodeJS.Require} */ (/** @type {unknown} */ ((/** @type {string} */ id) => (id === "@tslab/typescript-for-tslab" ? facade : requireFromTslab(id))));
  /** @type {Module & { _compile(code: string, filename: string): void }} */ (mod)._compile(fs.readFileSync(filename, "utf8"), filename);
  converterModule = mod.exports;
  return /** @type {typeof import("tslab/dist/converter")} */ (converterModule);
}

/**
 * tslab's `createConverter`, compiling cells so that how TypeScript names a type never fails one.
 * Create it after kernel/resolve.js has installed its module aliases: the converter reads through ts.sys.
 * @example
 *   const conv = createConverter({ isJS: false, isBrowser: false });
 *   conv.convert("", `import { dataset } from "lstm-lab"; const w = dataset("seattle-weather");`).diagnostics; // []
 * @param {{ isJS?: boolean, isBrowser?: boolean }} options
 */
function createConverter(options) {
  return loadConverter().createConverter(options);
}

module.exports = { createConverter, withoutDeclarationDiagnostics };
