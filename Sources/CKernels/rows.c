// rows.c — the element-wise loops of a backward time step and of the gradient norms, for one
// row of H values at a time (rows_template.h, once for float and once for double). They are
// short (H is often 64–512) and run every step, so each is compiled for AVX-512, AVX2 and the
// baseline and chosen at load time (target_clones).
//
// Floating-point contraction stays off: a row's numbers are the same whichever version runs.
// Maxima compare the magnitudes' bit patterns as integers, which orders non-NaN values as
// their magnitudes do and vectorizes without fast-math; a NaN has a larger pattern than ∞.

#include <stdint.h>
#include <string.h>

#include "vanish_kernels.h"

#pragma clang fp contract(off)

#if defined(__x86_64__)
#define CLONED __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONED
#endif

#define SCALAR float
#define BITS uint32_t
#define ABS_MASK 0x7fffffffu
#define INFINITY_BITS 0x7f800000u
#define ROW(name) vanish_s##name
#include "rows_template.h"
#undef SCALAR
#undef BITS
#undef ABS_MASK
#undef INFINITY_BITS
#undef ROW

#define SCALAR double
#define BITS uint64_t
#define ABS_MASK 0x7fffffffffffffffull
#define INFINITY_BITS 0x7ff0000000000000ull
#define ROW(name) vanish_d##name
#include "rows_template.h"
