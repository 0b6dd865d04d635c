"""Interrupts at any moment: 100 of them, half SIGINT and half interrupt_request, each at a random
moment in the first second of a training cell (while the request is in flight, compiling, importing,
before train() starts or between batches). Run by test/kernel/kernel.test.ts with /usr/bin/python3,
after the kernel has been installed into a temporary JUPYTER_DATA_DIR (LSTM_LAB_ROOT names the repo).
One kernel serves every round, so a round that broke it shows up in the rounds after it.
"""
import os
import queue
import random
import time
import unittest

from jupyter_client.manager import start_new_kernel

ROOT = os.environ["LSTM_LAB_ROOT"]
ROUNDS = int(os.environ.get("LSTM_LAB_INTERRUPT_ROUNDS", "100"))
# The cell trains "forever": only the interrupt can end it.
# A cell's TypeScript check is one synchronous call that nothing can interrupt: checking this cell
# takes 0.1-0.5 s on an idle 2-core machine but 0.5-1.5 s when it is loaded six times over. An
# interrupt that lands there is honoured the moment the check ends, and the cell never runs; those
# rounds ("Interrupted before the cell started") are held to the check's length, not to 1 s.
CHECK_BOUND_S = 5.0
TRAINING_CELL = (
    "import { train } from 'lstm-lab'\n"
    "rounds++\n"
    "const h = await train(model, { x, y }, { epochs: 1000000, batchSize: 8, progress: 'silent' })\n"
    "h.epoch.length"
)
# No top-level await: SIGINT breaks into it, wherever it is (often inside a tf call, in tidy()).
SYNC_CELL = "let predictions = 0\nfor (let i = 0; i < 1e9; i++) { tf.tidy(() => { model.predict(x) }); predictions++ }"
SYNC_ROUNDS = int(os.environ.get("LSTM_LAB_SYNC_INTERRUPT_ROUNDS", "20"))
STACK_ROUNDS = 10
SETUP_CELL = (
    "import * as tf from '@tensorflow/tfjs'\n"
    "import { ready, train } from 'lstm-lab'\n"
    "await ready()\n"
    "const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), tf.layers.dense({ units: 1 })] })\n"
    "const x = tf.randomNormal([32, 3], 0, 1, 'float32', 1)\n"
    "const y = tf.randomNormal([32, 1], 0, 1, 'float32', 2)\n"
    "let rounds = 0\n"
    "model.countParams()"
)


class InterruptTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        env = dict(os.environ)
        cls.km, cls.kc = start_new_kernel(kernel_name="lstm-lab", cwd=os.path.join(ROOT, "notebooks"), env=env, startup_timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def reply(self, msg_id, timeout):
        deadline = time.time() + timeout
        while True:
            m = self.kc.get_shell_msg(timeout=max(0.01, deadline - time.time()))
            if m["parent_header"].get("msg_id") == msg_id:
                return m

    def settle(self, msg_id):
        """Reads iopub up to the request's idle status, so no round sees another's messages."""
        while True:
            m = self.kc.get_iopub_msg(timeout=60)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return

    def run_cell(self, code):
        msg_id = self.kc.execute(code)
        reply = self.reply(msg_id, 120)
        result = None
        while True:
            m = self.kc.get_iopub_msg(timeout=60)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "execute_result":
                result = m["content"]["data"]["text/plain"]
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return reply["content"], result

    def interrupt_after(self, code, delay, kind="SIGINT"):
        """Runs `code`, interrupts it `delay` seconds later and waits up to 10 s for the reply: its content
        and the seconds from the interrupt to it, or (None, None) when none came (the cell is then stopped
        with SIGINT, so the next rounds can still tell us something)."""
        msg_id = self.kc.execute(code)
        time.sleep(delay)
        sent = time.time()
        self.interrupt(kind)
        try:
            reply = self.reply(msg_id, 10)
        except queue.Empty:
            self.interrupt("SIGINT")
            self.reply(msg_id, 60)
            self.settle(msg_id)
            return None, None
        took = time.time() - sent
        self.settle(msg_id)
        return reply["content"], took

    def interrupt(self, kind):
        if kind == "SIGINT":
            self.km.interrupt_kernel()  # the kernelspec's interrupt_mode is "signal"
        else:
            self.kc.control_channel.send(self.kc.session.msg("interrupt_request", {}))

    def test_every_interrupt_in_the_first_second_of_a_training_cell_stops_it_within_a_second(self):
        content, params = self.run_cell(SETUP_CELL)
        self.assertEqual(content["status"], "ok", content)
        self.assertEqual(params, "21")
        rng = random.Random(13)
        late = []
        slowest = 0.0
        slowest_check = 0.0
        for i in range(ROUNDS):
            kind = "SIGINT" if i % 2 == 0 else "interrupt_request"
            delay = rng.uniform(0.0, 1.0)
            c, took = self.interrupt_after(TRAINING_CELL, delay, kind)
            if c is None:
                late.append((i, kind, round(delay, 3), "no reply in 10 s"))
                continue
            before_start = c.get("evalue") == "Interrupted before the cell started"
            if before_start:
                slowest_check = max(slowest_check, took)
            else:
                slowest = max(slowest, took)
            if c.get("ename") != "KeyboardInterrupt" or took > (CHECK_BOUND_S if before_start else 1.0):
                late.append((i, kind, round(delay, 3), round(took, 3), c.get("status"), c.get("ename"), c.get("evalue")))
        print(f"\n{ROUNDS} training-cell interrupts: the slowest stopped {slowest:.3f} s after its interrupt; one that landed in the type check, {slowest_check:.3f} s", flush=True)
        self.maxDiff = None
        self.assertEqual(late, [], f"{len(late)} of {ROUNDS} interrupts were not honoured within 1 s")
        self.assertTrue(self.km.is_alive())
        # The kernel keeps its variables and trains normally afterwards.
        content, kept = self.run_cell("[model.countParams(), rounds > 0 && rounds <= %d]" % ROUNDS)
        self.assertEqual(content["status"], "ok", content)
        self.assertEqual(kept, "[ 21, true ]")
        content, epochs = self.run_cell("const after = await train(model, { x, y }, { epochs: 3, batchSize: 8, progress: 'silent' });\n[after.epoch.length, after.interrupted]")
        self.assertEqual(content["status"], "ok", content)
        self.assertEqual(epochs, "[ 3, false ]")

    def test_sigint_breaks_a_synchronous_tf_loop_at_any_moment_and_leaves_tensorflow_working(self):
        content, _ = self.run_cell(SETUP_CELL.replace("let rounds = 0\n", ""))
        self.assertEqual(content["status"], "ok", content)
        content, before = self.run_cell("tf.memory().numTensors")
        rng = random.Random(17)
        late = []
        damaged = []
        for i in range(SYNC_ROUNDS):
            delay = rng.uniform(0.0, 1.0)
            c, took = self.interrupt_after(SYNC_CELL, delay)
            if c is None:
                late.append((i, round(delay, 3), "no reply in 10 s"))
                continue
            if c.get("ename") != "KeyboardInterrupt" or took > 1.0:
                late.append((i, round(delay, 3), round(took, 3), c.get("status"), c.get("ename"), c.get("evalue")))
            if any("Restart the kernel" in line for line in c.get("traceback", [])):
                # The break landed inside a WebAssembly call and damaged its heap, which no kernel can
                # repair; the kernel must say so (this happened about once in a hundred breaks).
                damaged.append(c["traceback"][-1])
                break
        self.maxDiff = None
        self.assertEqual(late, [], f"{len(late)} of {SYNC_ROUNDS} interrupts were not honoured within 1 s")
        # The tidy() scopes SIGINT cut short are closed (their tensors freed; at most a tensor per break
        # was made but not yet tracked when the break came) and the engine's depths are back to 0.
        content, state = self.run_cell("const [tensorsAfter, openScopes, depth] = [tf.memory().numTensors, (tf.engine() as any).state.scopeStack.length, (tf.engine() as any).state.kernelDepth];\n[tensorsAfter - %s <= %d, openScopes, depth]" % (before, SYNC_ROUNDS))
        self.assertEqual(state, "[ true, 0, 0 ]")
        if damaged:
            self.assertRegex(damaged[0], r"^TensorFlow.js failed its check after the interrupt \(.*\): the interrupt landed inside a WebAssembly call and left its memory damaged. Restart the kernel.$")
            return
        # Gradients record again: train() works.
        content, epochs = self.run_cell("const trained = await train(model, { x, y }, { epochs: 2, batchSize: 8, progress: 'silent' });\ntrained.epoch.length")
        self.assertEqual(content["status"], "ok", content)
        self.assertEqual(epochs, "2")

    def test_sigint_inside_a_webassembly_call_leaves_its_stack_where_it_was(self):
        # A break inside a wasm matrix product skips the epilogue that pops its stack frame: without the
        # kernel putting the stack pointer back, each one left it 160 bytes lower (seen in 6 of 10
        # rounds), until a later call ran off the stack's end ("memory access out of bounds").
        # A kernel of its own, so a heap another test's breaks damaged (the kernel then says to
        # restart) cannot fail this one.
        shared = (self.km, self.kc)
        self.km, self.kc = start_new_kernel(kernel_name="lstm-lab", cwd=os.path.join(ROOT, "notebooks"), env=dict(os.environ), startup_timeout=60)
        try:
            self.check_stack_after_breaks()
        finally:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
            self.km, self.kc = shared

    def check_stack_after_breaks(self):
        content, sp = self.run_cell(
            "import * as tf from '@tensorflow/tfjs'\nimport { ready } from 'lstm-lab'\nawait ready()\n"
            "const square = tf.randomNormal([300, 300], 0, 1, 'float32', 3);\n(tf.backend() as any).wasm.stackSave()"
        )
        self.assertEqual(content["status"], "ok", content)
        rng = random.Random(5)
        after = []
        for i in range(STACK_ROUNDS):
            c, _ = self.interrupt_after("for (let i = 0; i < 1e9; i++) { tf.tidy(() => { tf.matMul(square, square).dataSync() }) }", rng.uniform(0.05, 0.3))
            self.assertIsNotNone(c, f"round {i}: no reply in 10 s")
            self.assertEqual(c.get("ename"), "KeyboardInterrupt", c)
            after.append(self.run_cell("(tf.backend() as any).wasm.stackSave()")[1])
        self.assertEqual(after, [sp] * STACK_ROUNDS)


if __name__ == "__main__":
    unittest.main(verbosity=2)
