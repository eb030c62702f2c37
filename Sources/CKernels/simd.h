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

// a·b + c rounded once, on every path: the FMA instruction on AVX2 and AVX-512; on the
// baseline (no FMA on x86-64's SSE2) one call to libm's fma per lane, correctly rounded too.
ALWAYS_INLINE vec_t vec_fma(vec_t a, vec_t b, vec_t c) { return __builtin_elementwise_fma(a, b, c); }

// One step of a polynomial in Horner form: p·x + c, fused.
ALWAYS_INLINE vec_t horner(vec_t p, vec_t x, SCALAR c) { return vec_fma(p, x, vec_splat(c)); }

// mask lanes are all ones or all zeros, as vector comparisons return them.
ALWAYS_INLINE vec_t vec_select(ivec_t mask, vec_t if_true, vec_t if_false) {
    return (vec_t)((mask & (ivec_t)if_true) | (~mask & (ivec_t)if_false));
}

#endif
