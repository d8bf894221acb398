#!/usr/bin/env python3
"""The llama.cpp reference for `bench/run llm`: prompt and generation tok/s of a GGUF
with llama-cpp-python, same thread count and shape as examples/plain_candle.rs
(a 300-token prompt in one batch, then 64 greedy tokens).

    python3 bench/llamacpp_reference.py models/<file>.gguf [threads]

bench/run installs llama-cpp-python into a private venv (it compiles llama.cpp);
CI never runs this.
"""
import resource
import sys
import time

import llama_cpp


def main() -> None:
    path = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    n_prompt = 300
    t = time.perf_counter()
    llm = llama_cpp.Llama(
        model_path=path, n_ctx=1024, n_batch=512, n_threads=threads,
        n_threads_batch=threads, verbose=False,
    )
    load = time.perf_counter() - t
    prompt = [100 + (i * 37) % 5000 for i in range(n_prompt)]
    t = time.perf_counter()
    llm.eval(prompt)
    prompt_s = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(64):
        tok = llm.sample(temp=0.0)
        llm.eval([tok])
    gen_s = time.perf_counter() - t
    # Peak RSS of this Python process: llama.cpp plus the interpreter and numpy.
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"llama.cpp {llama_cpp.__version__} {path} threads={threads} load {load:.2f}s "
          f"prompt {n_prompt / prompt_s:.1f} tok/s generate {64 / gen_s:.1f} tok/s "
          f"peak RSS {rss_mb:.0f} MB (with Python)")


if __name__ == "__main__":
    main()
