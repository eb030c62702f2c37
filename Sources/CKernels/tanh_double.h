// tanh_double.h — tanh of one vector of doubles (Cephes tanh, vectorized).
//
// |x| < 0.625: tanh|x| = |x| + |x|·z·P(z)/Q(z), z = x², Cephes' rational approximation.
// Beyond:      tanh|x| = 1 − 2/(e^{2|x|} + 1). |x| is clamped at 20 first: from 19.07 on,
//              tanh rounds to 1 in double, and the clamp keeps e^{2|x|} finite.
// Both branches divide; one division serves both (numerator and denominator are selected
// first). The sign is put back last, so that tanh(−0) = −0. NaN fails the `≥ 0.625` test and
// goes through the rational branch, which keeps it NaN. Every multiply-add written vec_fma or
// horner is fused on every instruction set, and nothing else is: all paths give the same bits.

// e^y for 1 ≤ y ≤ 40: e^y = 2ⁿ·e^r with n = round(y/ln 2); r = y − n·ln 2 is computed in two
// parts (Cody–Waite) so that it is exact, and e^r (|r| ≤ ln 2/2) by its Taylor series to r¹³,
// whose remainder (< 5e-18) is far below an ulp.
ALWAYS_INLINE vec_t exp_moderate(vec_t y) {
    const SCALAR shifter = 0x1.8p52;  // adding it rounds to an integer, kept in the low bits
    vec_t shifted = horner(y, vec_splat(1.4426950408889634074), shifter);
    vec_t n = shifted - shifter;
    vec_t r = vec_fma(-n, vec_splat(6.93145751953125e-1), y);
    r = vec_fma(-n, vec_splat(1.42860682030941723212e-6), r);
    vec_t p = vec_splat(1.0 / 6227020800.0);   // 1/13!
    p = horner(p, r, 1.0 / 479001600.0);             // 1/12!
    p = horner(p, r, 1.0 / 39916800.0);
    p = horner(p, r, 1.0 / 3628800.0);
    p = horner(p, r, 1.0 / 362880.0);
    p = horner(p, r, 1.0 / 40320.0);
    p = horner(p, r, 1.0 / 5040.0);
    p = horner(p, r, 1.0 / 720.0);
    p = horner(p, r, 1.0 / 120.0);
    p = horner(p, r, 1.0 / 24.0);
    p = horner(p, r, 1.0 / 6.0);
    p = horner(p, r, 0.5);
    vec_t er = vec_fma(p, r * r, r) + 1.0;
    ivec_t exponent = ((ivec_t)shifted - (ivec_t)vec_splat(shifter)) << 52;
    return (vec_t)((ivec_t)er + exponent);
}

ALWAYS_INLINE vec_t tanh_vec(vec_t x) {
    const ivec_t sign_bit = (ivec_t){0} + INT64_MIN;
    ivec_t sign = (ivec_t)x & sign_bit;
    vec_t ax = (vec_t)((ivec_t)x & ~sign_bit);
    ivec_t far = ax >= 0.625;

    vec_t z = ax * ax;
    vec_t p = horner(vec_splat(-9.64399179425052238628e-1), z, -9.92877231001918586564e1);
    p = horner(p, z, -1.61468768441708447952e3);
    vec_t q = z + 1.12811678491632931402e2;
    q = horner(q, z, 2.23548839060100448583e3);
    q = horner(q, z, 4.84406305325125486048e3);
    // Every lane in the rational function's range: the exponential would only be discarded.
    if (__builtin_reduce_and(~far)) return (vec_t)((ivec_t)vec_fma(ax, z * p / q, ax) | sign);

    vec_t clamped = vec_select(ax < 20.0, ax, vec_splat(20.0));
    vec_t e = exp_moderate(clamped + clamped);

    vec_t quotient = vec_select(far, vec_splat(2.0), z * p) / vec_select(far, e + 1.0, q);
    vec_t magnitude = vec_select(far, 1.0 - quotient, vec_fma(ax, quotient, ax));
    return (vec_t)((ivec_t)magnitude | sign);
}
