// @ts-check
"use strict";
/**
 * Makes `import { … } from "lstm-lab"` work in every notebook, with types.
 *
 * tslab compiles cells with Node10 module resolution from the notebook's folder. A notebook inside
 * this repository (notebooks/ included) has no node_modules/lstm-lab above it: the package is the
 * repository itself, and Node10 resolution ignores self-references. When (and only when) nothing
 * named lstm-lab resolves from the notebook's folder, we present this kernel's own package as a
 * virtual `<notebook folder>/node_modules/lstm-lab`, both to the TypeScript compiler (through
 * ts.sys, which tslab's compiler host reads through) and to `require` at run time. A notebook
 * folder that has lstm-lab installed uses that copy, untouched.
 */
const fs = require("node:fs");
const path = require("node:path");

const PACKAGE = "lstm-lab";

/**
 * True when an installed copy (node_modules/lstm-lab in rootDir or a folder above it, the way
 * Node10 resolution looks) would be found. A self-reference through package.json "exports" does not
 * count: TypeScript's Node10 resolution in cells does not follow it.
 */
/** @param {string} rootDir */
function resolvesNaturally(rootDir) {
  for (let dir = path.resolve(rootDir); ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== "node_modules" && fs.existsSync(path.join(dir, "node_modules", PACKAGE, "package.json"))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * The folder Node would load `name` from, starting at `from`, or null.
 * @param {string} name
 * @param {string} from
 */
function packageDir(name, from) {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (path.basename(dir) !== "node_modules" && fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * Installs the aliases. The same applies, one level further, to lstm-lab's own dependencies
 * (arquero, @tensorflow/tfjs, ...): a notebook that uses lstm-lab through the alias can import
 * them too, from the copies lstm-lab itself uses.
 * @param {{ rootDir: string, packageRoot: string }} o
 * @returns {{ virtual: boolean, resolveRuntime(id: string, base: NodeRequire): string | null }}
 */
function installModuleAliases({ rootDir, packageRoot }) {
  if (resolvesNaturally(rootDir) || path.resolve(rootDir) === path.resolve(packageRoot, "node_modules", PACKAGE)) {
    return { virtual: false, resolveRuntime: () => null };
  }
  const nodeModules = path.join(rootDir, "node_modules");
  /** virtual folder under the notebook's node_modules → real folder */
  const aliases = new Map([[path.join(nodeModules, PACKAGE), packageRoot]]);
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8"));
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (packageDir(dep, rootDir)) continue;
    const real = packageDir(dep, packageRoot);
    if (real) aliases.set(path.join(nodeModules, dep), real);
  }
  /** @type {(p: string) => string} */
  const map = (p) => {
    if (typeof p !== "string" || !p.startsWith(nodeModules + "/")) return p;
    for (const [virtual, real] of aliases) {
      if (p === virtual) return real;
      if (p.startsWith(virtual + "/")) return real + p.slice(virtual.length);
    }
    return p;
  };
  const ts = require("@tslab/typescript-for-tslab");
  const sys = ts.sys;
  const orig = {
    fileExists: sys.fileExists.bind(sys),
    readFile: sys.readFile.bind(sys),
    directoryExists: sys.directoryExists.bind(sys),
    getDirectories: sys.getDirectories.bind(sys),
    readDirectory: sys.readDirectory.bind(sys),
    realpath: sys.realpath ? sys.realpath.bind(sys) : (/** @type {string} */ p) => p,
  };
  /** @type {(p: string) => boolean} */
  const isScope = (p) => [...aliases.keys()].some((v) => v.startsWith(p + "/"));
  sys.fileExists = (p) => orig.fileExists(map(p));
  sys.readFile = (p, enc) => orig.readFile(map(p), enc);
  sys.directoryExists = (p) => ((p === nodeModules || isScope(p)) && !fs.existsSync(p)) || orig.directoryExists(map(p));
  sys.getDirectories = (p) => orig.getDirectories(map(p));
  sys.readDirectory = (p, ...rest) => orig.readDirectory(map(p), ...rest);
  sys.realpath = (p) => orig.realpath(map(p));

  const names = [...aliases.keys()].map((v) => path.relative(nodeModules, v).split(path.sep).join("/"));
  return {
    virtual: true,
    resolveRuntime(id, base) {
      const name = names.find((n) => id === n || id.startsWith(n + "/"));
      if (name === undefined) return null;
      try {
        base.resolve(id);
        return null;
      } catch {
        const real = /** @type {string} */ (aliases.get(path.join(nodeModules, name))); // `name` comes from the aliases' keys
        return id === name ? real : path.join(real, id.slice(name.length + 1));
      }
    },
  };
}

module.exports = { installModuleAliases };
