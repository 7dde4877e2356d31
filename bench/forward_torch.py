#!/usr/bin/python3
"""The PyTorch side of bench/forward.ts: the Hugging Face Llama forward in plain PyTorch.

Reads a model folder by itself (config.json, model.safetensors or shards + index; the
safetensors format is parsed here by hand, no safetensors package), runs the forward in
float32 under torch.no_grad() with a fixed number of threads, and times it the way
forward.ts times the tfjs side: warm-up runs, then the median of timed runs, wall clock.
It also writes the logits of one small check batch so the two sides can be compared.

Run by bench/forward.ts; by hand (Debian's interpreter has torch):

    /usr/bin/python3 bench/forward_torch.py <model-dir> <inputs.json> <check-logits.f32> \
        [--threads 2] [--warmup 1] [--runs 5]

inputs.json: {"ids": [[...]], "mask": [[...]], "check_ids": [[...]], "check_mask": [[...]]}.
Prints one JSON object on stdout; the check logits go to the .f32 file as raw float32 [B, T, V].
"""

import argparse
import ctypes
import json
import math
import os
import re
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path, names=None):
    """{name: float32 tensor} from one safetensors file (F32, F16 and BF16)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
        header.pop("__metadata__", None)
        start = 8 + n
        out = {}
        for name, info in header.items():
            if names is not None and name not in names:
                continue
            b, e = info["data_offsets"]
            f.seek(start + b)
            raw = f.read(e - b)
            dtype = info["dtype"]
            if dtype == "F32":
                arr = np.frombuffer(raw, dtype="<f4").copy()
            elif dtype == "F16":
                arr = np.frombuffer(raw, dtype="<f2").astype(np.float32)
            elif dtype == "BF16":
                arr = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
            else:
                raise ValueError(f"{path}: tensor {name} has dtype {dtype}; expected F32, F16 or BF16")
            out[name] = torch.from_numpy(arr).reshape(info["shape"])
    return out


def read_model(folder):
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    with open(os.path.join(folder, "model.safetensors.index.json")) as f:
        weight_map = json.load(f)["weight_map"]
    params = {}
    for shard in sorted(set(weight_map.values())):
        params.update(read_safetensors(os.path.join(folder, shard)))
    return params


# The forward, from transformers' LlamaForCausalLM (eager attention, position ids 0..T-1).

def rope_tables(T, d, theta):
    inv_freq = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
    freqs = torch.outer(torch.arange(T, dtype=torch.float32), inv_freq)
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def repeat_kv(x, n_rep):
    B, nkv, T, d = x.shape
    if n_rep == 1:
        return x
    return x[:, :, None].expand(B, nkv, n_rep, T, d).reshape(B, nkv * n_rep, T, d)


def llama_forward(p, cfg, ids, mask, lora=None, scaling=1.0):
    """Logits [B, T, V] of the HF Llama forward; `lora` maps a module path
    ("model.layers.0.self_attn.q_proj") to its (A [r, in], B [out, r]) branch."""
    lora = lora or {}
    B, T = ids.shape
    H = cfg["hidden_size"]
    nh = cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads") or nh
    hd = cfg.get("head_dim") or H // nh
    eps = cfg.get("rms_norm_eps", 1e-6)
    cos, sin = rope_tables(T, hd, cfg.get("rope_theta", 10000.0))
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    allowed = causal[None, None] & (mask[:, None, None, :] == 1)
    bias = torch.zeros(B, 1, T, T).masked_fill_(~allowed, torch.finfo(torch.float32).min)

    def lin(x, module):
        y = F.linear(x, p[module + ".weight"])
        if module in lora:
            a, b = lora[module]
            y = y + F.linear(F.linear(x, a), b) * scaling
        return y

    x = p["model.embed_tokens.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        pre = f"model.layers.{i}."
        h = rms_norm(x, p[pre + "input_layernorm.weight"], eps)
        q = lin(h, pre + "self_attn.q_proj").view(B, T, nh, hd).transpose(1, 2)
        k = lin(h, pre + "self_attn.k_proj").view(B, T, nkv, hd).transpose(1, 2)
        v = lin(h, pre + "self_attn.v_proj").view(B, T, nkv, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = repeat_kv(k, nh // nkv)
        v = repeat_kv(v, nh // nkv)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + bias
        a = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, nh * hd)
        x = x + lin(a, pre + "self_attn.o_proj")
        h = rms_norm(x, p[pre + "post_attention_layernorm.weight"], eps)
        g = lin(h, pre + "mlp.gate_proj")
        u = lin(h, pre + "mlp.up_proj")
        x = x + lin(F.silu(g) * u, pre + "mlp.down_proj")
    x = rms_norm(x, p["model.norm.weight"], eps)
    head = p.get("lm_head.weight", p["model.embed_tokens.weight"])
    return F.linear(x, head)


def set_threads(n):
    """PyTorch's intra-op threads, checked: a silently ignored setting would skew every ratio."""
    torch.set_num_threads(n)
    if torch.get_num_threads() != n:
        raise SystemExit(f"torch.get_num_threads() is {torch.get_num_threads()} after set_num_threads({n})")


