// rows_template.h — the row loops of rows.c for one scalar type. The including file defines
// SCALAR (float or double), BITS (the unsigned integer of the same width), ABS_MASK (all bits
// but the sign), INFINITY_BITS (the bit pattern of +∞) and ROW(name), the exported name.

static inline BITS ROW(magnitude_bits)(SCALAR x) {
    BITS bits;
    memcpy(&bits, &x, sizeof bits);
    return bits & ABS_MASK;
}

static double ROW(from_bits)(BITS bits) {
    if (bits > INFINITY_BITS) return __builtin_nan("");
    SCALAR x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

CLONED double ROW(max_magnitude)(const SCALAR *x, size_t n) {
    BITS largest = 0;
    for (size_t i = 0; i < n; i++) {
        BITS m = ROW(magnitude_bits)(x[i]);
        largest = m > largest ? m : largest;
    }
    return ROW(from_bits)(largest);
}

// The sum may be taken in any order (reassociate): it only feeds norms, and the order is
// fixed for a given machine.
CLONED double ROW(sum_squares)(const SCALAR *x, size_t n, double scale) {
#pragma clang fp reassociate(on)
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double v = (double)x[i] * scale;
        sum += v * v;
    }
    return sum;
}

// sum may be a or b but overlaps neither otherwise, so each step's vector reads its a and b
// before it writes: safe to vectorize. Without the pragma the compiler's overlap check fails
// when sum is a, and the loop runs one value at a time, ten times slower.
CLONED double ROW(add)(SCALAR *sum, const SCALAR *a, const SCALAR *b, size_t n) {
    BITS largest = 0;
#pragma clang loop vectorize(assume_safety)
    for (size_t i = 0; i < n; i++) {
        sum[i] = a[i] + b[i];
        BITS m = ROW(magnitude_bits)(sum[i]);
        largest = m > largest ? m : largest;
    }
    return ROW(from_bits)(largest);
}

CLONED void ROW(tanh_backward)(SCALAR *dz, const SCALAR *dh, const SCALAR *h, size_t n) {
    for (size_t i = 0; i < n; i++) dz[i] = dh[i] * (1 - h[i] * h[i]);
}

CLONED void ROW(relu_backward)(SCALAR *dz, const SCALAR *dh, const SCALAR *h, size_t n) {
    for (size_t i = 0; i < n; i++) dz[i] = h[i] > 0 ? dh[i] : 0;
}
