// dispatch.c — the public API: picks the kernels of the running CPU on first use and
// forwards every call to them.

#include <stdatomic.h>

#include "kernel_table.h"
#include "vanish_kernels.h"

// The widest instruction set this CPU supports (and this build was compiled for).
static enum vanish_instruction_set detect(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq"))
        return vanish_avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return vanish_avx2;
#endif
    return vanish_baseline;
}

// Detection is idempotent, so two threads racing on the first call store the same value.
static enum vanish_instruction_set widest(void) {
    static _Atomic int chosen = -1;
    int isa = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (isa < 0) {
        isa = (int)detect();
        atomic_store_explicit(&chosen, isa, memory_order_relaxed);
    }
    return (enum vanish_instruction_set)isa;
}

enum vanish_instruction_set vanish_instruction_set_in_use(void) { return widest(); }

const struct vanish_float_kernels *vanish_float_kernels_for(enum vanish_instruction_set isa) {
    if (isa > widest()) return NULL;
    switch (isa) {
#if defined(__x86_64__)
    case vanish_avx512: return &vanish_float_kernels_avx512;
    case vanish_avx2: return &vanish_float_kernels_avx2;
#endif
    case vanish_baseline: return &vanish_float_kernels_baseline;
    default: return NULL;
    }
}

const struct vanish_double_kernels *vanish_double_kernels_for(enum vanish_instruction_set isa) {
    if (isa > widest()) return NULL;
    switch (isa) {
#if defined(__x86_64__)
    case vanish_avx512: return &vanish_double_kernels_avx512;
    case vanish_avx2: return &vanish_double_kernels_avx2;
#endif
    case vanish_baseline: return &vanish_double_kernels_baseline;
    default: return NULL;
    }
}

static const struct vanish_float_kernels *float_kernels(void) { return vanish_float_kernels_for(widest()); }

static const struct vanish_double_kernels *double_kernels(void) { return vanish_double_kernels_for(widest()); }

void vanish_sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                  const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    float_kernels()->gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

size_t vanish_sgemm_packed_count(int k, int n) { return float_kernels()->packed_count(k, n); }

void vanish_sgemm_pack(bool transB, int k, int n, const float *b, int ldb, float *packed) {
    float_kernels()->pack(transB, k, n, b, ldb, packed);
}

void vanish_sgemm_packed(bool transA, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *packed, float beta, float *c, int ldc) {
    float_kernels()->gemm_packed(transA, m, n, k, alpha, a, lda, packed, beta, c, ldc);
}

void vanish_dgemm(bool transA, bool transB, int m, int n, int k, double alpha,
                  const double *a, int lda, const double *b, int ldb, double beta, double *c, int ldc) {
    double_kernels()->gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

size_t vanish_dgemm_packed_count(int k, int n) { return double_kernels()->packed_count(k, n); }

void vanish_dgemm_pack(bool transB, int k, int n, const double *b, int ldb, double *packed) {
    double_kernels()->pack(transB, k, n, b, ldb, packed);
}

void vanish_dgemm_packed(bool transA, int m, int n, int k, double alpha, const double *a, int lda,
                         const double *packed, double beta, double *c, int ldc) {
    double_kernels()->gemm_packed(transA, m, n, k, alpha, a, lda, packed, beta, c, ldc);
}

void vanish_tanhf(float *x, size_t n) { float_kernels()->tanh(x, n); }

void vanish_tanh(double *x, size_t n) { double_kernels()->tanh(x, n); }

void vanish_slstm_forward(float *gates, const float *before, float *cell, float *output, size_t h) {
    float_kernels()->lstm_forward(gates, before, cell, output, h);
}

void vanish_dlstm_forward(double *gates, const double *before, double *cell, double *output, size_t h) {
    double_kernels()->lstm_forward(gates, before, cell, output, h);
}

void vanish_slstm_backward(const float *gates, const float *before, const float *cell, const float *dm,
                           float *dc, float *dc_next, float *dz, size_t h) {
    float_kernels()->lstm_backward(gates, before, cell, dm, dc, dc_next, dz, h);
}

void vanish_dlstm_backward(const double *gates, const double *before, const double *cell, const double *dm,
                           double *dc, double *dc_next, double *dz, size_t h) {
    double_kernels()->lstm_backward(gates, before, cell, dm, dc, dc_next, dz, h);
}

void vanish_sgru_forward(float *gates, const float *products, const float *bias, const float *before,
                         float *state, size_t h) {
    float_kernels()->gru_forward(gates, products, bias, before, state, h);
}

void vanish_dgru_forward(double *gates, const double *products, const double *bias, const double *before,
                         double *state, size_t h) {
    double_kernels()->gru_forward(gates, products, bias, before, state, h);
}

void vanish_sgru_backward(const float *gates, const float *before, const float *dh, float *dh_next, float *dz,
                          size_t h) {
    float_kernels()->gru_backward(gates, before, dh, dh_next, dz, h);
}

void vanish_dgru_backward(const double *gates, const double *before, const double *dh, double *dh_next,
                          double *dz, size_t h) {
    double_kernels()->gru_backward(gates, before, dh, dh_next, dz, h);
}
