#include <cblas.h>

// LAPACK routines exported by libopenblas (Debian builds it with LAPACK).
// Declared here because the LAPACKE headers belong to another package.
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a,
            const int *lda, double *wr, double *wi, double *vl, const int *ldvl,
            double *vr, const int *ldvr, double *work, const int *lwork, int *info);
void dgesvd_(const char *jobu, const char *jobvt, const int *m, const int *n,
             double *a, const int *lda, double *s, double *u, const int *ldu,
             double *vt, const int *ldvt, double *work, const int *lwork, int *info);
void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau,
             double *work, const int *lwork, int *info);

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
