// vanish_kernels.h — single-threaded GEMM and tanh kernels for the RNN engine.
//
// Row-major, with BLAS semantics. Every function picks the widest instruction set the CPU
// supports (AVX-512, AVX2+FMA, or a portable baseline), or the one VANISH_KERNELS names, the
// first time it is called. Every instruction set computes every result in the same order with
// the same fused multiply-adds: all of them give the same bits.
#ifndef VANISH_KERNELS_H
#define VANISH_KERNELS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The depth of the products' blocks of k, the same on every instruction set: a product adds
   its sum over each block of this many steps of k to C in turn, so products over consecutive
   slabs of k that start on these boundaries, run in order, give the bits of one product. */
#define VANISH_GEMM_DEPTH_BLOCK 256

/* C (m×n) = alpha·op(A)·op(B) + beta·C, row-major; op(X) = Xᵀ when trans.
   op(A) is m×k, op(B) is k×n. beta == 0: C is not read (NaN/garbage in C does not
   propagate). alpha == 0: A and B are not read. m, n, k may be 0 (k == 0: C = beta·C). */
void vanish_sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                  const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

/* B packed once and reused across many products with the same B (the recurrent weight,
   used at every time step).
   vanish_sgemm_packed_count: how many floats the packed form of a k×n op(B) needs.
   vanish_sgemm_pack: writes op(B) (k×n; B itself is n×k when transB) into `packed`.
   vanish_sgemm_packed: vanish_sgemm with op(B) given in packed form; same results, bit for
   bit, as vanish_sgemm on the unpacked B.
   `packed` needs no particular alignment (64-byte alignment is slightly faster). Its layout
   depends on the instruction set chosen at run time: use it only in the process that
   packed it. */
size_t vanish_sgemm_packed_count(int k, int n);
void vanish_sgemm_pack(bool transB, int k, int n, const float *b, int ldb, float *packed);
void vanish_sgemm_packed(bool transA, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *packed, float beta, float *c, int ldc);

/* C (m×n) = op(A)·op(B) + 1·biasᵀ: bias (n values) added to every row, the same bits as
   vanish_sgemm with alpha = 1, beta = 0 followed by adding the bias row (the input
   projections of every time step at once, with b_ih + b_hh). */
void vanish_sgemm_bias(bool transA, bool transB, int m, int n, int k, const float *a, int lda,
                       const float *b, int ldb, const float *bias, float *c, int ldc);

/* The same for double. */
void vanish_dgemm(bool transA, bool transB, int m, int n, int k, double alpha,
                  const double *a, int lda, const double *b, int ldb, double beta, double *c, int ldc);
size_t vanish_dgemm_packed_count(int k, int n);
void vanish_dgemm_pack(bool transB, int k, int n, const double *b, int ldb, double *packed);
void vanish_dgemm_packed(bool transA, int m, int n, int k, double alpha, const double *a, int lda,
                         const double *packed, double beta, double *c, int ldc);
void vanish_dgemm_bias(bool transA, bool transB, int m, int n, int k, const double *a, int lda,
                       const double *b, int ldb, const double *bias, double *c, int ldc);

/* In place tanh of n values, within a few ulp of libm: tanh(±0) = ±0, tanh(±inf) = ±1,
   NaN stays NaN, and |x| large enough that tanh rounds to ±1 gives exactly ±1. */
void vanish_tanhf(float *x, size_t n);
void vanish_tanh(double *x, size_t n);

/* One sample's row of H units of an LSTM or GRU time step, all its element-wise work in one
   pass (gates_template.h has each formula), s for float and d for double:
   lstm_forward: gates (4·H pre-activations of i, f, g, o) → activations in place;
     cell = f ⊙ before + i ⊙ g; output = tanh(cell) ⊙ o.
   lstm_backward: dc = dc_next + dm ⊙ o ⊙ (1 − tanh²(cell)); dz (4·H) the gates'
     pre-activation gradients; dc_next = dc ⊙ f (in place).
   gru_forward: gates (4·H; p_r, p_z, p_n on entry) + products (h W_hhᵀ, 3·H) → r, z, n and
     W_hn h + b_hn (bias b_hn, or NULL for none); state = (1 − z) ⊙ n + z ⊙ before.
   gru_backward: dz (4·H: the hidden side's r, z, n, then the input side's n) and
     dh_next = dh ⊙ z. */
