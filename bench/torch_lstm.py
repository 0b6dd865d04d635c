"""PyTorch CPU baseline for bench/wasm.ts: the identical model, data and batch size.

2 x LSTM(H) or GRU(H) (batch_first, stacked), the last step's h -> Linear(H, 1), MSE, Adam(1e-3);
x[b, t, f] = sin(0.01 * (b*T*F + t*F + f) + 0.3 * f), y[b] = mean over t of x[b, :, 0] (the same formula
as bench/wasm.ts). Prints one JSON line: training and inference samples/s (median of the timed rounds,
after warm-up) for each thread count asked.

    /usr/bin/python3 bench/torch_lstm.py --cell lstm --t 30 --h 64 --f 4 --batch 64 --threads 1,2

With --serve it times one round per request instead, so bench/wasm.ts can alternate PyTorch's rounds
with its own: each stdin line "train|infer THREADS BATCHES" is answered by one JSON line {"rate": samples/s}
(the first request of a kind and thread count warms up for half a second first).
"""
import argparse
import json
import statistics
import sys
import time

import torch


def data(b, t, f):
    idx = torch.arange(b * t * f, dtype=torch.float64).reshape(b, t, f)
    feat = torch.arange(f, dtype=torch.float64).reshape(1, 1, f)
    x = torch.sin(0.01 * idx + 0.3 * feat).float()
    y = x[:, :, 0].mean(dim=1, keepdim=True)
    return x, y


class Net(torch.nn.Module):
    def __init__(self, cell, f, h):
        super().__init__()
        rnn = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
        self.rnn = rnn(f, h, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(h, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1, :])


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
    """Answers "kind threads batches" lines with one timed round each (see the module docstring)."""
    warm = set()
    print(json.dumps({"torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        kind, threads, batches = line.split()
        fn = fns[kind]
        torch.set_num_threads(int(threads))
        if (kind, threads) not in warm:
            warm.add((kind, threads))
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < 0.5:
                fn()
        t0 = time.perf_counter()
        for _ in range(int(batches)):
            fn()
        print(json.dumps({"rate": batch * int(batches) / (time.perf_counter() - t0)}), flush=True)


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
    a = p.parse_args()
    torch.manual_seed(0)
    x, y = data(a.batch, a.t, a.f)
    model = Net(a.cell, a.f, a.h)
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

    result = {"torch": torch.__version__, "runs": []}
    for n in [int(v) for v in a.threads.split(",")]:
        torch.set_num_threads(n)
        tr = rate(train, a.batch, a.batches, a.rounds)
        inf = rate(infer, a.batch, max(a.batches, 4), a.rounds)
        result["runs"].append({"threads": n, "train": tr, "infer": inf})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
