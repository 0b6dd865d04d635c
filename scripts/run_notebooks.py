"""Execute notebooks headlessly with the lstm-lab kernel (nbclient) and write executed .ipynb and
.html copies. Used by `npm start` and by the notebook tests.

usage: /usr/bin/python3 scripts/run_notebooks.py --out OUT [--timeout S] [--json SUMMARY.json] NOTEBOOK...

Every cell runs even after an error (so one failure shows everything else that fails too); the
exit status is 1 when any cell produced an error output, 0 otherwise.
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter


def error_outputs(nb):
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append({"cell": i, "ename": out.get("ename", ""), "evalue": out.get("evalue", "")})
    return found


def run_one(path, out_dir, timeout):
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    total = len(code_cells)
    done = {"n": 0}
    started = time.time()
    print(f"▶ {name}: {total} code cells", flush=True)

    def on_cell_executed(cell, cell_index, execute_reply, **_):
        done["n"] += 1
        status = execute_reply["content"]["status"] if execute_reply else "?"
        mark = "✓" if status == "ok" else "✗"
        print(f"  {mark} [{done['n']}/{total}] cell {cell_index} ({time.time() - started:.1f}s)", flush=True)

    client = NotebookClient(
        nb,
        kernel_name="lstm-lab",
        timeout=timeout,
        allow_errors=True,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        on_cell_executed=on_cell_executed,
    )
    status = "ok"
    message = ""
    try:
        client.execute()
    except Exception as e:  # a timeout or a dead kernel: keep what ran and report it
        status = "failed"
        message = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    seconds = time.time() - started
    errors = error_outputs(nb)
    if errors and status == "ok":
        status = "error"
        first = errors[0]
        message = f"cell {first['cell']}: {first['ename']}: {first['evalue']}"
    os.makedirs(out_dir, exist_ok=True)
    ipynb_out = os.path.join(out_dir, name + ".ipynb")
    nbformat.write(nb, ipynb_out)
    html, _ = HTMLExporter().from_notebook_node(nb)
    html_out = os.path.join(out_dir, name + ".html")
    with open(html_out, "w", encoding="utf-8") as f:
        f.write(html)
    figures = sum(
        1
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") in ("display_data", "execute_result") and "application/vnd.plotly.v1+json" in o.get("data", {})
    )
    return {
        "notebook": name,
        "cells": total,
        "seconds": round(seconds, 1),
        "status": status,
        "message": message,
        "figures": figures,
        "ipynb": ipynb_out,
        "html": html_out,
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    p.add_argument("--json", help="write the summary as JSON here")
    p.add_argument("notebooks", nargs="+")
    a = p.parse_args()
    results = [run_one(nb, a.out, a.timeout) for nb in a.notebooks]
    width = max(len(r["notebook"]) for r in results)
    print()
    print(f"{'notebook'.ljust(width)}  cells  seconds  figures  status")
    for r in results:
        line = f"{r['notebook'].ljust(width)}  {r['cells']:>5}  {r['seconds']:>7.1f}  {r['figures']:>7}  {r['status']}"
        if r["message"]:
            line += f"  ({r['message']})"
        print(line)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)
    sys.exit(0 if all(r["status"] == "ok" for r in results) else 1)


if __name__ == "__main__":
    main()
