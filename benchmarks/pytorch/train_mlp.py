"""PyTorch baseline for `torchloss train`: the 784-256-256-10 sigmoid MLP, softmax + cross-entropy, SGD with
momentum 0.9, batch 128, on data resident in memory with a fresh permutation per epoch and index_select
batches, as torchloss does. Prints steps/s per thread setting (median of repetitions after a warm-up).

Run with Debian's PyTorch 1.13, which calls the same libtorch as torchloss:
    /usr/bin/python3 benchmarks/pytorch/train_mlp.py --threads 1 2 --steps 391 --repeats 3
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


def build(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.Sigmoid(),
        torch.nn.Linear(256, 256), torch.nn.Sigmoid(),
        torch.nn.Linear(256, 10))


def steps_per_second(threads, steps, batch, warmup, examples):
    torch.set_num_threads(threads)
    x = torch.rand(examples, 784)
    y = torch.randint(0, 10, (examples,))
    model = build(0)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    def run(n, epoch):
        done = 0
        while done < n:
            order = torch.randperm(examples, generator=torch.Generator().manual_seed(epoch + done))
            for start in range(0, examples, batch):
                if done == n:
                    return
                idx = order[start:start + batch]
                xb, yb = x.index_select(0, idx), y.index_select(0, idx)
                loss = F.nll_loss(F.log_softmax(model(xb), dim=1), yb)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                done += 1

    run(warmup, 0)
    start = time.perf_counter()
    run(steps, 1)
    return steps / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--steps", type=int, default=391)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--examples", type=int, default=50000)
    a = p.parse_args()
    results = {}
    for t in a.threads:
        runs = [steps_per_second(t, a.steps, a.batch, a.warmup, a.examples) for _ in range(a.repeats)]
        results[t] = {"median": statistics.median(runs), "runs": runs}
        print(f"pytorch {torch.__version__}  intra-op threads {t}: {statistics.median(runs):.0f} steps/s "
              f"(runs: {', '.join(f'{r:.0f}' for r in runs)})", flush=True)
    best = max(results, key=lambda t: results[t]["median"])
    print(json.dumps({"torch": torch.__version__, "best_threads": best, "best_steps_per_second": results[best]["median"],
                      "results": results}))


if __name__ == "__main__":
    main()
