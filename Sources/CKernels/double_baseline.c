// double_baseline.c — the double kernels compiled for any CPU (SSE2 on x86-64, NEON on arm64), the fallback.

#include "kernel_prelude.h"

#define SCALAR double
#define SCALAR_INT int64_t
#define VEC_BYTES 16
#define MR 4
#define NR_VECS 2
#define MC 128
#define NC 512

#include "simd.h"
#include "gemm_template.h"
#include "tanh_double.h"
#include "tanh_loop.h"
#include "gates_template.h"
#include "rows_template.h"

const struct vanish_double_kernels vanish_double_kernels_baseline = {
    packed_count, pack, gemm, gemm_packed, gemm_bias, tanh_in_place, lstm_forward, lstm_backward, gru_forward, gru_backward,
    max_magnitude, sum_squares, add, tanh_backward, relu_backward,
};
