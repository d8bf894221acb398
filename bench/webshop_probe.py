#!/usr/bin/env python3
"""A first look at WebShop through POST /v1/assist (issue #10), until `shopassist eval
webshop` with the published reward exists.

Starts the release binary on the WebShop 1k catalogue (rules only: no model), sends
N random synthetic development goals (one fresh session each) and reports how often
the goal product is first / in the top five, and how often the first product's
chosen variant has the goal's size and colour.

    cargo build --release && python3 bench/webshop_probe.py [N=200] [seed=1]
"""
import json
import random
import subprocess
import sys
import tempfile
import time
import urllib.request

DATA = "../shared/data/webshop"
PORT = 18099


def post(text):
    req = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/v1/assist",
        data=json.dumps({"text": text}).encode(),
        headers={"content-type": "application/json"},
    )
    return json.load(urllib.request.urlopen(req))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    data_dir = tempfile.mkdtemp(prefix="webshop-probe-")
    daemon = subprocess.Popen(
        ["target/release/shopassist", "serve", "--model", "/nonexistent.gguf",
         "--data-dir", data_dir, "--bind", f"127.0.0.1:{PORT}",
         "--catalog", f"{DATA}/products_1k_processed.json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                post("hello")
                break
            except Exception:
                time.sleep(0.1)
        goals = json.load(open(f"{DATA}/goals_1k_synthetic.dev.json"))
        random.seed(seed)
        sample = random.sample(goals, n)
        top1 = top5 = options = 0
        for g in sample:
            r = post(g["instruction_text"])
            ids = [p["id"] for p in r["products"]]
            top5 += g["asin"] in ids
            if ids[:1] == [g["asin"]]:
                top1 += 1
                v = r["products"][0]["variant"]
                have = [str(v.get("size") or "").lower(), str(v.get("color") or "").lower()]
                want = [str(val).lower() for k, val in g["goal_options"].items() if k in ("size", "color")]
                options += all(w in have for w in want)
        print(f"{n} synthetic goals (seed {seed}): goal product first {top1} ({top1 / n:.1%}), "
              f"in top 5 {top5} ({top5 / n:.1%}); first with the goal's size/colour: {options} of {top1}")
    finally:
        daemon.terminate()
        daemon.wait()


if __name__ == "__main__":
    main()
