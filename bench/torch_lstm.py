"""PyTorch CPU baseline for bench/wasm.ts: the identical model, data and batch size.

2 x LSTM(H) or GRU(H) (batch_first, stacked), the last step's h -> Linear(H, 1), MSE, Adam(1e-3);
x[b, t, f] = sin(0.01 * (b*T*F + t*F + f) + 0.3 * f), y[b] = mean over t of x[b, :, 0] (the same formula
as bench/wasm.ts). Prints one JSON line: training and inference samples/s (median of the timed rounds,
after warm-up) for each thread count asked.

    /usr/bin/python3 bench/torch_lstm.py --cell lstm --t 30 --h 64 --f 4 --batch 64 --threads 1,2

With --serve it times one round per request instead, so bench/wasm.ts can alternate PyTorch's rounds
with its own: each stdin line "train|infer THREADS BATCHES [SECONDS [WARM]]" is answered by one JSON line
{"rate": samples/s} (the first request of a kind and thread count warms up for half a second first; with
SECONDS the round stops after that long once a batch is done; with WARM it first runs untimed batches for
that many seconds, as bench/wasm.ts does before each of its own rounds).

With --coretypes it prints the OpenBLAS core types worth trying on this CPU, as one JSON line
{"coretypes": [...], "auto": name}: "auto" (OpenBLAS's own detection, which may pick a narrower kernel
than the CPU has; its name) and each other type whose kernels the CPU's flags allow. OPENBLAS_CORETYPE
must be set before OpenBLAS loads, so bench/wasm.ts starts one --serve process per setting and
alternates rounds between them to find PyTorch's best.

"N threads" is N threads for PyTorch's loops and for OpenBLAS alike (see set_threads).
"""
import argparse
import json
import statistics
import sys
import time

torch = None  # imported by load_torch()

# OpenBLAS core types worth trying, and the CPU flags (/proc/cpuinfo) each one's kernels need.
CORETYPES = [
    ("Prescott", ["pni"]),
    ("Haswell", ["avx2", "fma"]),
    ("Zen", ["avx2", "fma"]),
    ("SkylakeX", ["avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512cd"]),
    ("Cooperlake", ["avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512cd", "avx512_bf16"]),
]


def load_torch():
    global torch
    import torch as t

    torch = t


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def openblas():
    """The OpenBLAS library PyTorch loaded (a ctypes handle), or None when it runs without OpenBLAS."""
    import ctypes

    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "libopenblas" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib
        except (OSError, AttributeError):
            continue
    return None


def openblas_corename():
    """The core type the loaded OpenBLAS runs ("Prescott", "SkylakeX", ...), or None without OpenBLAS."""
    lib = openblas()
    return lib.openblas_get_corename().decode() if lib else None


def set_threads(n):
    """n threads for PyTorch's own loops and for OpenBLAS: torch.set_num_threads leaves OpenBLAS's pool
    at one thread per core, so "1 thread" would otherwise run its matrix products on every core."""
    torch.set_num_threads(n)
    lib = openblas()
    if lib:
        lib.openblas_set_num_threads(n)


def supported_coretypes():
    """The core types in CORETYPES whose flags the CPU has, after "auto" (OpenBLAS's own choice,
    which is dropped from the explicit ones)."""
    load_torch()
    auto = openblas_corename()
    flags = cpu_flags()
    return {"coretypes": ["auto"] + [name for name, need in CORETYPES if all(f in flags for f in need) and name != auto], "auto": auto}


def data(b, t, f):
    idx = torch.arange(b * t * f, dtype=torch.float64).reshape(b, t, f)
    feat = torch.arange(f, dtype=torch.float64).reshape(1, 1, f)
    x = torch.sin(0.01 * idx + 0.3 * feat).float()
    y = x[:, :, 0].mean(dim=1, keepdim=True)
    return x, y


def make_net(cell, f, h):
    """2 x LSTM(h) or GRU(h), the last step's h -> Linear(h, 1) (a class made after torch is loaded)."""

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            rnn = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
            self.rnn = rnn(f, h, num_layers=2, batch_first=True)
            self.head = torch.nn.Linear(h, 1)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.head(out[:, -1, :])

    return Net()


def rate(fn, batch, batches, rounds, budget=1.0):
    """Median samples/s over rounds of `batches` calls (a round stops early after `budget` seconds)."""
    for _ in range(2):
        fn()
    per_round = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        done = 0
        while done < batches and (done == 0 or time.perf_counter() - t0 < budget):
            fn()
            done += 1
        per_round.append(batch * done / (time.perf_counter() - t0))
    return statistics.median(per_round)


def serve(fns, batch):
    """Answers "kind threads batches [seconds]" lines with one timed round each (see the module docstring);
    with seconds, a round stops after that long once one batch is done (so a slow setting costs little)."""
    warm = set()
    print(json.dumps({"torch": torch.__version__, "corename": openblas_corename()}), flush=True)
    for line in sys.stdin:
        kind, threads, batches, *budget = line.split()
        fn = fns[kind]
        set_threads(int(threads))
        limit = float(budget[0]) if budget else float("inf")
        warmup = float(budget[1]) if len(budget) > 1 else 0.0
        if (kind, threads) not in warm:
            warm.add((kind, threads))
            warmup = max(warmup, min(0.5, limit))
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < warmup:
            fn()
        t0 = time.perf_counter()
        done = 0
        while done < int(batches) and (done == 0 or time.perf_counter() - t0 < limit):
            fn()
            done += 1
        print(json.dumps({"rate": batch * done / (time.perf_counter() - t0)}), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cell", default="lstm", choices=["lstm", "gru"])
    p.add_argument("--t", type=int, default=30)
    p.add_argument("--h", type=int, default=64)
    p.add_argument("--f", type=int, default=4)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--batches", type=int, default=8)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--serve", action="store_true")
    p.add_argument("--coretypes", action="store_true")
    a = p.parse_args()
    if a.coretypes:
        print(json.dumps(supported_coretypes()))
        return
    load_torch()
    torch.manual_seed(0)
    x, y = data(a.batch, a.t, a.f)
    model = make_net(a.cell, a.f, a.h)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()

    def train():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    def infer():
        with torch.no_grad():
            model(x)

    if a.serve:
        serve({"train": train, "infer": infer}, a.batch)
        return

    result = {"torch": torch.__version__, "corename": openblas_corename(), "runs": []}
    for n in [int(v) for v in a.threads.split(",")]:
        set_threads(n)
        tr = rate(train, a.batch, a.batches, a.rounds)
        inf = rate(infer, a.batch, max(a.batches, 4), a.rounds)
        result["runs"].append({"threads": n, "train": tr, "infer": inf})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
