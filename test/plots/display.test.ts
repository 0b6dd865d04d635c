import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../src/errors.js";
import { PLOTLY_MIME, figureBundle, resetPlotlySession, show } from "../../src/plots/display.js";
import { escapeScriptText, scriptJson } from "../../src/plots/html.js";
import { LiveFigure } from "../../src/plots/live-figure.js";
import type { Figure } from "../../src/plots/figure.js";
import { baseConfig, baseLayout } from "../../src/plots/theme.js";
import { FakeHost, withFakeHost } from "./fake-host.js";

const fig = (title: string, n = 2): Figure => ({
  data: Array.from({ length: n }, (_, i) => ({ type: "scatter", x: [0, 1], y: [i, i + 1] })),
  layout: baseLayout({ title, xTitle: "Epoch", yTitle: "Loss" }),
  config: baseConfig(title),
});

const PLOTLY_MARK = "plotly.js v3";

describe("show in a kernel", () => {
  it("sends one bundle with plotly JSON, HTML and a one-line text/plain", async () => {
    const host = await withFakeHost(() => {
      assert.equal(show(fig("Loss")), undefined);
    });
    assert.equal(host.calls.length, 1);
    const b = host.calls[0]!.data;
    assert.deepEqual(Object.keys(b).sort(), [PLOTLY_MIME, "text/html", "text/plain"].sort());
    assert.equal(b["text/plain"], "<Figure: Loss (2 traces)>");
    const json = b[PLOTLY_MIME] as Figure;
    assert.equal(json.data.length, 2);
    assert.equal(json.layout.title?.text, "Loss");
    assert.equal(json.config.responsive, true);
    assert.equal(json.config.toImageButtonOptions?.format, "png");
  });

  it("inlines plotly.js in the first figure of a session only, and again after a restart", async () => {
    const host = await withFakeHost(() => {
      show(fig("A"));
      show(fig("B"));
    });
    const [a, b] = host.calls.map((c) => c.data["text/html"] as string);
    assert.ok(a!.includes(PLOTLY_MARK), "first figure carries plotly.js");
    assert.ok(a!.indexOf(PLOTLY_MARK) < a!.indexOf('class="lstm-lab-figure"'), "plotly.js comes before the figure");
    assert.ok(a!.includes("window.define=undefined"), "RequireJS define is hidden around the bundle");
    assert.ok(!b!.includes(PLOTLY_MARK), "second figure does not");
    assert.ok(host.sessionFlags.has("plotly.js"));
    // A restart is a new host with an empty set of session flags.
    const restarted = await withFakeHost(() => void show(fig("C")));
    assert.ok((restarted.calls[0]!.data["text/html"] as string).includes(PLOTLY_MARK));
    const again = await withFakeHost(() => {
      show(fig("D"));
      resetPlotlySession();
      show(fig("E"));
    });
    assert.ok((again.calls[1]!.data["text/html"] as string).includes(PLOTLY_MARK));
  });

  it("passes displayId and update through, and keeps plotly.js in updates of the output that carried it", async () => {
    const host = await withFakeHost(() => {
      show(fig("Live"), { displayId: "live-1" });
      show(fig("Live", 3), { displayId: "live-1", update: true });
      show(fig("Other"), { displayId: "other" });
      show(fig("Other"), { displayId: "other", update: true });
    });
    assert.deepEqual(host.calls.map((c) => c.options), [
      { displayId: "live-1", update: false },
      { displayId: "live-1", update: true },
      { displayId: "other", update: false },
      { displayId: "other", update: true },
    ]);
    const html = host.calls.map((c) => (c.data["text/html"] as string).includes(PLOTLY_MARK));
    assert.deepEqual(html, [true, true, false, false]);
  });

  it("rejects update without a displayId and non-figures, naming the option", () => {
    assert.throws(() => show(fig("X"), { update: true }), (e: unknown) => e instanceof ConfigError && /displayId/.test(e.message));
    assert.throws(() => show({ data: 3 } as unknown as Figure), (e: unknown) => e instanceof ConfigError && /`figure`/.test(e.message));
    assert.throws(() => show([]), ConfigError);
  });
});

describe("HTML escaping", () => {
  it("keeps </script> in titles and data from closing the script element", () => {
    const b = figureBundle(fig("</script><script>alert(1)</script>"), { divId: "d" });
    const html = b["text/html"] as string;
    assert.equal(html.match(/<\/script>/g)?.length, 1, "only the figure script's own closing tag");
    assert.ok(!html.includes("<script>alert"));
    assert.equal(escapeScriptText('a="</script>"'), 'a="<\\/script>"');
    assert.equal(JSON.parse(scriptJson({ t: "</b> & <!--" })).t, "</b> & <!--");
  });
});

describe("show outside a kernel", () => {
  it("writes one standalone HTML page with every figure and returns its path", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plots-"));
    const file = show([fig("One"), fig("Two")], { dir });
    assert.ok(file && file.startsWith(dir) && file.endsWith(".html"));
    const html = fs.readFileSync(file, "utf8");
    assert.equal(html.match(/class="lstm-lab-figure"/g)?.length, 2);
    assert.ok(html.includes(PLOTLY_MARK), "plotly.js inline by default");
    const linked = show(fig("Three"), { dir, plotlyjs: "file", file: "three.html" });
    assert.equal(linked, path.join(dir, "three.html"));
    assert.ok(fs.readFileSync(linked, "utf8").includes('src="plotly.min.js"'));
    assert.ok(fs.statSync(path.join(dir, "plotly.min.js")).size > 1_000_000);
    assert.throws(() => show(fig("x"), { dir, plotlyjs: "cdn" as "file" }), /plotlyjs "cdn"/);
    fs.rmSync(dir, { recursive: true });
  });

  it("rewrites the same file when a displayId is updated", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plots-"));
    const a = show(fig("Live"), { dir, displayId: "abc", plotlyjs: "file" });
    const b = show(fig("Live", 5), { dir, displayId: "abc", update: true, plotlyjs: "file" });
    assert.equal(a, b);
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".html")).length, 1);
    fs.rmSync(dir, { recursive: true });
  });
});

describe("LiveFigure", () => {
  it("sends at most one update per interval and flushes the one held back", async () => {
    let t = 0;
    const host = new FakeHost();
    host.sessionFlags.add("plotly.js");
    await withFakeHost(() => {
      const live = new LiveFigure({ minIntervalMs: 1000, now: () => t, displayId: "L" });
      assert.equal(live.update(fig("L", 1)), true); // t=0: first show
      t = 400;
      assert.equal(live.update(fig("L", 2)), false); // too soon
      t = 900;
      assert.equal(live.update(fig("L", 3)), false); // still too soon, replaces the pending one
      t = 1000;
      assert.equal(live.update(fig("L", 4)), true); // interval passed
      t = 1200;
      assert.equal(live.update(fig("L", 5)), false);
      assert.equal(live.flush(), true);
      assert.equal(live.flush(), false);
      assert.equal(live.sent, 3);
    }, host);
    assert.deepEqual(host.calls.map((c) => [c.options.update, (c.data[PLOTLY_MIME] as Figure).data.length]), [
      [false, 1],
      [true, 4],
      [true, 5],
    ]);
    assert.ok(host.calls.every((c) => c.options.displayId === "L"));
  });
});