void vanish_slstm_forward(float *gates, const float *before, float *cell, float *output, size_t h);
void vanish_dlstm_forward(double *gates, const double *before, double *cell, double *output, size_t h);
void vanish_slstm_backward(const float *gates, const float *before, const float *cell, const float *dm,
                           float *dc, float *dc_next, float *dz, size_t h);
void vanish_dlstm_backward(const double *gates, const double *before, const double *cell,
                           const double *dm, double *dc, double *dc_next, double *dz, size_t h);
void vanish_sgru_forward(float *gates, const float *products, const float *bias, const float *before,
                         float *state, size_t h);
void vanish_dgru_forward(double *gates, const double *products, const double *bias, const double *before,
                         double *state, size_t h);
void vanish_sgru_backward(const float *gates, const float *before, const float *dh, float *dh_next, float *dz,
                          size_t h);
void vanish_dgru_backward(const double *gates, const double *before, const double *dh, double *dh_next,
                          double *dz, size_t h);

/* One row of a backward time step (rows_template.h), s for float and d for double:
   max_magnitude: the largest |x| (NaN if any x is NaN), as a double.
   sum_squares: Σ (x·scale)², formed and summed in double (in one fixed association).
   add: sum = a + b, returning the largest |sum| as max_magnitude does (sum may be a or b).
   tanh_backward: dz = dh ⊙ (1 − h²); relu_backward: dz = dh where h > 0, else 0. */
double vanish_smax_magnitude(const float *x, size_t n);
double vanish_dmax_magnitude(const double *x, size_t n);
double vanish_ssum_squares(const float *x, size_t n, double scale);
double vanish_dsum_squares(const double *x, size_t n, double scale);
double vanish_sadd(float *sum, const float *a, const float *b, size_t n);
double vanish_dadd(double *sum, const double *a, const double *b, size_t n);
void vanish_stanh_backward(float *dz, const float *dh, const float *h, size_t n);
void vanish_dtanh_backward(double *dz, const double *dh, const double *h, size_t n);
void vanish_srelu_backward(float *dz, const float *dh, const float *h, size_t n);
void vanish_drelu_backward(double *dz, const double *dh, const double *h, size_t n);

// Flush-to-zero for the backward pass: gradients that decay below the smallest normal number
// would otherwise run through every later product as subnormals, which x86 processes tens of
// times slower. Results that small are flushed to 0; inputs are read as they are (no DAZ).
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
static inline unsigned int vanish_enable_flush_to_zero(void) {
    unsigned int mode = _mm_getcsr();
    _mm_setcsr(mode | 0x8000);
    return mode;
}
static inline void vanish_restore_floating_point_mode(unsigned int mode) { _mm_setcsr(mode); }
#else
static inline unsigned int vanish_enable_flush_to_zero(void) { return 0; }
static inline void vanish_restore_floating_point_mode(unsigned int mode) { (void)mode; }
#endif

/* Each instruction set's kernels, for tests and benchmarks that compare them; the functions
   above use the one vanish_instruction_set_in_use names. vanish_*_kernels_for returns NULL when
   the CPU, or the architecture this was built for, lacks the instruction set. A packed B is valid only with
   the kernels that packed it (the panel width differs between instruction sets). */
enum vanish_instruction_set { vanish_baseline, vanish_avx2, vanish_avx512 };

