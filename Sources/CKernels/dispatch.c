// dispatch.c — the public API: picks the kernels on first use, those of the instruction set
// VANISH_KERNELS names or else the widest the CPU supports, and forwards every call to them.
// Every instruction set gives the same bits, so the choice changes only the speed; forcing one
// is how that claim is checked (and how a run on a narrower machine is replayed here).

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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

static pthread_once_t chosen_once = PTHREAD_ONCE_INIT;
static enum vanish_instruction_set widest_set, set_in_use;
static enum vanish_kernels_request_status request_status;
static const char *request;  // NULL when VANISH_KERNELS is unset or empty

// Reads the CPU and VANISH_KERNELS once; an invalid request leaves the widest in use and is
// reported by vanish_kernels_request_status, never by a crash.
static void choose(void) {
    widest_set = set_in_use = detect();
    request_status = vanish_request_ok;
    const char *value = getenv("VANISH_KERNELS");
    if (!value || !*value) return;
    request = strdup(value);
    static const struct { const char *name; enum vanish_instruction_set set; } names[] = {
        {"avx512", vanish_avx512}, {"avx2", vanish_avx2}, {"baseline", vanish_baseline},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(value, names[i].name) != 0) continue;
        if (names[i].set > widest_set) request_status = vanish_request_unsupported;
        else set_in_use = names[i].set;
        return;
    }
    request_status = vanish_request_unknown;
}

static enum vanish_instruction_set in_use(void) {
    pthread_once(&chosen_once, choose);
    return set_in_use;
}

enum vanish_instruction_set vanish_instruction_set_in_use(void) { return in_use(); }

enum vanish_instruction_set vanish_instruction_set_widest(void) {
    pthread_once(&chosen_once, choose);
    return widest_set;
}

enum vanish_kernels_request_status vanish_kernels_request_status(void) {
    pthread_once(&chosen_once, choose);
    return request_status;
}

const char *vanish_kernels_request(void) {
    pthread_once(&chosen_once, choose);
    return request;
}

const struct vanish_float_kernels *vanish_float_kernels_for(enum vanish_instruction_set isa) {
    if (isa > vanish_instruction_set_widest()) return NULL;
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
    if (isa > vanish_instruction_set_widest()) return NULL;
    switch (isa) {
#if defined(__x86_64__)
    case vanish_avx512: return &vanish_double_kernels_avx512;
    case vanish_avx2: return &vanish_double_kernels_avx2;
#endif
    case vanish_baseline: return &vanish_double_kernels_baseline;
    default: return NULL;
    }
}

static const struct vanish_float_kernels *float_kernels(void) { return vanish_float_kernels_for(in_use()); }

static const struct vanish_double_kernels *double_kernels(void) { return vanish_double_kernels_for(in_use()); }

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

void vanish_sgemm_bias(bool transA, bool transB, int m, int n, int k, const float *a, int lda,
                       const float *b, int ldb, const float *bias, float *c, int ldc) {
    float_kernels()->gemm_bias(transA, transB, m, n, k, a, lda, b, ldb, bias, c, ldc);
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

void vanish_dgemm_bias(bool transA, bool transB, int m, int n, int k, const double *a, int lda,
                       const double *b, int ldb, const double *bias, double *c, int ldc) {
    double_kernels()->gemm_bias(transA, transB, m, n, k, a, lda, b, ldb, bias, c, ldc);
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

double vanish_smax_magnitude(const float *x, size_t n) { return float_kernels()->max_magnitude(x, n); }

double vanish_dmax_magnitude(const double *x, size_t n) { return double_kernels()->max_magnitude(x, n); }

double vanish_ssum_squares(const float *x, size_t n, double scale) { return float_kernels()->sum_squares(x, n, scale); }

double vanish_dsum_squares(const double *x, size_t n, double scale) {
    return double_kernels()->sum_squares(x, n, scale);
}

double vanish_sadd(float *sum, const float *a, const float *b, size_t n) { return float_kernels()->add(sum, a, b, n); }

double vanish_dadd(double *sum, const double *a, const double *b, size_t n) {
    return double_kernels()->add(sum, a, b, n);
}

void vanish_stanh_backward(float *dz, const float *dh, const float *h, size_t n) {
    float_kernels()->tanh_backward(dz, dh, h, n);
}

void vanish_dtanh_backward(double *dz, const double *dh, const double *h, size_t n) {
    double_kernels()->tanh_backward(dz, dh, h, n);
}

void vanish_srelu_backward(float *dz, const float *dh, const float *h, size_t n) {
    float_kernels()->relu_backward(dz, dh, h, n);
}

void vanish_drelu_backward(double *dz, const double *dh, const double *h, size_t n) {
    double_kernels()->relu_backward(dz, dh, h, n);
}
