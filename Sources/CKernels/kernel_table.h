// kernel_table.h — the kernels of one instruction set, as a table of function pointers.
//
// Each instruction set's translation units (float_avx512.c, double_avx2.c, ...) fill one
// table; dispatch.c picks the table for the running CPU and forwards the public API to it.
#ifndef VANISH_KERNEL_TABLE_H
#define VANISH_KERNEL_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct vanish_float_kernels {
    size_t (*packed_count)(int k, int n);
    void (*pack)(bool trans_b, int k, int n, const float *b, int ldb, float *packed);
    void (*gemm)(bool trans_a, bool trans_b, int m, int n, int k, float alpha,
                 const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
    void (*gemm_packed)(bool trans_a, int m, int n, int k, float alpha, const float *a, int lda,
                        const float *packed, float beta, float *c, int ldc);
    void (*tanh)(float *x, size_t n);
};

struct vanish_double_kernels {
    size_t (*packed_count)(int k, int n);
    void (*pack)(bool trans_b, int k, int n, const double *b, int ldb, double *packed);
    void (*gemm)(bool trans_a, bool trans_b, int m, int n, int k, double alpha,
                 const double *a, int lda, const double *b, int ldb, double beta, double *c, int ldc);
    void (*gemm_packed)(bool trans_a, int m, int n, int k, double alpha, const double *a, int lda,
                        const double *packed, double beta, double *c, int ldc);
    void (*tanh)(double *x, size_t n);
};

#if defined(__x86_64__)
// The instruction sets the x86 tables are compiled for; dispatch.c checks the same features.
#define VANISH_AVX512_TARGET "avx512f,avx512vl,avx512bw,avx512dq,avx2,fma"
#define VANISH_AVX2_TARGET "avx2,fma"

extern const struct vanish_float_kernels vanish_float_kernels_avx512;
extern const struct vanish_double_kernels vanish_double_kernels_avx512;
extern const struct vanish_float_kernels vanish_float_kernels_avx2;
extern const struct vanish_double_kernels vanish_double_kernels_avx2;
#endif
extern const struct vanish_float_kernels vanish_float_kernels_baseline;
extern const struct vanish_double_kernels vanish_double_kernels_baseline;

#endif
