// Builds the native recurrent kernel (src/models/native/*.cpp) into dist/native/rnn-linux-x64.node:
// kernel.cpp twice (AVX2+FMA and AVX-512), addon.cpp without ISA flags (it picks one by CPUID at load
// time), linked with a static libstdc++ so the file loads on any x86-64 Linux with Node >= 20.
// Node-API headers come from the running node's prefix (include/node), else /usr/include/node.
//
// Where it cannot build (another OS or CPU, no g++, no headers) it says why and exits 0: the package
// then runs the wasm kernel, as everywhere the addon does not load.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src", "models", "native");
const out = join(root, "dist", "native");
const target = join(out, `rnn-${process.platform}-${process.arch}.node`);

function skip(why) {
  console.warn(`build-native: skipped (${why}); the fused layers will run on the wasm kernel.`);
  process.exit(0);
}

if (process.platform !== "linux" || process.arch !== "x64") skip(`${process.platform}-${process.arch} is not linux-x64`);
const cxx = process.env.CXX ?? "g++";
if (spawnSync(cxx, ["--version"], { stdio: "ignore" }).status !== 0) skip(`no C++ compiler (${cxx})`);
const include = [join(dirname(process.execPath), "..", "include", "node"), "/usr/include/node"].find((d) => existsSync(join(d, "node_api.h")));
if (!include) skip("no Node-API headers (node_api.h)");

mkdirSync(out, { recursive: true });
const common = ["-std=c++17", "-O3", "-fPIC", "-fvisibility=hidden", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math", "-Wall", "-Wextra", `-I${include}`, `-I${src}`];
const objects = [
  { file: "kernel.cpp", obj: "kernel-avx2.o", flags: ["-mavx2", "-mfma"] },
  { file: "kernel.cpp", obj: "kernel-avx512.o", flags: ["-mavx2", "-mfma", "-mavx512f", "-DLAB_AVX512"] },
  { file: "addon.cpp", obj: "addon.o", flags: [] },
];
function run(args) {
  const r = spawnSync(cxx, args, { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build-native: ${cxx} ${args.join(" ")} failed`);
    process.exit(1);
  }
}
for (const o of objects) run([...common, ...o.flags, "-c", join(src, o.file), "-o", join(out, o.obj)]);
// Linked beside the target, then renamed over it: a process that has the old file loaded keeps its copy.
const tmp = `${target}.${process.pid}.tmp`;
run(["-shared", "-static-libstdc++", "-static-libgcc", "-pthread", ...objects.map((o) => join(out, o.obj)), "-o", tmp]);
renameSync(tmp, target);
for (const o of objects) rmSync(join(out, o.obj));
console.log(`build-native: ${target}`);
