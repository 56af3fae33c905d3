#!/usr/bin/env python3
"""Reference generation-speed benchmark: greedy decoding with the GPT of torch_reference.py.

Same model (weights random, float32, dropout 0) and same measurement as bench/train-speed.ts:
an 8-token prompt, min(32, context - 8) new tokens, batch 1, one warm-up run then one timed run,
(a) with a key/value cache (each step feeds one token and attends over the cached keys/values)
and (b) by recomputing the whole sequence every step. Run with /usr/bin/python3; prints one JSON
line per config:
  {"impl": "pytorch-...", "config": ..., "generate_tokens_per_s_cached": ..., "generate_tokens_per_s_uncached": ...}
"""
import argparse, json, math, os, sys, time
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_reference import CONFIGS, GPT  # noqa: E402  (the model whose training speed is the reference)


def block_step(block, x, past):
    """One Block of torch_reference.GPT on new positions x, attending over past keys/values too."""
    B, T, D = x.shape
    H = block.H
    q, k, v = block.qkv(block.ln1(x)).view(B, T, 3, H, D // H).permute(2, 0, 3, 1, 4)
    if past is not None:
        k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
    S = k.shape[2]
    att = (q @ k.transpose(-1, -2)) / math.sqrt(D // H)
    causal = torch.triu(torch.ones(T, S, dtype=torch.bool), S - T + 1)
    att = att.masked_fill(causal, float("-inf")).softmax(-1)
    x = x + block.proj((att @ v).transpose(1, 2).reshape(B, T, D))
    return x + block.out(torch.nn.functional.gelu(block.fc(block.ln2(x)), approximate="tanh")), (k, v)


def next_logits(model, idx, start, cache):
    x = model.wte(idx) + model.wpe(torch.arange(start, start + idx.shape[1]))
    new_cache = []
    for i, b in enumerate(model.blocks):
        x, kv = block_step(b, x, cache[i] if cache else None)
        new_cache.append(kv)
    return (model.ln_f(x[:, -1]) @ model.wte.weight.T), new_cache


@torch.no_grad()
def greedy(model, prompt, new_tokens, use_cache):
    tokens = prompt.clone()
    cache, fed = None, 0
    for _ in range(new_tokens):
        if use_cache:
            logits, cache = next_logits(model, tokens[:, fed:], fed, cache)
            fed = tokens.shape[1]
        else:
            logits, _ = next_logits(model, tokens, 0, None)
        tokens = torch.cat([tokens, logits.argmax(-1, keepdim=True)], 1)
    return tokens


def run(name, threads):
    c = CONFIGS[name]
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    model = GPT(c["V"], c["D"], c["L"], c["H"], c["T"]).eval()
    prompt = torch.arange(1, 9).unsqueeze(0)
    new_tokens = min(32, c["T"] - 8)
    speeds = {}
    for use_cache in (True, False):
        greedy(model, prompt, new_tokens, use_cache)  # warm-up
        t0 = time.perf_counter()
        out = greedy(model, prompt, new_tokens, use_cache)
        speeds[use_cache] = round(new_tokens / (time.perf_counter() - t0), 1)
        speeds[("tokens", use_cache)] = out[0].tolist()
    assert speeds[("tokens", True)] == speeds[("tokens", False)], "cached and uncached greedy tokens differ"
    print(json.dumps({"impl": "pytorch-" + torch.__version__, "config": name, "threads": threads,
                      "new_tokens": new_tokens,
                      "generate_tokens_per_s_cached": speeds[True],
                      "generate_tokens_per_s_uncached": speeds[False]}))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="small", choices=list(CONFIGS) + ["all"])
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    for n in (CONFIGS if a.config == "all" else [a.config]):
        run(n, a.threads)
