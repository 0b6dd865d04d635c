/** Prints a table of strings with left-aligned, padded columns, a header and a rule: the benches' one table printer. */
export function printTable(header: string[], rows: string[][]): void {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i] as number)).join("  ");
  console.log("\n" + line(header));
  console.log(w.map((x) => "-".repeat(x)).join("  "));
  for (const r of rows) console.log(line(r));
}
