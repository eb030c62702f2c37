// float_baseline.c — the float kernels compiled for any CPU (SSE2 on x86-64, NEON on arm64), the fallback.

#include "kernel_prelude.h"

#define SCALAR float
#define SCALAR_INT int32_t
#define VEC_BYTES 16
#define MR 4
#define NR_VECS 2
#define MC 128
#define NC 1024
#if defined(__x86_64__)
#define FLOAT_FMA_IN_DOUBLE  // SSE2 has no FMA instruction (simd.h)
#endif

#include "simd.h"
#include "gemm_template.h"
#include "tanh_float.h"
#include "tanh_loop.h"
#include "gates_template.h"
#include "rows_template.h"

const struct vanish_float_kernels vanish_float_kernels_baseline = {
    packed_count, pack, gemm, gemm_packed, gemm_bias, tanh_in_place, lstm_forward, lstm_backward, gru_forward, gru_backward,
    max_magnitude, sum_squares, add, tanh_backward, relu_backward,
};
