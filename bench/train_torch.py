#!/usr/bin/python3
"""The PyTorch side of bench/train.ts and bench/lora-vs-full.ts: one training step as LoRA Lab's trainer takes it.

The Llama forward of bench/forward_torch.py (same helpers, imported) with a LoRA branch on
q_proj and v_proj written out here (no peft, no transformers): y = x·Wᵀ + scaling·(x·Aᵀ)·Bᵀ,
A [r, in] and B [out, r] as PEFT stores them, base weights frozen (requires_grad=False).
A step is what the engine's trainer does: forward, mean next-token cross-entropy over the
batch, backward, clip the global gradient norm, AdamW (decoupled weight decay, as the
engine's own optimizer), zero the gradients. Timed like bench/train.ts times the tfjs side:
warm-up steps, then the median of timed steps, wall clock; forward and backward are timed
apart as well. A and B are read from an adapter folder (the engine's initial adapter: its
A, and B = 0), so the first loss is the base model's loss and must equal the engine's.
With --method full there is no adapter (pass - for it): every weight of the model is a
trainable leaf and AdamW steps all of them, as the engine's method full does (a tied
head is the embedding, so it gets both gradients, as in transformers).

Run by bench/train.ts; by hand (Debian's interpreter has torch):

    /usr/bin/python3 bench/train_torch.py <model-dir> <adapter-dir> <batch.json> \
        [--threads 2] [--warmup 2] [--runs 10] [--lr 1e-3] [--max-grad-norm 1.0] [--method lora|full]

batch.json: {"ids": [[...]]}, every row the same length (no padding). Prints one JSON object.
"""

import argparse
import json
import math
import os
import re
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ left in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward_torch import llama_forward, read_model, read_safetensors, set_threads, torch_environment  # noqa: E402

TARGETS = ("q_proj", "v_proj")


def forward(p, cfg, ids, lora, scaling):
    """Logits [B, T, V]: forward_torch's Llama forward with the LoRA branches, no padding."""
    return llama_forward(p, cfg, ids, torch.ones_like(ids), lora, scaling)


def read_adapter(folder):
    """{module path: (A, B)} as trainable leaves, and the scaling alpha / r."""
    with open(os.path.join(folder, "adapter_config.json")) as f:
        config = json.load(f)
    raw = read_safetensors(os.path.join(folder, "adapter_model.safetensors"))
    prefix = "base_model.model."
    lora = {}
    for key in raw:
        if key.endswith(".lora_A.weight"):
            module = key[len(prefix):-len(".lora_A.weight")]
            a = raw[key].clone().requires_grad_(True)
            b = raw[key.replace(".lora_A.", ".lora_B.")].clone().requires_grad_(True)
            lora[module] = (a, b)
    scaling = config["lora_alpha"] / config["r"]
    return lora, scaling, config


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("adapter")
    ap.add_argument("batch")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--max-grad-norm", type=float, default=1.0)
    ap.add_argument("--method", choices=("lora", "full"), default="lora")
    args = ap.parse_args()

    set_threads(args.threads)
    with open(os.path.join(args.model, "config.json")) as f:
        cfg = json.load(f)
    p = read_model(args.model)
    full = args.method == "full"
    for t in p.values():
        t.requires_grad_(full)
    if full:
        lora, scaling, adapter_config = {}, 1.0, {"r": None}
        params = list(p.values())
    else:
        lora, scaling, adapter_config = read_adapter(args.adapter)
        if sorted({m.rsplit(".", 1)[1] for m in lora}) != sorted(TARGETS):
            raise SystemExit(f"adapter targets {sorted(lora)} are not {TARGETS}")
        params = [t for ab in lora.values() for t in ab]
    # The engine's AdamW: β (0.9, 0.999), ε 1e-8, decoupled weight decay (0 here), constant lr.
    opt = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    with open(args.batch) as f:
        ids = torch.tensor(json.load(f)["ids"], dtype=torch.int64)
    B, T = ids.shape
    targets = ids[:, 1:].reshape(-1)

    losses, grad_norms, steps, fwd, bwd = [], [], [], [], []
    cpu = 0.0
    for i in range(args.warmup + args.runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        logits = forward(p, cfg, ids, lora, scaling)
        # Mean next-token cross-entropy over all B·(T−1) positions, as the engine's loss/token count.
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), targets)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        norm = torch.nn.utils.clip_grad_norm_(params, args.max_grad_norm)
        opt.step()
        opt.zero_grad(set_to_none=True)
        value = loss.item()
        t3 = time.perf_counter()
        dc = time.process_time() - c0
        losses.append(value)
        grad_norms.append(float(norm))
        if i >= args.warmup:
            steps.append(t3 - t0)
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
            cpu += dc
        print(f"torch step {i + 1}/{args.warmup + args.runs}{' (warm-up)' if i < args.warmup else ''}: {t3 - t0:.3f} s, loss {value:.6f}", file=sys.stderr)

    median = statistics.median(steps)
    json.dump({
        **torch_environment(),
        "method": args.method,
        "trainable": sum(t.numel() for t in params),
        "scaling": scaling,
        "r": adapter_config["r"],
        "losses": losses,
        "grad_norms": grad_norms,
        "step_s": steps,
        "median_s": median,
        "forward_median_s": statistics.median(fwd),
        "backward_median_s": statistics.median(bwd),
        "cores_used": cpu / sum(steps),
        "tokens_per_s": B * T / median,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
