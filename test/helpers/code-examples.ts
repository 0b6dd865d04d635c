/**
 * One machinery for the code that docs show: README.md's ```ts blocks and the `@example` blocks of the
 * doc comments in src/. Each example is written as a module under out/examples/, type-checked in one
 * TypeScript program (strict, "lstm-lab" mapped to src/index.ts), and the self-contained ones are run in
 * one Node process through tsx, importing "lstm-lab" the way a user's script does (the package's own
 * dist/, by its name).
 *
 * Conventions for an `@example` (see README "Examples in the doc comments"):
 * - it may use any public export of lstm-lab, and any export of its own source file, without importing
 *   it: a hidden first line imports the names it uses and does not declare itself;
 * - a fragment declares the values it needs from context with `declare const model: tf.LayersModel;`
 *   lines; such an example is type-checked but not run (its values do not exist);
 * - an example that needs what only a user's machine has (their CSV file, a PostgreSQL server, a
 *   worker's objective module, a study other processes fill) starts with a `// not run: <why>` line and
 *   is type-checked only;
 * - everything else is self-contained and runs, in a fresh folder (out/examples/<name>/cwd), one after
 *   another in one process.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as ts from "typescript";

export const ROOT = resolve(__dirname, "..", "..");
const OUT = join(ROOT, "out", "examples");

export interface CodeExample {
  /** Where it was written, e.g. "README.md block 3" or "src/plots/roc.ts:31". */
  readonly where: string;
  /** The code as the docs show it. */
  readonly code: string;
  /** The source file whose doc comment holds it; undefined for README blocks. */
  readonly source?: string;
}

/** README.md's ```ts blocks, in order. */
export function readmeExamples(file = join(ROOT, "README.md")): CodeExample[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ where: `README.md block ${i + 1}`, code: m[1] ?? "" }));
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (relative(ROOT, p) !== join("src", "models", "wasm", "assembly")) out.push(...tsFiles(p));
    } else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Every `@example` in the doc comments under src/: its text up to the next tag or the comment's end, code fences removed. */
