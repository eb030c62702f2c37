// rows_template.h — the element-wise loops of a backward time step and of the gradient norms,
// for one row of H values at a time, compiled per instruction set like the other kernels (the
// including file defines SCALAR and SCALAR_INT and includes simd.h first).
//
// Maxima compare the magnitudes' bit patterns as integers, which orders non-NaN values as
// their magnitudes do and vectorizes without fast-math; a NaN has a larger pattern than ∞.
// Only the sum of squares combines values, and it does so in one fixed order (see there).

// The unsigned integer of SCALAR's width.
typedef __typeof__(_Generic((SCALAR)0, float: (uint32_t)0, double: (uint64_t)0)) bits_t;

static inline bits_t magnitude_bits(SCALAR x) {
    bits_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits & ((bits_t)-1 >> 1);
}

static double from_bits(bits_t bits) {
    if (bits > magnitude_bits((SCALAR)__builtin_inf())) return __builtin_nan("");
    SCALAR x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

static double max_magnitude(const SCALAR *x, size_t n) {
    bits_t largest = 0;
    for (size_t i = 0; i < n; i++) {
        bits_t m = magnitude_bits(x[i]);
        largest = m > largest ? m : largest;
    }
    return from_bits(largest);
}

// Σ (x·scale)², formed and summed in double, in the same association on every instruction set:
// value i goes to partial sum i mod SUM_LANES, and the partial sums are added in a fixed tree.
// The partial sums are one wide vector, which each target splits into its own registers (two
// AVX-512, four AVX2, eight SSE2); its lanes never mix until the tree, so the split does not
// change a bit.
#define SUM_LANES 16
typedef double sums_t __attribute__((vector_size(SUM_LANES * sizeof(double))));
typedef SCALAR sum_inputs_t __attribute__((vector_size(SUM_LANES * sizeof(SCALAR))));

static double sum_squares(const SCALAR *x, size_t n, double scale) {
    sums_t sums = {0};
    size_t i = 0;
    for (; i + SUM_LANES <= n; i += SUM_LANES) {
        sum_inputs_t chunk;
        memcpy(&chunk, x + i, sizeof chunk);
        sums_t v = __builtin_convertvector(chunk, sums_t) * scale;
        sums += v * v;
    }
    // The tail goes to the first lanes one by one (padding would add 0·scale, NaN at scale = ∞).
    for (size_t lane = 0; i < n; i++, lane++) {
        double v = (double)x[i] * scale;
        sums[lane] += v * v;
    }
    double tree[SUM_LANES];
    memcpy(tree, &sums, sizeof tree);
    for (int width = SUM_LANES / 2; width >= 1; width /= 2)
        for (int lane = 0; lane < width; lane++) tree[lane] += tree[lane + width];
    return tree[0];
}

// sum may be a or b but overlaps neither otherwise, so each step's vector reads its a and b
// before it writes: safe to vectorize. Without the pragma the compiler's overlap check fails
// when sum is a, and the loop runs one value at a time, ten times slower.
static double add(SCALAR *sum, const SCALAR *a, const SCALAR *b, size_t n) {
    bits_t largest = 0;
#pragma clang loop vectorize(assume_safety)
    for (size_t i = 0; i < n; i++) {
        sum[i] = a[i] + b[i];
        bits_t m = magnitude_bits(sum[i]);
        largest = m > largest ? m : largest;
    }
    return from_bits(largest);
}

static void tanh_backward(SCALAR *dz, const SCALAR *dh, const SCALAR *h, size_t n) {
    for (size_t i = 0; i < n; i++) dz[i] = dh[i] * (1 - h[i] * h[i]);
}

static void relu_backward(SCALAR *dz, const SCALAR *dh, const SCALAR *h, size_t n) {
    for (size_t i = 0; i < n; i++) dz[i] = h[i] > 0 ? dh[i] : 0;
}