struct vanish_float_kernels {
    size_t (*packed_count)(int k, int n);
    void (*pack)(bool transB, int k, int n, const float *b, int ldb, float *packed);
    void (*gemm)(bool transA, bool transB, int m, int n, int k, float alpha,
                 const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
    void (*gemm_packed)(bool transA, int m, int n, int k, float alpha, const float *a, int lda,
                        const float *packed, float beta, float *c, int ldc);
    void (*gemm_bias)(bool transA, bool transB, int m, int n, int k, const float *a, int lda,
                      const float *b, int ldb, const float *bias, float *c, int ldc);
    void (*tanh)(float *x, size_t n);
    void (*lstm_forward)(float *gates, const float *before, float *cell, float *output, size_t h);
    void (*lstm_backward)(const float *gates, const float *before, const float *cell, const float *dm,
                          float *dc, float *dc_next, float *dz, size_t h);
    void (*gru_forward)(float *gates, const float *products, const float *bias, const float *before,
                        float *state, size_t h);
    void (*gru_backward)(const float *gates, const float *before, const float *dh, float *dh_next, float *dz,
                         size_t h);
    double (*max_magnitude)(const float *x, size_t n);
    double (*sum_squares)(const float *x, size_t n, double scale);
    double (*add)(float *sum, const float *a, const float *b, size_t n);
    void (*tanh_backward)(float *dz, const float *dh, const float *h, size_t n);
    void (*relu_backward)(float *dz, const float *dh, const float *h, size_t n);
};

struct vanish_double_kernels {
    size_t (*packed_count)(int k, int n);
    void (*pack)(bool transB, int k, int n, const double *b, int ldb, double *packed);
    void (*gemm)(bool transA, bool transB, int m, int n, int k, double alpha,
                 const double *a, int lda, const double *b, int ldb, double beta, double *c, int ldc);
    void (*gemm_packed)(bool transA, int m, int n, int k, double alpha, const double *a, int lda,
                        const double *packed, double beta, double *c, int ldc);
    void (*gemm_bias)(bool transA, bool transB, int m, int n, int k, const double *a, int lda,
                      const double *b, int ldb, const double *bias, double *c, int ldc);
    void (*tanh)(double *x, size_t n);
    void (*lstm_forward)(double *gates, const double *before, double *cell, double *output, size_t h);
    void (*lstm_backward)(const double *gates, const double *before, const double *cell, const double *dm,
                          double *dc, double *dc_next, double *dz, size_t h);
    void (*gru_forward)(double *gates, const double *products, const double *bias, const double *before,
                        double *state, size_t h);
    void (*gru_backward)(const double *gates, const double *before, const double *dh, double *dh_next, double *dz,
                         size_t h);
    double (*max_magnitude)(const double *x, size_t n);
    double (*sum_squares)(const double *x, size_t n, double scale);
    double (*add)(double *sum, const double *a, const double *b, size_t n);
    void (*tanh_backward)(double *dz, const double *dh, const double *h, size_t n);
    void (*relu_backward)(double *dz, const double *dh, const double *h, size_t n);
};

const struct vanish_float_kernels *vanish_float_kernels_for(enum vanish_instruction_set isa);
const struct vanish_double_kernels *vanish_double_kernels_for(enum vanish_instruction_set isa);

/* The instruction set the functions above run on: the one VANISH_KERNELS names (avx512, avx2
   or baseline), or the widest this CPU supports when it is unset or empty. */
enum vanish_instruction_set vanish_instruction_set_in_use(void);

/* The widest instruction set this CPU supports (and this build was compiled for). */
enum vanish_instruction_set vanish_instruction_set_widest(void);

/* Whether VANISH_KERNELS (read once, on first use) can be honoured. When it cannot, the
   functions above run on the widest instruction set: a program that takes VANISH_KERNELS from
   its user checks this first and stops (the vanish CLI does). vanish_kernels_request returns
   the variable's value as read, or NULL when it was unset or empty. */
enum vanish_kernels_request_status { vanish_request_ok, vanish_request_unknown, vanish_request_unsupported };
enum vanish_kernels_request_status vanish_kernels_request_status(void);
const char *vanish_kernels_request(void);

#ifdef __cplusplus
}
#endif

#endif
