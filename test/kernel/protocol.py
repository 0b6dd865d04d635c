"""Protocol behaviour of the lstm-lab kernel beyond the standard suite: each case is something stock
tslab 1.0.22 gets wrong or lacks. Run by test/kernel/protocol.test.ts with /usr/bin/python3, after
the kernel has been installed into a temporary JUPYTER_DATA_DIR (LSTM_LAB_ROOT names the repo).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from jupyter_client.manager import start_new_kernel

ROOT = os.environ["LSTM_LAB_ROOT"]
TIMEOUT = 60


class Client:
    """A kernel plus helpers that collect every iopub message of one request."""

    def __init__(self, cwd, env=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.km, self.kc = start_new_kernel(kernel_name="lstm-lab", cwd=cwd, env=full_env, startup_timeout=60)

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def send(self, code, **kw):
        return self.kc.execute(code, **kw)

    def reply(self, msg_id):
        while True:
            m = self.kc.get_shell_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id:
                return m

    def outputs(self, msg_id):
        out = []
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return out
            if m["msg_type"] not in ("status", "execute_input"):
                out.append(m)

    def run(self, code, **kw):
        msg_id = self.send(code, **kw)
        return self.reply(msg_id), self.outputs(msg_id)


class ProtocolTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = Client(cwd=os.path.join(ROOT, "notebooks"), env={"LSTM_LAB_INTERRUPT_GRACE_MS": "1000"})

    @classmethod
    def tearDownClass(cls):
        cls.c.close()

    def test_kernel_info_reports_the_real_typescript_version(self):
        msg_id = self.c.kc.kernel_info()
        reply = self.c.reply(msg_id)
        with open(os.path.join(ROOT, "node_modules", "@tslab", "typescript-for-tslab", "package.json")) as f:
            ts_version = json.load(f)["version"]
        content = reply["content"]
        self.assertEqual(content["status"], "ok")
        self.assertEqual(content["implementation"], "lstm-lab")
        self.assertEqual(content["language_info"]["name"], "typescript")
        self.assertEqual(content["language_info"]["version"], ts_version)
        self.assertIn(ts_version, content["banner"])

    def test_comm_info_gets_a_comm_info_reply(self):
        msg_id = self.c.kc.comm_info()
        reply = self.c.reply(msg_id)
        self.assertEqual(reply["msg_type"], "comm_info_reply")
        self.assertEqual(reply["content"], {"status": "ok", "comms": {}})

    def test_cell_value_arrives_as_execute_result_with_its_count(self):
        reply, outs = self.c.run("const answer = 6 * 7; answer")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")
        self.assertEqual(results[0]["content"]["execution_count"], reply["content"]["execution_count"])

    def test_shorthand_property_reaches_a_previous_cells_variable(self):
        self.c.run("const shortA = 1\nlet shortB = 'two'")
        reply, outs = self.c.run("const pair = { shortA, shortB, c: 3 }\nlet shortC = 0\n;({ shortC } = { shortC: 5 })\nJSON.stringify({ ...pair, shortC })")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "'{\"shortA\":1,\"shortB\":\"two\",\"c\":3,\"shortC\":5}'")

    def test_undefined_value_sends_no_execute_result(self):
        reply, outs = self.c.run("let nothing = undefined; nothing")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual([m for m in outs if m["msg_type"] == "execute_result"], [])

    def test_runtime_error_has_ename_evalue_traceback_in_iopub_and_reply(self):
        reply, outs = self.c.run("function fail(): never { throw new RangeError('lookback too large') }\nfail()")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "RangeError")
        self.assertEqual(reply["content"]["evalue"], "lookback too large")
        self.assertTrue(any("fail" in line for line in reply["content"]["traceback"]))
        errors = [m for m in outs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["content"]["ename"], "RangeError")
        self.assertEqual([m for m in outs if m["msg_type"] == "stream"], [], "an error is not also printed to stderr")

    def test_type_error_is_a_jupyter_error_naming_the_types(self):
        reply, outs = self.c.run("const n: number = 'text'")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "TypeScriptError")
        self.assertIn("Type 'string' is not assignable to type 'number'", reply["content"]["evalue"])
        self.assertEqual([m["msg_type"] for m in outs], ["error"])

    def test_async_error_is_reported(self):
        reply, _ = self.c.run("await Promise.reject(new TypeError('async boom'))")
        self.assertEqual(reply["content"]["ename"], "TypeError")
        self.assertEqual(reply["content"]["evalue"], "async boom")

    def test_stop_on_error_aborts_only_cells_queued_before_the_error_reply(self):
        first = self.c.send("await new Promise(r => setTimeout(r, 300)); throw new Error('first fails')")
        queued = [self.c.send("'queued %d'" % i) for i in range(2)]
        self.assertEqual(self.c.reply(first)["content"]["status"], "error")
        for q in queued:
            self.assertEqual(self.c.reply(q)["content"]["status"], "aborted")
        # Sent after the error reply: runs normally, with no 200 ms abort window.
        reply, outs = self.c.run("'after the error'")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "'after the error'")

    def test_without_stop_on_error_queued_cells_run(self):
        first = self.c.send("throw new Error('not fatal')", stop_on_error=False)
        second = self.c.send("'still runs'")
        self.assertEqual(self.c.reply(first)["content"]["status"], "error")
        self.assertEqual(self.c.reply(second)["content"]["status"], "ok")

    def test_one_display_carries_a_bundle_and_updates_in_place(self):
        code = (
            "import { kernelHost } from 'lstm-lab'\n"
            "const h = kernelHost()!\n"
            "h.display({ 'text/html': '<b>1</b>', 'text/plain': '1', 'application/json': { n: 1 } }, { displayId: 'progress' })\n"
            "h.display({ 'text/html': '<b>2</b>', 'text/plain': '2' }, { displayId: 'progress', update: true })\n"
        )
        reply, outs = self.c.run(code)
        self.assertEqual(reply["content"]["status"], "ok")
        kinds = [m["msg_type"] for m in outs]
        self.assertEqual(kinds, ["display_data", "update_display_data"])
        first, update = outs
        self.assertEqual(set(first["content"]["data"]), {"text/html", "text/plain", "application/json"})
        self.assertEqual(first["content"]["data"]["application/json"], {"n": 1})
        self.assertEqual(first["content"]["transient"], {"display_id": "progress"})
        self.assertEqual(update["content"]["transient"], {"display_id": "progress"})
        self.assertEqual(update["content"]["data"]["text/plain"], "2")

    def test_a_value_that_displays_itself_gives_a_rich_execute_result(self):
        code = (
            "const rich = { [Symbol.for('lstm-lab.mimeBundle')]: () => ({ 'text/html': '<i>rich</i>' }) }\n"
            "rich"
        )
        _, outs = self.c.run(code)
        data = [m for m in outs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertEqual(data["text/html"], "<i>rich</i>")
        self.assertIn("text/plain", data)

    def test_display_of_a_table_renders_it_like_a_cell_value(self):
        reply, outs = self.c.run("import * as aq from 'arquero'\nimport { display } from 'lstm-lab'\ndisplay(aq.table({ shown: [7, 8] }))")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        shown = [m for m in outs if m["msg_type"] == "display_data"]
        self.assertEqual(len(shown), 1)
        self.assertIn("<table", shown[0]["content"]["data"]["text/html"])
        self.assertTrue(shown[0]["content"]["data"]["text/plain"].startswith("Table: 2 rows"))

    def test_arquero_esm_package_imports_and_renders_as_table(self):
        _, outs = self.c.run("import * as aq from 'arquero'\naq.table({ x: [1, 2, 3] })")
        data = [m for m in outs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertIn("<table", data["text/html"])
        self.assertTrue(data["text/plain"].startswith("Table: 3 rows"))

    def test_lstm_lab_imports_with_types(self):
        reply, _ = self.c.run("import { Rng } from 'lstm-lab'\nconst wrong: string = new Rng(1)")
        self.assertEqual(reply["content"]["ename"], "TypeScriptError")
        self.assertIn("'Rng' is not assignable to type 'string'", reply["content"]["evalue"])
        reply, outs = self.c.run("import { Rng } from 'lstm-lab'\nnew Rng(5).int(1, 1)")
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "1")

    def test_a_cell_that_fails_its_type_check_still_runs_its_imports_for_later_cells(self):
        reply, outs = self.c.run("import { train as keptTrain } from 'lstm-lab'\nimport * as keptAq from 'arquero'\nlet neverSet: number = 'text'")
        self.assertEqual(reply["content"]["ename"], "TypeScriptError")
        self.assertEqual(reply["content"]["traceback"][-1], 'The cell did not run. Its imports (from "lstm-lab", "arquero") did, so later cells can use them.')
        self.assertEqual([m["msg_type"] for m in outs], ["error"])
        reply, outs = self.c.run("[typeof keptTrain, keptAq.table({ a: [1, 2] }).numRows()].join(' ')")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "'function 2'")
        # The rest of the failed cell did not run, so what it declared does not exist.
        reply, _ = self.c.run("neverSet")
        self.assertEqual(reply["content"]["ename"], "TypeScriptError")
        self.assertIn("Cannot find name 'neverSet'", reply["content"]["evalue"])

    def test_a_failed_cell_keeps_the_imports_that_type_check_and_drops_a_wrong_one(self):
        reply, _ = self.c.run("import { noSuchExport } from 'lstm-lab'\nimport { Rng as KeptRng } from 'lstm-lab'\nconst oops: string = 1")
        self.assertEqual(reply["content"]["ename"], "TypeScriptError")
        self.assertIn("has no exported member 'noSuchExport'", "\n".join(reply["content"]["traceback"]))
        reply, outs = self.c.run("new KeptRng(5).int(3, 3)")
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "3")

    def test_interrupt_stops_an_async_loop_through_the_library_signal_and_keeps_state(self):
        code = (
            "import { interruptRequested } from 'lstm-lab'\n"
            "let steps = 0\n"
            "console.log('looping')\n"
            "while (!interruptRequested()) { steps++; await new Promise(r => setTimeout(r, 20)) }\n"
            "const stoppedAt = steps"
        )
        msg_id = self.c.send(code)
        self.wait_for_stream(msg_id, "looping")
        time.sleep(0.5)
        self.c.km.interrupt_kernel()
        reply = self.c.reply(msg_id)
        self.c.outputs(msg_id)
        # It stopped on its own, in well under the grace period, yet reports the interrupt (as
        # IPython does), so a "Run All" stops here.
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        self.assertIn("stopped early", reply["content"]["evalue"])
        reply, outs = self.c.run("[steps > 10, typeof stoppedAt]")
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "[ true, 'number' ]")

    def wait_for_stream(self, msg_id, text):
        """Reads iopub until the cell has printed `text` (so it is running, not compiling)."""
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            m = self.c.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream" and text in m["content"]["text"]:
                return
        self.fail(f"the cell never printed {text!r}")

    def test_interrupt_abandons_an_async_cell_that_ignores_it_after_the_grace_period(self):
        msg_id = self.c.send("let waited = 1\nconsole.log('waiting')\nawait new Promise(r => setTimeout(r, 60000))")
        self.wait_for_stream(msg_id, "waiting")
        self.c.km.interrupt_kernel()
        reply = self.c.reply(msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        reply, outs = self.c.run("waited")
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "1")

    def test_interrupt_breaks_a_synchronous_busy_loop(self):
        msg_id = self.c.send("let spins = 0\nwhile (true) { spins++ }")
        time.sleep(2.0)
        self.c.km.interrupt_kernel()
        reply = self.c.reply(msg_id)
        # Whether the signal lands while the loop runs or while the cell still compiles, the cell
        # stops with KeyboardInterrupt and the kernel lives on.
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        reply, outs = self.c.run("'alive'")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "'alive'")

    def test_an_error_thrown_by_a_timer_after_its_cell_finished_appears_in_the_next_cell(self):
        self.c.run("import { ready } from 'lstm-lab'\nawait ready()")
        reply, outs = self.c.run("setTimeout(() => { throw new Error('late failure') }, 10)\n'scheduled'")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual([m["msg_type"] for m in outs], ["execute_result"])
        time.sleep(0.3)
        reply, outs = self.c.run("1 + 1")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        # outputs() keeps only messages whose parent is this cell's request.
        errs = [m["content"]["text"] for m in outs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
        self.assertEqual(len(errs), 1, outs)
        self.assertTrue(errs[0].startswith("Uncaught exception (outside any cell's await): Error: late failure"), errs[0])
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "2")
        self.assertTrue(self.c.km.is_alive())

    def test_an_unhandled_rejection_appears_in_the_cell_still_running(self):
        reply, outs = self.c.run("Promise.reject(new RangeError('nobody awaited me'))\nawait new Promise(r => setTimeout(r, 200))\n'done'")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        errs = [m["content"]["text"] for m in outs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
        self.assertEqual(len(errs), 1, outs)
        self.assertTrue(errs[0].startswith("Unhandled promise rejection: RangeError: nobody awaited me"), errs[0])
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "'done'")

    def test_process_exit_in_a_cell_is_a_system_exit_error_and_the_kernel_lives_on(self):
        reply, outs = self.c.run("let beforeExit = 5\nprocess.exit(3)\nbeforeExit = 6")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "SystemExit")
        self.assertTrue(reply["content"]["evalue"].startswith("process.exit(3) was called; the kernel keeps running"), reply["content"]["evalue"])
        self.assertEqual([m["msg_type"] for m in outs], ["error"])
        reply, _ = self.c.run("process.abort()")
        self.assertEqual(reply["content"]["ename"], "SystemExit")
        self.assertTrue(self.c.km.is_alive())
        reply, outs = self.c.run("beforeExit")
        self.assertEqual(outs[-1]["content"]["data"]["text/plain"], "5")

    def test_process_exit_in_a_timer_is_reported_and_the_kernel_lives_on(self):
        self.c.run("setTimeout(() => process.exit(0), 10)")
        time.sleep(0.3)
        reply, outs = self.c.run("'still here'")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        errs = [m["content"]["text"] for m in outs if m["msg_type"] == "stream"]
        self.assertEqual(len(errs), 1, outs)
        self.assertIn("SystemExit: process.exit(0) was called", errs[0])
        self.assertTrue(self.c.km.is_alive())

    def test_completion_of_an_unfinished_import_offers_lstm_lab_exports(self):
        code = "import { buildM"
        msg_id = self.c.kc.complete(code, len(code))
        content = self.c.reply(msg_id)["content"]
        self.assertEqual(content["status"], "ok")
        self.assertIn("buildModel", content["matches"])
        self.assertEqual((content["cursor_start"], content["cursor_end"]), (9, 15))

    def test_inspecting_an_unknown_name_finds_nothing(self):
        msg_id = self.c.kc.inspect("noSuchNameAnywhere", 5)
        content = self.c.reply(msg_id)["content"]
        self.assertEqual(content, {"status": "ok", "found": False, "data": {}, "metadata": {}})

    def test_a_value_with_the_deno_jupyter_display_symbol_renders_its_bundle(self):
        code = (
            "const denoStyle = { [Symbol.for('Jupyter.display')]() { return { 'text/markdown': '**deno**', 'text/plain': 'deno' } } }\n"
            "denoStyle"
        )
        _, outs = self.c.run(code)
        data = [m for m in outs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertEqual(data, {"text/markdown": "**deno**", "text/plain": "deno"})

    def test_heap_limit_is_set_from_the_kernelspec(self):
        with open(os.path.join(os.environ["JUPYTER_DATA_DIR"], "kernels", "lstm-lab", "kernel.json")) as f:
            spec = json.load(f)
        flag = [a for a in spec["argv"] if a.startswith("--max-old-space-size=")]
        self.assertEqual(len(flag), 1)
        limit_mib = int(flag[0].split("=")[1])
        _, outs = self.c.run("Math.round(require('v8').getHeapStatistics().heap_size_limit / 2 ** 20)")
        got = int(outs[-1]["content"]["data"]["text/plain"])
        # V8 adds its young-generation space on top of the old-space limit.
        self.assertGreaterEqual(got, limit_mib)
        self.assertLess(got, limit_mib + 512)


class OutsideTheRepoTests(unittest.TestCase):
    def test_a_notebook_folder_with_lstm_lab_installed_imports_that_copy(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "node_modules"))
            # What `npm install /path/to/lstm-lab` leaves: a link in node_modules.
            os.symlink(ROOT, os.path.join(d, "node_modules", "lstm-lab"))
            c = Client(cwd=d)
            try:
                reply, outs = c.run("import { Rng } from 'lstm-lab'\nconst r: Rng = new Rng(2)\nrequire.resolve('lstm-lab')")
                self.assertEqual(reply["content"]["status"], "ok", reply["content"])
                self.assertEqual(outs[-1]["content"]["data"]["text/plain"], repr(os.path.join(ROOT, "dist", "src", "index.js")))
            finally:
                c.close()


def text(source):
    """nbformat stores multi-line strings as lists of lines."""
    return "".join(source) if isinstance(source, list) else source


class NbconvertTests(unittest.TestCase):
    def run_notebook(self, cells, allow_errors):
        nb = {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "lstm-lab", "display_name": "LSTM Lab (TypeScript)", "language": "typescript"}},
            "cells": [{"cell_type": "code", "id": "c%d" % i, "metadata": {}, "source": s, "outputs": [], "execution_count": None} for i, s in enumerate(cells)],
        }
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.ipynb")
            with open(path, "w") as f:
                json.dump(nb, f)
            cmd = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--inplace", path]
            if allow_errors:
                cmd.append("--allow-errors")
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            with open(path) as f:
                return r.returncode, json.load(f)

    def test_nbconvert_saves_execution_counts_and_results(self):
        code, nb = self.run_notebook(["const a = 2", "a * 21"], allow_errors=False)
        self.assertEqual(code, 0)
        self.assertEqual([c["execution_count"] for c in nb["cells"]], [1, 2])
        out = nb["cells"][1]["outputs"]
        self.assertEqual(out[0]["output_type"], "execute_result")
        self.assertEqual(out[0]["execution_count"], 2)
        self.assertEqual(text(out[0]["data"]["text/plain"]), "42")

    def test_allow_errors_runs_every_cell_after_an_error(self):
        code, nb = self.run_notebook(["throw new Error('middle')", "'after'", "'last'"], allow_errors=True)
        self.assertEqual(code, 0)
        self.assertEqual(nb["cells"][0]["outputs"][0]["output_type"], "error")
        self.assertEqual(nb["cells"][0]["outputs"][0]["ename"], "Error")
        self.assertEqual(text(nb["cells"][1]["outputs"][0]["data"]["text/plain"]), "'after'")
        self.assertEqual(text(nb["cells"][2]["outputs"][0]["data"]["text/plain"]), "'last'")

    def test_an_error_a_timer_throws_while_the_next_cell_runs_is_saved_in_that_cell(self):
        code, nb = self.run_notebook(["setTimeout(() => { throw new Error('timer failure') }, 100)\n'scheduled'", "await new Promise(r => setTimeout(r, 1000))\n'waited'"], allow_errors=False)
        self.assertEqual(code, 0)
        first, second = (c["outputs"] for c in nb["cells"])
        self.assertEqual([o["output_type"] for o in first], ["execute_result"])
        streams = [text(o["text"]) for o in second if o["output_type"] == "stream"]
        self.assertEqual(len(streams), 1, second)
        self.assertIn("Error: timer failure", streams[0])

    def test_without_allow_errors_nbconvert_fails_naming_the_error(self):
        code, _ = self.run_notebook(["throw new Error('stop here')", "'never'"], allow_errors=False)
        self.assertNotEqual(code, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
