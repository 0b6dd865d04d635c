import { describe as suite, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as aq from "arquero";
import { load, parseDate } from "../../src/data/load.js";
import { describe } from "../../src/data/describe.js";
import { dataset, datasetInfo, datasets } from "../../src/data/datasets.js";
import { DataError } from "../../src/errors.js";

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "lstm-lab-data-"));
  writeFileSync(join(dir, "a.csv"), "day,v,s\n2020-01-01,1.5,x\n2020-01-02,,y\n");
  writeFileSync(join(dir, "b.tsv"), "when\tv\nMar 5 2021\t2\nMar 6 2021\t3\n");
  writeFileSync(join(dir, "c.json"), JSON.stringify([{ t: 0, v: 1 }, { t: 86_400_000, v: 2 }]));
  writeFileSync(join(dir, "d.arrow"), aq.table({ v: [1, 2, 3], s: ["a", "b", "c"] }).toArrowIPC());
  writeFileSync(join(dir, "e.xyz"), "");
});
after(() => rmSync(dir, { recursive: true, force: true }));

suite("load", () => {
  it("loads CSV with ISO dates and missing values", async () => {
    const t = await load(join(dir, "a.csv"));
    assert.equal((t.array("day")[0] as Date).toISOString(), "2020-01-01T00:00:00.000Z");
    assert.deepEqual(t.array("v"), [1.5, null]);
  });

  it("loads TSV and parses non-ISO date text as UTC days", async () => {
    const t = await load(join(dir, "b.tsv"), { dates: ["when"] });
    assert.deepEqual((t.array("when") as Date[]).map((d) => d.toISOString()), ["2021-03-05T00:00:00.000Z", "2021-03-06T00:00:00.000Z"]);
    assert.deepEqual(t.array("v"), [2, 3]);
  });

  it("loads JSON (epoch ms turned into dates) and Arrow", async () => {
    const j = await load(join(dir, "c.json"), { dates: ["t"] });
    assert.equal((j.array("t")[1] as Date).toISOString(), "1970-01-02T00:00:00.000Z");
    const a = await load(join(dir, "d.arrow"));
    assert.deepEqual(Array.from(a.array("v") as ArrayLike<number>), [1, 2, 3]);
    assert.deepEqual(Array.from(a.array("s") as ArrayLike<string>), ["a", "b", "c"]);
  });

  it("names the file, format or column when it cannot load", async () => {
    await assert.rejects(load(join(dir, "e.xyz")), (e: Error) => e instanceof DataError && /e\.xyz.*pass `format`/.test(e.message));
    await assert.rejects(load(join(dir, "missing.csv")), /Could not load .*missing\.csv/);
    await assert.rejects(load(join(dir, "a.csv"), { dates: ["s"] }), /Column "s" has "x" at row 0, which is not a date/);
    assert.ok(Number.isNaN(parseDate("soon")));
  });
});

suite("describe", () => {
  it("gives type, count, missing, mean, sample std, min and max per column", () => {
    // x = [2, 4, 4, 4, 5, 5, 7, 9] plus one missing: mean 5, sample std sqrt(32 / 7)
    const t = aq.table({ x: [2, 4, 4, 4, 5, 5, 7, 9, null], s: ["a", "b", "a", null, "a", "a", "a", "a", "a"] });
    const [x, s] = describe(t).objects() as Record<string, unknown>[];
    assert.deepEqual({ ...x, std: undefined }, { column: "x", type: "number", count: 8, missing: 1, unique: 5, mean: 5, std: undefined, min: 2, max: 9 });
    assert.ok(Math.abs((x!.std as number) - Math.sqrt(32 / 7)) < 1e-12);
    assert.deepEqual(s, { column: "s", type: "string", count: 8, missing: 1, unique: 2, mean: null, std: null, min: null, max: null });
  });
});

suite("datasets", () => {
  it("lists every dataset with rows, source and licence read from the packages", () => {
    const list = datasets().objects() as Record<string, unknown>[];
    assert.deepEqual(list.map((r) => r.name), ["seattle-weather", "co2-concentration", "sp500", "stocks", "unemployment-across-industries", "spam-assassin"]);
    assert.equal(datasetInfo("co2-concentration").licence, "Creative Commons Attribution 4.0");
    assert.equal(datasetInfo("spam-assassin").licence, "PDDL-1.0 AND CC0-1.0");
    for (const r of list) assert.ok(String(r.source).length > 0 && String(r.licence).length > 0);
  });

  it("loads the time series with the listed row counts, dates parsed and sorted", () => {
    for (const name of ["seattle-weather", "co2-concentration", "sp500", "stocks"] as const) {
      const info = datasetInfo(name);
      const t = dataset(name);
      assert.equal(t.numRows(), info.rows, name);
      assert.ok(t.array(info.timeColumn!)[0] instanceof Date, name);
    }
    const w = dataset("seattle-weather").objects({ limit: 1 })[0] as Record<string, unknown>;
    assert.deepEqual({ ...w, date: (w.date as Date).toISOString() }, { date: "2012-01-01T00:00:00.000Z", precipitation: 0, temp_max: 12.8, temp_min: 5, wind: 4.7, weather: "drizzle" });
    assert.equal((dataset("sp500").array("date")[0] as Date).toISOString(), "2000-01-01T00:00:00.000Z");
  });

  it("samples a few spam-assassin e-mails with labels, reproducibly by seed", () => {
    const a = dataset("spam-assassin", { limit: 40, seed: 5 });
    const b = dataset("spam-assassin", { limit: 40, seed: 5 });
    assert.equal(a.numRows(), 40);
    assert.deepEqual(a.array("id"), b.array("id"));
    const labels = new Set(a.array("label") as string[]);
    for (const l of labels) assert.ok(l === "spam" || l === "ham");
    (a.objects() as { group: string; label: string; text: string }[]).forEach((r) => {
      assert.equal(r.label, r.group.startsWith("spam") ? "spam" : "ham");
      assert.ok(r.text.length > 0);
    });
    assert.throws(() => dataset("mnist" as "sp500"), /Unknown dataset "mnist". Choose one of: seattle-weather/);
    assert.throws(() => dataset("spam-assassin", { limit: -1 }), /`limit` must be a positive integer, got -1/);
  });
});
