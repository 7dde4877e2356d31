#!/usr/bin/python3
"""Full pretraining of the bundled base model in plain PyTorch, for pretrain.ts --engine torch.

The model is bench/forward_torch.py's Hugging Face Llama forward (the one the benches check
LoRA Lab's logits against), every weight trainable, tied embeddings. PyTorch is used here
for one reason: full training of all 7M parameters runs about twice as fast in it on two
CPU cores as LoRA Lab's method full, and the bundled weights take thousands of steps.
The result is an ordinary float32 safetensors file that LoRA Lab then loads, fine-tunes,
evaluates and merges; nothing of the product depends on torch.

Training: AdamW (betas 0.9/0.999, eps 1e-8, weight decay on matrices only), gradient norm
clipped to 1, a linear warm-up then a cosine to 10% of the peak over --schedule-steps
(a phase may stop before its cosine ends: --steps < --schedule-steps), next-token
cross-entropy on packed blocks of token ids, block order shuffled per epoch from --seed.

Every --eval-every steps it logs the loss on the first --eval-blocks eval blocks and, with
--probe (a JSON object: set name -> rows of {"prompt": ids, "answer": ids}), each set's
teacher-forced exact match (a row is correct when the argmax at every answer position is
the answer's next token).

Run by pretrain.ts; by hand:

    /usr/bin/python3 scripts/bundled-model/pretrain_torch.py --init DIR --train blocks.jsonl \\
        --eval eval.jsonl --out DIR --steps 1000 [--schedule-steps 3000] [--lr 2e-3] \\
        [--warmup 50] [--batch 16] [--seed 42] [--probe probe.json] [--threads 2]

Writes DIR/model.safetensors (float32), DIR/config.json and DIR/log.jsonl (one JSON line per
logged step; the last line has "done": true).
"""

import argparse
import json
import math
import os
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "..", "bench"), os.path.join(HERE, "..", "fixtures")]
from forward_torch import llama_forward, read_model, set_threads  # noqa: E402
from make_fixtures import safetensors_bytes  # noqa: E402


def write_safetensors(path, tensors):
    """{name: tensor} as the safetensors library writes it (the golden fixtures' writer), atomically."""
    data, _ = safetensors_bytes(tensors)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def read_blocks(path):
    with open(path) as f:
        return torch.tensor([json.loads(line)["input_ids"] for line in f if line.strip()], dtype=torch.int64)


def lr_at(step, peak, warmup, schedule):
    """Step is 0-based. Linear warm-up to the peak, then a cosine to 10% of it at `schedule`."""
    if step < warmup:
        return peak * (step + 1) / warmup
    t = min(1.0, (step - warmup) / max(1, schedule - warmup))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t)))


def lm_loss(p, cfg, ids):
    logits = llama_forward(p, cfg, ids, torch.ones_like(ids))
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))


@torch.no_grad()
def probe_exact_match(p, cfg, probe):
    """Share of probe rows whose answer tokens are all the argmax, teacher-forced (one batch, right-padded)."""
    rows = [r["prompt"] + r["answer"] for r in probe]
    T = max(len(r) for r in rows)
    ids = torch.tensor([r + [0] * (T - len(r)) for r in rows], dtype=torch.int64)
    pred = llama_forward(p, cfg, ids, torch.ones_like(ids)).argmax(-1)
    correct = 0
    for i, r in enumerate(probe):
        n = len(r["prompt"])
        want = torch.tensor(r["answer"])
        correct += int(torch.equal(pred[i, n - 1:n - 1 + len(want)], want))
    return correct / len(probe)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--init", required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--eval", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--schedule-steps", type=int, default=None)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--eval-blocks", type=int, default=64)
    ap.add_argument("--probe", default=None)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    schedule = args.schedule_steps or args.steps

    set_threads(args.threads)
    torch.manual_seed(args.seed)
    with open(os.path.join(args.init, "config.json")) as f:
        cfg = json.load(f)
    p = {k: v.clone().requires_grad_(True) for k, v in read_model(args.init).items()}
    decay = [v for v in p.values() if v.dim() >= 2]
    no_decay = [v for v in p.values() if v.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr, betas=(0.9, 0.999), eps=1e-8,
    )
    train = read_blocks(args.train)
    evals = read_blocks(args.eval)[: args.eval_blocks]
    probe = json.load(open(args.probe)) if args.probe else None
    rng = np.random.default_rng(args.seed)
    order, cursor = rng.permutation(len(train)), 0

    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "log.jsonl"), "w")

    def evaluate(step, train_loss, lr):
        with torch.no_grad():
            eval_loss = sum(lm_loss(p, cfg, evals[i:i + 16]).item() * len(evals[i:i + 16]) for i in range(0, len(evals), 16)) / len(evals)
        entry = {"step": step, "loss": train_loss, "lr": lr, "eval_loss": eval_loss}
        for name, rows in (probe or {}).items():
            entry[f"probe_{name}"] = probe_exact_match(p, cfg, rows)
        return entry

    started = time.perf_counter()
    recent = []
    for step in range(args.steps):
        if cursor + args.batch > len(order):
            order, cursor = rng.permutation(len(train)), 0
        batch = train[order[cursor:cursor + args.batch]]
        cursor += args.batch
        lr = lr_at(step, args.lr, args.warmup, schedule)
        for g in opt.param_groups:
            g["lr"] = lr
        loss = lm_loss(p, cfg, batch)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(p.values()), 1.0)
        opt.step()
        recent.append(loss.item())
        done = step + 1
        if done % args.eval_every == 0 or done == args.steps:
            entry = evaluate(done, sum(recent) / len(recent), lr)
            entry["seconds"] = round(time.perf_counter() - started, 1)
            entry["done"] = done == args.steps
            recent = []
            if entry["done"]:  # the weights first, so a log that says done means they are there
                write_safetensors(os.path.join(args.out, "model.safetensors"), p)
                shutil.copyfile(os.path.join(args.init, "config.json"), os.path.join(args.out, "config.json"))
            log.write(json.dumps(entry) + "\n")
            log.flush()
            print(json.dumps(entry), flush=True)
    log.close()


if __name__ == "__main__":
    main()