def torch_environment():
    """What the timings ran on: torch and Python versions, threads, BLAS, the env that steers them."""
    show = torch.__config__.show()
    blas_info = re.search(r"\bBLAS_INFO=([^,\s]+)", show)
    parallel = torch.__config__.parallel_info()
    return {
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "num_threads": torch.get_num_threads(),
        "parallel_backend": next((line.split(":", 1)[1].strip() for line in parallel.splitlines() if "parallel backend" in line), ""),
        "blas_info": blas_info.group(1) if blas_info else "?",
        "cpu_capability": next((line.split(":", 1)[1].strip() for line in show.splitlines() if "CPU capability" in line), ""),
        "blas": blas_report(),
        "env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
    }


def blas_report():
    """The BLAS library actually mapped into this process, and what OpenBLAS says of itself."""
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.split()[-1]})
    info = {"libraries": libs}
    for lib in libs:
        if "openblas" not in lib:
            continue
        try:
            so = ctypes.CDLL(lib)
            so.openblas_get_config.restype = ctypes.c_char_p
            so.openblas_get_corename.restype = ctypes.c_char_p
            info["openblas_config"] = so.openblas_get_config().decode()
            info["openblas_core"] = so.openblas_get_corename().decode()
            info["openblas_threads"] = so.openblas_get_num_threads()
        except (OSError, AttributeError):
            pass
        break
    return info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("inputs")
    ap.add_argument("check_out")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    set_threads(args.threads)
    with open(os.path.join(args.model, "config.json")) as f:
        cfg = json.load(f)
    p = read_model(args.model)
    with open(args.inputs) as f:
        inputs = json.load(f)
    ids = torch.tensor(inputs["ids"], dtype=torch.int64)
    mask = torch.tensor(inputs["mask"], dtype=torch.int64)
    check_ids = torch.tensor(inputs["check_ids"], dtype=torch.int64)
    check_mask = torch.tensor(inputs["check_mask"], dtype=torch.int64)

    times = []
    cpu = 0.0
    with torch.no_grad():
        for i in range(args.warmup + args.runs):
            c0 = time.process_time()
            t0 = time.perf_counter()
            logits = llama_forward(p, cfg, ids, mask)
            dt = time.perf_counter() - t0
            dc = time.process_time() - c0
            del logits
            if i >= args.warmup:
                times.append(dt)
                cpu += dc
        check = llama_forward(p, cfg, check_ids, check_mask)
    check.contiguous().numpy().astype("<f4").tofile(args.check_out)

    B, T = ids.shape
    json.dump({
        **torch_environment(),
        "times_s": times,
        "cores_used": cpu / sum(times),
        "median_s": statistics.median(times),
        "tokens_per_s": B * T / statistics.median(times),
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
