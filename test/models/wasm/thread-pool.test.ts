import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import vm from "node:vm";
import { RnnKernel } from "../../../src/models/wasm/index.js";
import { ensureKernelBuilt } from "./helpers.js";
import { bigJob, reference, smallJobs } from "./pool-jobs.js";

// A Jupyter kernel interrupt (vm's breakOnSigint) or a vm timeout ends the calling thread's
// synchronous code wherever it is: inside its own part of a job, in the wait for the workers, or
// between two stores of the dispatch, while the workers go on with their parts. The next calls must
// neither hang nor get those parts' writes in their memory. Each check below abandons a large
// weight-gradient job that way, then runs a small one whose buffers lie where the large one's were
// and compares it, bit for bit, with the same job computed on one thread.

before(() => ensureKernelBuilt());

describe("the kernel's thread pool after an abandoned job", () => {
  it("gives the one-thread result bit for bit after each of 24 vm timeouts that cut the dispatch, a part or the wait short", () => {
    const want = reference();
    const kern = RnnKernel.load({ threads: 3 });
    const codes = new Set<string>();
    for (let i = 0; i < 24; i++) {
      const job = bigJob(kern, i);
      try {
        vm.runInNewContext("for (;;) job();", { job }, { timeout: 1 + (i % 6) });
      } catch (e) {
        codes.add((e as { code?: string }).code ?? String(e));
      }
      smallJobs(kern).forEach((got, j) => assert.ok(got.equals(want), `the small job (${j ? "run" : "weightGrad"}) after timeout ${i} differs`));
    }
    assert.deepEqual([...codes], ["ERR_SCRIPT_EXECUTION_TIMEOUT"]);
    void kern.close();
  });

  it("gives the one-thread result bit for bit after each of 8 real SIGINTs caught by vm's breakOnSigint, as in a Jupyter kernel", async () => {
    const script = `
      const vm = require("node:vm");
      const { RnnKernel } = require(${JSON.stringify(join(__dirname, "..", "..", "..", "src", "models", "wasm", "index.ts"))});
      const { bigJob, smallJobs } = require(${JSON.stringify(join(__dirname, "pool-jobs.ts"))});
      process.on("SIGINT", () => {}); // a signal outside runInNewContext must not end the process
      const kern = RnnKernel.load({ threads: 3 });
      const results = [];
      for (let i = 0; i < 8; i++) {
        const job = bigJob(kern, i);
        let code = null;
        process.stdout.write("go\\n");
        try { vm.runInNewContext("for (;;) job();", { job }, { breakOnSigint: true }); } catch (e) { code = e.code ?? e.message; }
        results.push({ code, small: smallJobs(kern).map((b) => b.toString("base64")) });
      }
      console.log(JSON.stringify(results));
      process.exit(0);
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--eval", script], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
    // If the pool hung, the child would never answer: end it and fail instead of waiting forever.
    const deadline = setTimeout(() => child.kill("SIGKILL"), 120_000);
    let gos = 0;
    let last = "";
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === "go") setTimeout(() => child.kill("SIGINT"), 30 + 7 * gos++);
      else last = line;
    }
    const status = await closed;
    clearTimeout(deadline);
    assert.equal(status, 0, `the child ended with ${status} (killed after 120 s if it hung): ${stderr}`);
    const results = JSON.parse(last) as { code: string | null; small: string[] }[];
    const want = reference().toString("base64");
    assert.equal(results.length, 8);
    results.forEach((r, i) => {
      assert.equal(r.code, "ERR_SCRIPT_EXECUTION_INTERRUPTED", `interrupt ${i}`);
      r.small.forEach((s, j) => assert.equal(s, want, `the small job (${j ? "run" : "weightGrad"}) after interrupt ${i} differs`));
    });
  });
});
