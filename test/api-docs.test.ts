/**
 * The API reference (`npm run docs`, TypeDoc) is made from the doc comments, so every public export
 * (what src/index.ts exports) must have one: a function, class, constant, interface or type without a
 * summary would show up in the reference as a bare signature.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import * as ts from "typescript";
import { ROOT } from "./helpers/code-examples.js";

/** Exports of src/index.ts whose declarations carry no doc comment, as "name (file)". */
function undocumentedExports(): string[] {
  const index = join(ROOT, "src", "index.ts");
  const program = ts.createProgram([index], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true, types: ["node"] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(index) as ts.SourceFile) as ts.Symbol;
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    // A summary, not only tags: the reference's index shows each export's first sentence.
    const documented = [exported, target].some((s) => ts.displayPartsToString(s.getDocumentationComment(checker)).trim() !== "");
    // `tf` is the TensorFlow.js namespace itself, documented where index.ts re-exports it.
    const ownDeclarations = (target.declarations ?? []).filter((d) => !d.getSourceFile().fileName.includes("node_modules"));
    if (!documented && (ownDeclarations.length > 0 || exported.name !== "tf")) {
      const where = ownDeclarations[0] ? relative(ROOT, ownDeclarations[0].getSourceFile().fileName) : "external";
      missing.push(`${exported.name} (${where})`);
    }
  }
  return missing.sort();
}

describe("API reference", () => {
  it("finds a doc comment on every public export of src/index.ts", () => {
    assert.deepEqual(undocumentedExports(), []);
  });
});