export function docExamples(dir = join(ROOT, "src")): CodeExample[] {
  const out: CodeExample[] = [];
  for (const file of tsFiles(dir)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
      const body = (m[1] ?? "").split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n");
      for (const e of body.matchAll(/@example\b([\s\S]*?)(?=\n\s*@\w|$)/g)) {
        const line = text.slice(0, m.index).split("\n").length + body.slice(0, e.index).split("\n").length - 1;
        const code = (e[1] ?? "").replace(/^\s*```(?:ts|typescript)?\s*$/gm, "").trim();
        out.push({ where: `${relative(ROOT, file)}:${line}`, code, source: file });
      }
    }
  }
  return out;
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noEmit: true,
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  types: ["node"],
  baseUrl: ROOT,
  paths: { "lstm-lab": ["src/index.ts"] },
};

/** Names a module exports (type and value), through `export *` chains. */
function exportNames(program: ts.Program, file: string): Set<string> {
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file);
  const sym = sf && checker.getSymbolAtLocation(sf);
  return new Set(sym ? checker.getExportsOfModule(sym).map((s) => s.name) : []);
}

/** Top-level names the example binds itself (imports, declarations), which the hidden import must not repeat. */
function declaredNames(code: string): Set<string> {
  const sf = ts.createSourceFile("x.ts", code, ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  const bind = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else n.elements.forEach((e) => !ts.isOmittedExpression(e) && bind(e.name));
  };
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      if (c.name) names.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.add(c.namedBindings.name.text);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) c.namedBindings.elements.forEach((e) => names.add(e.name.text));
    } else if (ts.isVariableStatement(s)) s.declarationList.declarations.forEach((d) => bind(d.name));
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) names.add(s.name.text);
  }
  return names;
}

/**
 * Whether the example is only type-checked: it declares context it does not create (`declare const ...`),
 * or says why it cannot run here with a first line `// not run: ...`.
 */
export function isCheckOnly(code: string): boolean {
  if (/^\s*\/\/ not run:/.test(code)) return true;
  const sf = ts.createSourceFile("x.ts", code, ts.ScriptTarget.ES2022, true);
  return sf.statements.some((s) => ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword));
}

function identifiers(code: string): Set<string> {
  return new Set([...code.replace(/\/\/.*$/gm, "").matchAll(/(?<![.\w$])[A-Za-z_$][\w$]*/g)].map((m) => m[0]));
}

export interface PreparedExample extends CodeExample {
  /** The module file written for it under out/examples/. */
  readonly file: string;
  /** Type errors, "line:col message" in the example's own lines; empty when it checks. */
  readonly errors: string[];
  /** True when it is only type-checked (see isCheckOnly). */
  readonly checkOnly: boolean;
}

/**
 * Writes every example as a module (with its hidden import line) and type-checks them all in one
 * program. `name` keeps different callers' files apart.
 */
export function checkExamples(name: string, examples: readonly CodeExample[]): PreparedExample[] {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const host = ts.createCompilerHost(OPTIONS);
  const index = join(ROOT, "src", "index.ts");
  const sources = [...new Set(examples.flatMap((ex) => (ex.source ? [ex.source] : [])))];
  const base = ts.createProgram([index, ...sources], OPTIONS, host);
  const publicNames = exportNames(base, index);
  const ownNames = new Map<string, Set<string>>();
  const files = examples.map((ex, i) => {
    const used = identifiers(ex.code);
    const declared = declaredNames(ex.code);
    const pub = [...publicNames].filter((n) => used.has(n) && !declared.has(n));
    let own: string[] = [];
    let ownSpec = "";
    if (ex.source) {
      if (!ownNames.has(ex.source)) ownNames.set(ex.source, exportNames(base, ex.source));
      own = [...(ownNames.get(ex.source) ?? [])].filter((n) => used.has(n) && !declared.has(n) && !publicNames.has(n));
      ownSpec = relative(dir, ex.source).replace(/\\/g, "/").replace(/\.ts$/, ".js");
      if (!ownSpec.startsWith(".")) ownSpec = `./${ownSpec}`;
    }
    // One hidden line, so the example's own line numbers are its line numbers + 1.
    const hidden =
      (pub.length ? `import { ${pub.join(", ")} } from "lstm-lab"; ` : "") + (own.length ? `import { ${own.join(", ")} } from "${ownSpec}"; ` : "") + "export {};";
    const file = join(dir, `example-${String(i + 1).padStart(3, "0")}.mts`);
    writeFileSync(file, `${hidden}\n${ex.code}\n`);
    return file;
  });
  const program = ts.createProgram(files, OPTIONS, host, base);
  return examples.map((ex, i) => {
    const file = files[i] as string;
    const sf = program.getSourceFile(file);
    const diags = sf ? [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)] : [];
    const errors = diags.map((d) => {
      const pos = d.start !== undefined && sf ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
      return `${pos.line}:${pos.character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    return { ...ex, file, errors, checkOnly: isCheckOnly(ex.code) };
  });
}

export interface RunResult {
  /** Empty when the example ran to its end; else the error's message and stack. */
  readonly error: string;
  /** Wall time of the example, for finding a slow one (never asserted on). */
  readonly ms: number;
}

/**
 * Runs the given example modules one after another in one Node process (tsx), each imported once.
 * Returns one result per file; a file the process never reached (a crash) reports the process' output.
 */
export function runExamples(files: readonly string[], timeoutMs = 600_000): RunResult[] {
  if (files.length === 0) return [];
  const dir = dirname(files[0] as string);
  const results = join(dir, "results.json");
  const runner = join(dir, "run-all.mts");
  writeFileSync(
    runner,
    `import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const files: string[] = ${JSON.stringify(files)};
const out: { error: string; ms: number }[] = [];
for (const f of files) {
  const t0 = performance.now();
  try { await import(pathToFileURL(f).href); out.push({ error: "", ms: performance.now() - t0 }); }
  catch (e) { out.push({ error: e instanceof Error ? String(e.stack ?? e.message) : String(e), ms: performance.now() - t0 }); }
  writeFileSync(${JSON.stringify(results)}, JSON.stringify(out));
}
process.exit(0);
`,
  );
  rmSync(results, { force: true });
  const cwd = join(dir, "cwd");
  mkdirSync(cwd, { recursive: true });
  // tsx's loader from this checkout, by path: the examples' folder has no node_modules of its own.
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  const r = spawnSync(process.execPath, ["--import", tsx, runner], { cwd, encoding: "utf8", timeout: timeoutMs });
  let got: RunResult[] = [];
  try {
    got = JSON.parse(readFileSync(results, "utf8")) as RunResult[];
  } catch {
    got = [];
  }
  return files.map((_, i) => got[i] ?? { ms: 0, error: `the example process stopped before this example (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}` });
}
