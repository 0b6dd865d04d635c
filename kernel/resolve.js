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
function resolvesNaturally(rootDir) {
  for (let dir = path.resolve(rootDir); ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== "node_modules" && fs.existsSync(path.join(dir, "node_modules", PACKAGE, "package.json"))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * @param {{ rootDir: string, packageRoot: string }} o
 * @returns {{ virtual: boolean, resolveRuntime(id: string, base: NodeRequire): string | null }}
 */
function installModuleAliases({ rootDir, packageRoot }) {
  if (resolvesNaturally(rootDir) || path.resolve(rootDir) === path.resolve(packageRoot, "node_modules", PACKAGE)) {
    return { virtual: false, resolveRuntime: () => null };
  }
  const ts = require("@tslab/typescript-for-tslab");
  const nodeModules = path.join(rootDir, "node_modules");
  const virtualRoot = path.join(nodeModules, PACKAGE);
  const map = (p) => {
    if (typeof p !== "string") return p;
    if (p === virtualRoot) return packageRoot;
    if (p.startsWith(virtualRoot + "/")) return packageRoot + p.slice(virtualRoot.length);
    return p;
  };
  const sys = ts.sys;
  const orig = {
    fileExists: sys.fileExists.bind(sys),
    readFile: sys.readFile.bind(sys),
    directoryExists: sys.directoryExists.bind(sys),
    getDirectories: sys.getDirectories.bind(sys),
    readDirectory: sys.readDirectory.bind(sys),
    realpath: sys.realpath ? sys.realpath.bind(sys) : (p) => p,
  };
  sys.fileExists = (p) => orig.fileExists(map(p));
  sys.readFile = (p, enc) => orig.readFile(map(p), enc);
  sys.directoryExists = (p) => (p === nodeModules && !fs.existsSync(nodeModules)) || orig.directoryExists(map(p));
  sys.getDirectories = (p) => orig.getDirectories(map(p));
  sys.readDirectory = (p, ...rest) => orig.readDirectory(map(p), ...rest);
  sys.realpath = (p) => orig.realpath(map(p));

  return {
    virtual: true,
    resolveRuntime(id, base) {
      if (id !== PACKAGE && !id.startsWith(PACKAGE + "/")) return null;
      try {
        base.resolve(id);
        return null;
      } catch {
        return id === PACKAGE ? packageRoot : path.join(packageRoot, id.slice(PACKAGE.length + 1));
      }
    },
  };
}

module.exports = { installModuleAliases };
