#!/usr/bin/env bash
# Builds `shopassist` with `--features cuda` on a machine without a GPU or a CUDA
# install, for a GPU machine that has the driver and the CUDA 13 libraries (as
# PyTorch's wheels install them) but no Rust toolchain and no registry.
#
#   bench/build-cuda.sh OUT_DIR
#
# Leaves OUT_DIR/shopassist (stripped). Takes the compiler, headers and libraries from
# NVIDIA's PyPI wheels (CUDA 13.0, the newest a 580 driver runs) into a folder of its
# own; links against a stub libcuda.so.1 that names the driver API's functions (the
# real one comes with the driver where it runs). Kernels are built for compute
# capability 9.0 (Hopper; CUDA_COMPUTE_CAP overrides) and the CPU code for x86-64-v3
# (AVX2, FMA): `target-cpu=native` of the build machine can fault on another
# (Illegal instruction on the GPU machine's Xeon, seen 2026-12-04).
# bench/gpu.sh runs it there.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT_DIR="$(mkdir -p "$1" && cd "$1" && pwd)"
TOOLS="${CUDA_TOOLS:-$PWD/target/cuda-tools}"
CUDA="$TOOLS/cu13"

if [ ! -x "$CUDA/bin/nvcc" ]; then
  mkdir -p "$TOOLS/wheels"
  for spec in nvidia-cuda-nvcc==13.0.88 nvidia-cuda-runtime==13.0.96 nvidia-cuda-crt==13.0.88 \
      nvidia-nvvm==13.0.88 nvidia-cuda-nvrtc==13.0.88 nvidia-curand==10.4.0.35 \
      nvidia-cublas==13.0.2.14 nvidia-cuda-cccl==13.0.85; do
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
      --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
      --platform manylinux2014_x86_64 --platform manylinux2010_x86_64 \
      -d "$TOOLS/wheels" "$spec"
  done
  rm -rf "$TOOLS/x"
  for w in "$TOOLS"/wheels/*.whl; do unzip -o -q "$w" -d "$TOOLS/x"; done
  rm -rf "$CUDA"
  mv "$TOOLS/x/nvidia/cu13" "$CUDA"
  (cd "$CUDA/lib" && for l in libcublas libcublasLt libcudart libcurand libnvrtc; do
    ln -sf "$(ls $l.so.* | head -1)" "$l.so"
  done)
fi

# The driver API's functions, as cudarc declares them, in a stub to link against.
STUB="$TOOLS/stub"
if [ ! -e "$STUB/libcuda.so.1" ]; then
  mkdir -p "$STUB"
  sys=$(ls -d ~/.cargo/registry/src/*/cudarc-0.19.*/src/driver/sys/mod.rs | tail -1)
  grep -o "fn cu[A-Za-z0-9_]*(" "$sys" | sed 's/fn //; s/(//' | sort -u \
    | awk '{print "void " $1 "(void){}"}' > "$STUB/stub.c"
  cc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$STUB/libcuda.so" "$STUB/stub.c"
  ln -sf libcuda.so "$STUB/libcuda.so.1"
fi

export PATH="$CUDA/bin:$PATH" CUDA_HOME="$CUDA" CUDA_PATH="$CUDA"
export CUDA_COMPUTE_CAP="${CUDA_COMPUTE_CAP:-90}" LIBRARY_PATH="$CUDA/lib:$STUB"
export RUSTFLAGS="-C target-cpu=x86-64-v3" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/cuda}"
# The dev profile with our crate optimised too: dependencies already are, and a
# release build from scratch takes twice as long on two cores.
export CARGO_PROFILE_DEV_OPT_LEVEL=3
cargo build --locked --features cuda --bin shopassist
strip -o "$OUT_DIR/shopassist" "$CARGO_TARGET_DIR/debug/shopassist"
ls -l "$OUT_DIR/shopassist"
