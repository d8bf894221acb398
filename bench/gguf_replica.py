#!/usr/bin/env python3
"""A GGUF with a real model's header and random weights of the same formats.

For timing an engine on a machine the real file cannot reach (the GPU machine has no
package registry, and a call carries at most 64 MiB): the header (architecture,
tokenizer, chat template, every tensor's name, shape and quantisation) is the real
model's, so the engine loads and runs it exactly as the real one, at the same cost;
the weights are random blocks with finite scales, so the text it writes is noise.
Figures measured on a replica are speed figures only, never quality.

  gguf_replica.py skeleton MODEL.gguf OUT.skel   # the header alone (a few MB)
  gguf_replica.py fill OUT.skel OUT.gguf         # header + random weights

MODEL.gguf may be the first part of a split file: only the header is read.
Needs numpy only.
"""
import struct
import sys

import numpy as np

# ggml type: (elements per block, bytes per block, offsets of f16 scales in a block)
TYPES = {
    0: (1, 4, None),  # F32
    1: (1, 2, None),  # F16
    2: (32, 18, [0]),  # Q4_0: d, qs[16]
    3: (32, 20, [0, 2]),  # Q4_1: d, m, qs[16]
    6: (32, 22, [0]),  # Q5_0: d, qh[4], qs[16]
    7: (32, 24, [0, 2]),  # Q5_1: d, m, qh[4], qs[16]
    8: (32, 34, [0]),  # Q8_0: d, qs[32]
    10: (256, 84, [80, 82]),  # Q2_K: scales[16], qs[64], d, dmin
    11: (256, 110, [108]),  # Q3_K: hmask[32], qs[64], scales[12], d
    12: (256, 144, [0, 2]),  # Q4_K: d, dmin, scales[12], qs[128]
    13: (256, 176, [0, 2]),  # Q5_K: d, dmin, scales[12], qh[32], qs[128]
    14: (256, 210, [208]),  # Q6_K: ql[128], qh[64], scales[16], d
    30: (1, 2, None),  # BF16
}
# Scales small enough that activations stay finite through every layer.
SCALE = {2: 0.004, 3: 0.004, 6: 0.002, 7: 0.002, 8: 0.0005, 10: 0.002,
         11: 0.002, 12: 0.0005, 13: 0.0003, 14: 0.0001}
# REPLICA_SCALE multiplies them all: a replica whose activations run as low as the
# real model's, to tell a device's overflow from a wrong result.
_FACTOR = float(__import__("os").environ.get("REPLICA_SCALE", "1"))
SCALE = {t: v * _FACTOR for t, v in SCALE.items()}


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        v = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return v[0] if len(v) == 1 else v

    def string(self):
        n = self.take("Q")
        s = self.data[self.pos:self.pos + n].decode("utf-8", "replace")
        self.pos += n
        return s

    def value(self, t):
        scalar = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?",
                  10: "Q", 11: "q", 12: "d"}
        if t in scalar:
            return self.take(scalar[t])
        if t == 8:
            return self.string()
        if t == 9:
            inner, n = self.take("I"), self.take("Q")
            if inner in scalar:  # skip a numeric array without building it
                self.pos += n * struct.calcsize("<" + scalar[inner])
                return None
            return [self.value(inner) for _ in range(n)]
        raise ValueError(f"unknown metadata type {t}")


def parse(data):
    """(tensors [(name, dims, type, offset)], alignment, data start)."""
    r = Reader(data)
    if r.take("4s") != b"GGUF":
        raise SystemExit("not a GGUF file")
    version, n_tensors, n_kv = r.take("I"), r.take("Q"), r.take("Q")
    if version < 2:
        raise SystemExit(f"GGUF version {version} is not supported")
    alignment = 32
    for _ in range(n_kv):
        key = r.string()
        v = r.value(r.take("I"))
        if key == "general.alignment":
            alignment = v
    tensors = []
    for _ in range(n_tensors):
        name = r.string()
        dims = [r.take("Q") for _ in range(r.take("I"))]
        tensors.append((name, dims, r.take("I"), r.take("Q")))
    start = (r.pos + alignment - 1) // alignment * alignment
    return tensors, alignment, start


def size_of(dims, t):
    if t not in TYPES:
        raise SystemExit(f"ggml type {t} is not supported here")
    per, nbytes, _ = TYPES[t]
    n = int(np.prod(dims))
    return n // per * nbytes


def skeleton(model, out):
    with open(model, "rb") as f:
        head = f.read(64 << 20)
    tensors, _, start = parse(head)
    with open(out, "wb") as f:
        f.write(head[:start])
    total = max(off + size_of(d, t) for _, d, t, off in tensors)
    print(f"{out}: header {start} B, {len(tensors)} tensors, {total} B of weights")


def fill(skel, out):
    with open(skel, "rb") as f:
        head = f.read()
    tensors, alignment, start = parse(head)
    rng = np.random.default_rng(0)
    with open(out, "wb") as f:
        f.write(head[:start])
        for name, dims, t, off in sorted(tensors, key=lambda x: x[3]):
            f.seek(start + off)
            n = int(np.prod(dims))
            per, nbytes, scales = TYPES[t]
            if t == 0:
                w = rng.normal(0, 0.02, n).astype("<f4")
                if "norm" in name:
                    w += 1.0
                f.write(w.tobytes())
            elif t in (1, 30):
                w = rng.normal(0, 0.02, n).astype("<f4")
                if t == 1:
                    f.write(w.astype("<f2").tobytes())
                else:
                    f.write((w.view("<u4") >> 16).astype("<u2").tobytes())
            else:
                blocks = np.frombuffer(rng.bytes(n // per * nbytes), np.uint8)
                blocks = blocks.reshape(-1, nbytes).copy()
                d = np.frombuffer(np.float16(SCALE[t]).tobytes(), np.uint8)
                for at in scales:
                    blocks[:, at:at + 2] = d
                f.write(blocks.tobytes())
        end = max(start + off + size_of(d, t) for _, d, t, off in tensors)
        f.truncate(end)
    print(f"{out}: {end} B, {len(tensors)} tensors of random weights")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("skeleton", "fill"):
        raise SystemExit(__doc__)
    {"skeleton": skeleton, "fill": fill}[sys.argv[1]](sys.argv[2], sys.argv[3])
