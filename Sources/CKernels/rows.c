// rows.c — the element-wise loops of a backward time step and of the gradient norms, for one
// row of H values at a time. They are short (H is often 64–512) and run every step, so each
// is compiled for AVX-512, AVX2 and the baseline and chosen at load time (target_clones).
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

static inline uint32_t magnitude_bits_f(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits & 0x7fffffffu;
}

static inline uint64_t magnitude_bits_d(double x) {
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits & 0x7fffffffffffffffull;
}

static double from_bits_f(uint32_t bits) {
    if (bits > 0x7f800000u) return __builtin_nan("");
    float x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

static double from_bits_d(uint64_t bits) {
    if (bits > 0x7ff0000000000000ull) return __builtin_nan("");
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

CLONED double vanish_smax_magnitude(const float *x, size_t n) {
    uint32_t largest = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t m = magnitude_bits_f(x[i]);
        largest = m > largest ? m : largest;
    }
    return from_bits_f(largest);
}

CLONED double vanish_dmax_magnitude(const double *x, size_t n) {
    uint64_t largest = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t m = magnitude_bits_d(x[i]);
        largest = m > largest ? m : largest;
    }
    return from_bits_d(largest);
}

// The sum may be taken in any order (reassociate): it only feeds norms, and the order is
// fixed for a given machine.
CLONED double vanish_ssum_squares(const float *x, size_t n, double scale) {
#pragma clang fp reassociate(on)
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double v = (double)x[i] * scale;
        sum += v * v;
    }
    return sum;
}

CLONED double vanish_dsum_squares(const double *x, size_t n, double scale) {
#pragma clang fp reassociate(on)
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i] * scale;
        sum += v * v;
    }
    return sum;
}

CLONED double vanish_sadd(float *sum, const float *a, const float *b, size_t n) {
    uint32_t largest = 0;
    for (size_t i = 0; i < n; i++) {
        sum[i] = a[i] + b[i];
        uint32_t m = magnitude_bits_f(sum[i]);
        largest = m > largest ? m : largest;
    }
    return from_bits_f(largest);
}

CLONED double vanish_dadd(double *sum, const double *a, const double *b, size_t n) {
    uint64_t largest = 0;
    for (size_t i = 0; i < n; i++) {
        sum[i] = a[i] + b[i];
        uint64_t m = magnitude_bits_d(sum[i]);
        largest = m > largest ? m : largest;
    }
    return from_bits_d(largest);
}

CLONED void vanish_stanh_backward(float *dz, const float *dh, const float *h, size_t n) {
    for (size_t i = 0; i < n; i++) dz[i] = dh[i] * (1 - h[i] * h[i]);
}

CLONED void vanish_dtanh_backward(double *dz, const double *dh, const double *h, size_t n) {
    for (size_t i = 0; i < n; i++) dz[i] = dh[i] * (1 - h[i] * h[i]);
}

CLONED void vanish_srelu_backward(float *dz, const float *dh, const float *h, size_t n) {
    for (size_t i = 0; i < n; i++) dz[i] = h[i] > 0 ? dh[i] : 0;
}

CLONED void vanish_drelu_backward(double *dz, const double *dh, const double *h, size_t n) {
    for (size_t i = 0; i < n; i++) dz[i] = h[i] > 0 ? dh[i] : 0;
}
