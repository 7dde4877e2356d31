#!/usr/bin/python3
"""The PyTorch side of bench/generate.ts: greedy decoding with a key/value cache.

The Llama forward of bench/forward_torch.py (same helpers, imported), written here for
one sequence that continues a cache, as transformers' LlamaForCausalLM.generate runs it
with its DynamicCache: the prompt once (prefill), then one token per step, each step
appending its keys and values to the cache by concatenation (torch.cat, as DynamicCache
does) and attending over all of them. No padding, batch 1, float32, torch.no_grad().
Timed like generate.ts times the engine: the prefill is the time to the first token
(forward over the prompt and the argmax of its last row), decode is every later token;
each run starts from an empty cache. Warm-up runs first, then timed runs.

Run by bench/generate.ts; by hand (Debian's interpreter has torch):

    /usr/bin/python3 bench/generate_torch.py <model-dir> <prompt.json> \
        [--threads 2] [--new-tokens 64] [--warmup 1] [--runs 3]

prompt.json: {"ids": [...]} (one prompt). Prints one JSON object on stdout.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ left in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward_torch import read_model, repeat_kv, rms_norm, rope_tables, rotate_half, set_threads, torch_environment  # noqa: E402


def cached_forward(p, cfg, ids, cache, rope):
    """Logits [T, V] for ids [T] continuing `cache` (a list of per-layer (k, v) or None), extended in place."""
    T = ids.shape[0]
    H = cfg["hidden_size"]
    nh = cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads") or nh
    hd = cfg.get("head_dim") or H // nh
    eps = cfg.get("rms_norm_eps", 1e-6)
    past = 0 if cache[0] is None else cache[0][0].shape[2]
    cos, sin = rope[0][past:past + T], rope[1][past:past + T]
    # Query i (position past+i) sees keys 0..past+i; one query (decode) sees every key, so no mask.
    bias = None
    if T > 1:
        allowed = torch.ones(T, past + T, dtype=torch.bool).tril(diagonal=past)
        bias = torch.zeros(T, past + T).masked_fill_(~allowed, torch.finfo(torch.float32).min)

    x = p["model.embed_tokens.weight"][ids][None]  # [1, T, H]
    for i in range(cfg["num_hidden_layers"]):
        pre = f"model.layers.{i}."
        h = rms_norm(x, p[pre + "input_layernorm.weight"], eps)
        q = F.linear(h, p[pre + "self_attn.q_proj.weight"]).view(1, T, nh, hd).transpose(1, 2)
        k = F.linear(h, p[pre + "self_attn.k_proj.weight"]).view(1, T, nkv, hd).transpose(1, 2)
        v = F.linear(h, p[pre + "self_attn.v_proj.weight"]).view(1, T, nkv, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if cache[i] is not None:
            k = torch.cat([cache[i][0], k], dim=2)
            v = torch.cat([cache[i][1], v], dim=2)
        cache[i] = (k, v)
        k = repeat_kv(k, nh // nkv)
        v = repeat_kv(v, nh // nkv)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        if bias is not None:
            scores = scores + bias
        a = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(1, T, nh * hd)
        x = x + F.linear(a, p[pre + "self_attn.o_proj.weight"])
        h = rms_norm(x, p[pre + "post_attention_layernorm.weight"], eps)
        g = F.linear(h, p[pre + "mlp.gate_proj.weight"])
        u = F.linear(h, p[pre + "mlp.up_proj.weight"])
        x = x + F.linear(F.silu(g) * u, p[pre + "mlp.down_proj.weight"])
    x = rms_norm(x, p["model.norm.weight"], eps)
    head = p.get("lm_head.weight", p["model.embed_tokens.weight"])
    return F.linear(x[0], head)


def greedy(p, cfg, prompt, new_tokens, rope):
    """(tokens, seconds to each token from the start, the top-2 logit gap at each token)."""
    cache = [None] * cfg["num_hidden_layers"]
    out, stamps, gaps = [], [], []
    t0 = time.perf_counter()
    nxt = prompt
    for _ in range(new_tokens):
        row = cached_forward(p, cfg, nxt, cache, rope)[-1]
        top = torch.topk(row, 2).values
        tok = int(torch.argmax(row))
        stamps.append(time.perf_counter() - t0)
        out.append(tok)
        gaps.append(float(top[0] - top[1]))
        nxt = torch.tensor([tok], dtype=torch.int64)
    return out, stamps, gaps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("prompt")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    set_threads(args.threads)
    with open(os.path.join(args.model, "config.json")) as f:
        cfg = json.load(f)
    p = read_model(args.model)
    with open(args.prompt) as f:
        prompt = torch.tensor(json.load(f)["ids"], dtype=torch.int64)
    hd = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    rope = rope_tables(prompt.shape[0] + args.new_tokens, hd, cfg.get("rope_theta", 10000.0))

    prefill, decode, cpu = [], [], 0.0
    tokens, gaps = None, None
    with torch.no_grad():
        for i in range(args.warmup + args.runs):
            c0 = time.process_time()
            out, stamps, g = greedy(p, cfg, prompt, args.new_tokens, rope)
            dc = time.process_time() - c0
            if tokens is not None and out != tokens:
                raise SystemExit(f"run {i + 1} decoded different tokens than run 1")
            tokens, gaps = out, g
            if i >= args.warmup:
                prefill.append(stamps[0])
                decode.append(stamps[-1] - stamps[0])
                cpu += dc
            print(f"torch run {i + 1}/{args.warmup + args.runs}{' (warm-up)' if i < args.warmup else ''}: "
                  f"prefill {stamps[0]:.3f} s, decode {stamps[-1] - stamps[0]:.3f} s", file=sys.stderr)

    decode_median = statistics.median(decode)
    json.dump({
        **torch_environment(),
        "tokens": tokens,
        "gaps": gaps,
        "prefill_s": prefill,
        "decode_s": decode,
        "prefill_median_s": statistics.median(prefill),
        "decode_median_s": decode_median,
        "decode_tokens_per_s": (args.new_tokens - 1) / decode_median,
        "cores_used": cpu / (sum(prefill) + sum(decode)),
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
