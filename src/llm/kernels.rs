//! Our own quantized row kernels (Q4_K, Q6_K, Q8_0 and Q5_0 with AVX-512 VNNI or
//! AVX2). They live in the `shopassist-kernels` crate (`kernels/`), which is built
//! optimised in every profile: at `opt-level = 0` their intrinsics are function calls,
//! and a debug or test run with the default model spent its time in them.

pub use shopassist_kernels::rows::*;
