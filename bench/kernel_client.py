"""Kernel timings through jupyter_client, for bench/kernel.ts: cold start to the first kernel_info
reply, and the round trip of a trivial cell (execute_request sent → the kernel idle again).

Usage: /usr/bin/python3 bench/kernel_client.py CWD ROUNDS CELLS NAME...   (JUPYTER_DATA_DIR holds the specs)
Kernels alternate round by round, so a change in the machine's load hits every one of them.
Prints one JSON object: {name: {"start_ms": [...], "cell_ms": [...]}}.
"""
import json
import queue
import sys
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 120


def wait_reply(kc, msg_id):
    while True:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id:
            return m


def wait_idle(kc, msg_id, timeout=TIMEOUT):
    deadline = time.perf_counter() + timeout
    while True:
        m = kc.get_iopub_msg(timeout=max(0.01, deadline - time.perf_counter()))
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return


def cell(kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    reply = wait_reply(kc, msg_id)
    wait_idle(kc, msg_id)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")
    return (time.perf_counter() - t0) * 1000


def one_round(name, cwd, cells):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        # ZeroMQ keeps the request until the kernel has bound its shell socket.
        wait_reply(kc, kc.kernel_info())
        start_ms = (time.perf_counter() - t0) * 1000
        # The first cell builds the compiler's program (not what a user waits on per cell). Repeat it
        # until its idle status arrives: iopub subscriptions take a moment to connect.
        for _ in range(50):
            msg_id = kc.execute("0")
            wait_reply(kc, msg_id)
            try:
                wait_idle(kc, msg_id, timeout=2)
                break
            except queue.Empty:
                continue
        cell_ms = [cell(kc, "1 + 1") for _ in range(cells)]
        return start_ms, cell_ms
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    cwd, rounds, cells, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    out = {n: {"start_ms": [], "cell_ms": []} for n in names}
    for _ in range(rounds):
        for n in names:
            start_ms, cell_ms = one_round(n, cwd, cells)
            out[n]["start_ms"].append(start_ms)
            out[n]["cell_ms"].extend(cell_ms)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
