#include <cblas.h>

// LAPACK routines exported by libopenblas (Debian builds it with LAPACK), for the tests and
// vanish-bench, which compare vanish's own spectra with them.
// Declared here because the LAPACKE headers belong to another package.
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a,
            const int *lda, double *wr, double *wi, double *vl, const int *ldvl,
            double *vr, const int *ldvr, double *work, const int *lwork, int *info);
void dgesvd_(const char *jobu, const char *jobvt, const int *m, const int *n,
             double *a, const int *lda, double *s, double *u, const int *ldu,
             double *vt, const int *ldvt, double *work, const int *lwork, int *info);
