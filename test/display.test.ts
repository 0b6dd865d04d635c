import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { display, mimeBundleOf, MIME_BUNDLE } from "../src/display.js";
import { installKernelHost, type DisplayOptions, type MimeBundle } from "../src/host.js";

function withHost(fn: () => void): { data: MimeBundle; options: DisplayOptions }[] {
  const calls: { data: MimeBundle; options: DisplayOptions }[] = [];
  const restore = installKernelHost({
    display: (data, options = {}) => calls.push({ data, options }),
    interruptSignal: new AbortController().signal,
    sessionFlags: new Set(),
  });
  try {
    fn();
  } finally {
    restore();
  }
  return calls;
}

describe("display", () => {
  it("sends a MIME bundle as one display with every type, and updates it by id", () => {
    const calls = withHost(() => {
      display({ "text/html": "<b>1</b>", "text/plain": "1" }, { displayId: "p" });
      display({ "text/html": "<b>2</b>", "text/plain": "2" }, { displayId: "p", update: true });
    });
    assert.deepEqual(calls, [
      { data: { "text/html": "<b>1</b>", "text/plain": "1" }, options: { displayId: "p" } },
      { data: { "text/html": "<b>2</b>", "text/plain": "2" }, options: { displayId: "p", update: true } },
    ]);
  });

  it("lets an object display itself through the MIME_BUNDLE method", () => {
    const thing = { [MIME_BUNDLE]: () => ({ "text/html": "<i>me</i>", "text/plain": "me" }) };
    assert.deepEqual(mimeBundleOf(thing), { "text/html": "<i>me</i>", "text/plain": "me" });
    assert.equal(MIME_BUNDLE, Symbol.for("lstm-lab.mimeBundle"));
  });

  it("shows a value the way the kernel shows a cell's value when the kernel offers that", () => {
    const seen: unknown[] = [];
    const calls: MimeBundle[] = [];
    const restore = installKernelHost({
      display: (data) => void calls.push(data),
      represent: (v) => {
        seen.push(v);
        return { "text/html": "<table></table>", "text/plain": "Table" };
      },
      interruptSignal: new AbortController().signal,
      sessionFlags: new Set(),
    });
    try {
      display({ rows: 3 });
      display({ "text/plain": "a bundle goes as is" });
    } finally {
      restore();
    }
    assert.deepEqual(seen, [{ rows: 3 }]);
    assert.deepEqual(calls, [{ "text/html": "<table></table>", "text/plain": "Table" }, { "text/plain": "a bundle goes as is" }]);
  });

  it("shows other values as text", () => {
    assert.deepEqual(mimeBundleOf([1, 2]), { "text/plain": "[ 1, 2 ]" });
    assert.deepEqual(mimeBundleOf("plain words"), { "text/plain": "plain words" });
  });

  it("rejects an update without a displayId and sends nothing", () => {
    const calls = withHost(() => {
      assert.throws(() => display({ "text/plain": "x" }, { update: true }), /`update: true` needs a `displayId`/);
    });
    assert.equal(calls.length, 0);
  });
});
