// double_avx2.c — the double kernels compiled for CPUs with AVX2 and FMA (x86-64-v3).

#if defined(__x86_64__)

#include "kernel_prelude.h"

#define SCALAR double
#define SCALAR_INT int64_t
#define VEC_BYTES 32
#define MR 6
#define NR_VECS 2
#define MC 192
#define NC 512

#pragma clang attribute push(__attribute__((target(VANISH_AVX2_TARGET))), apply_to = function)
#include "simd.h"
#include "gemm_template.h"
#include "tanh_double.h"
#include "tanh_loop.h"
#include "gates_template.h"
#include "rows_template.h"
#pragma clang attribute pop

const struct vanish_double_kernels vanish_double_kernels_avx2 = {
    packed_count, pack, gemm, gemm_packed, gemm_bias, tanh_in_place, lstm_forward, lstm_backward, gru_forward, gru_backward,
    max_magnitude, sum_squares, add, tanh_backward, relu_backward,
};

#endif
