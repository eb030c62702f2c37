// tanh_float.h — tanh of one vector of floats (Cephes tanhf and expf, vectorized).
//
// |x| < 0.625: tanh|x| = |x| + |x|³·P(x²), a minimax polynomial.
// Beyond:      tanh|x| = 1 − 2/(e^{2|x|} + 1). |x| is clamped at 9.5 first: from 9.02 on,
//              tanh rounds to 1 in float, and the clamp keeps e^{2|x|} finite.
// The sign is put back last, so that tanh(−0) = −0. NaN fails the `≥ 0.625` test and goes
// through the polynomial, which keeps it NaN. Every multiply-add written vec_fma or horner is
// fused on every instruction set, and nothing else is (the order of operations is part of the
// result: all paths give the same bits).

// e^y for 1 ≤ y ≤ 19: e^y = 2ⁿ·e^r with n = round(y/ln 2); r = y − n·ln 2 is computed in two
// parts (Cody–Waite) so that it is exact, and e^r (|r| ≤ ln 2/2) is Cephes' expf polynomial.
ALWAYS_INLINE vec_t exp_moderate(vec_t y) {
    const SCALAR shifter = 0x1.8p23f;  // adding it rounds to an integer, kept in the low bits
    vec_t shifted = horner(y, vec_splat(1.44269504088896341f), shifter);
    vec_t n = shifted - shifter;
    vec_t r = vec_fma(-n, vec_splat(0.693359375f), y);
    r = vec_fma(n, vec_splat(2.12194440e-4f), r);
    vec_t p = horner(vec_splat(1.9875691500e-4f), r, 1.3981999507e-3f);
    p = horner(p, r, 8.3334519073e-3f);
    p = horner(p, r, 4.1665795894e-2f);
    p = horner(p, r, 1.6666665459e-1f);
    p = horner(p, r, 5.0000001201e-1f);
    vec_t er = vec_fma(p, r * r, r) + 1.0f;
    ivec_t exponent = ((ivec_t)shifted - (ivec_t)vec_splat(shifter)) << 23;
    return (vec_t)((ivec_t)er + exponent);
}

ALWAYS_INLINE vec_t tanh_vec(vec_t x) {
    const ivec_t sign_bit = (ivec_t){0} + INT32_MIN;
    ivec_t sign = (ivec_t)x & sign_bit;
    vec_t ax = (vec_t)((ivec_t)x & ~sign_bit);

    vec_t z = ax * ax;
    vec_t p = horner(vec_splat(-5.70498872745e-3f), z, 2.06390887954e-2f);
    p = horner(p, z, -5.37397155531e-2f);
    p = horner(p, z, 1.33314422036e-1f);
    p = horner(p, z, -3.33332819422e-1f);
    vec_t near_zero = vec_fma(ax * z, p, ax);
    // Every lane in the polynomial's range (the common case for the gates' pre-activations
    // at initialization): the exponential and its division would only be discarded.
    if (__builtin_reduce_and(ax < 0.625f)) return (vec_t)((ivec_t)near_zero | sign);

    vec_t clamped = vec_select(ax < 9.5f, ax, vec_splat(9.5f));
    vec_t e = exp_moderate(clamped + clamped);
    vec_t far = 1.0f - 2.0f / (e + 1.0f);

    vec_t magnitude = vec_select(ax >= 0.625f, far, near_zero);
    return (vec_t)((ivec_t)magnitude | sign);
}
