#!/usr/bin/env bash
# The GPU check: `bench llm` on cuda:0 and on the CPU beside it, for replicas of the
# three models (bench/gguf_replica.py: the real header, random weights), with the
# GPU's output compared with the CPU's on the same file.
#
#   bench/gpu.sh BINARY SKELETON_DIR
#
# BINARY is `shopassist` built with `--features cuda` (BENCHMARKS.md, "GPU", says how
# it was built without a GPU and without a CUDA install); SKELETON_DIR holds
# smol.skel, q05.skel and q15.skel (`gguf_replica.py skeleton` of the test, small and
# default models). A real model file named SKELETON_DIR/NAME.gguf is benched as it is,
# in place of NAME's replica (real weights: its parity lines then speak for the real
# model). The CUDA libraries are found in the Python environment's NVIDIA
# wheels (as PyTorch installs them) when the system has none. Figures from replicas
# are speed figures; the parity lines say whether the GPU computes what the CPU does.
set -uo pipefail
BIN="$1"
SKEL="$2"
MODELS="${MODELS:-smol q05 q15}"
WORK="${TMPDIR:-/tmp}/shopassist-gpu"
mkdir -p "$WORK"

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
grep -m1 "model name" /proc/cpuinfo
echo "$(nproc) cores;" $(grep -m1 "^flags" /proc/cpuinfo | tr ' ' '\n' \
  | grep -E '^(avx2|fma|avx512f|avx512_vnni|avx_vnni|sse4a|sha_ni|vaes|movbe|bmi2)$')

echo "== CUDA libraries"
libs=$(python3 - <<'EOF'
import glob, os, site
dirs = set()
for sp in site.getsitepackages():
    for f in glob.glob(os.path.join(sp, "nvidia", "**", "lib*.so*"), recursive=True):
        dirs.add(os.path.dirname(f))
print(":".join(sorted(dirs)))
EOF
)
driver=/usr/local/nvidia/lib64:/usr/local/nvidia/lib
export LD_LIBRARY_PATH="${libs}:${driver}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if ldd "$BIN" | grep "not found"; then
  echo "looking further for the missing libraries"
  extra=$(find / -xdev \( -name 'libcuda.so.1' -o -name 'libcudart.so.13' -o -name 'libcublas.so.13' \
    -o -name 'libcurand.so.10' \) -printf '%h\n' 2>/dev/null | sort -u | paste -sd:)
  export LD_LIBRARY_PATH="$extra:$LD_LIBRARY_PATH"
fi
ldd "$BIN" | grep -E "not found|libcu" || true

echo "== replicas"
for m in $MODELS; do
  if [ -f "$SKEL/$m.gguf" ]; then
    echo "$m: the real file, $(sha256sum < "$SKEL/$m.gguf" | cut -c1-16)…"
    ln -sf "$(realpath "$SKEL/$m.gguf")" "$WORK/replica-$m.gguf"
  else
    # The default model's replica overflows on the GPU at its real scales (random
    # weights drive it about 5x higher than the real model): a quarter brings its
    # logits to the real models' span (BENCHMARKS.md, fourth session).
    scale="${REPLICA_SCALE:-}"
    [ -z "$scale" ] && { [ "$m" = q15 ] && scale=0.25 || scale=1; }
    REPLICA_SCALE="$scale" python3 bench/gguf_replica.py fill "$SKEL/$m.skel" "$WORK/replica-$m.gguf" || exit 1
  fi
done

for m in $MODELS; do
  for dev in cuda:0 cpu; do
    echo "== $m on $dev"
    threads=()
    [ "$dev" = cpu ] && threads=(--threads "$(nproc)")
    timeout 240 "$BIN" bench llm --model "$WORK/replica-$m.gguf" --device "$dev" "${threads[@]}" \
      || echo "FAILED: $m on $dev (exit $?)"
  done
done
nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv,noheader
