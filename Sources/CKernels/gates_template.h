// gates_template.h — the element-wise work of an LSTM or GRU time step, one sample's row of H
// units at a time, fused into one pass over the row with tanh_vec (tanh_float.h or
// tanh_double.h) in registers: the cells' Swift loops made several passes and a tanh call per
// gate block, which cost as much as the step's product at H = 128.
//
// Every expression is the one the cells wrote in Swift, in the same order, with no multiply
// and add fused (kernel_prelude.h): the results are the same, bit for bit, as those loops'
// were, on every instruction set. σ(x) is 0.5·tanh(0.5·x) + 0.5: the halving and the final
// scaling are exact, so σ is as close as tanh is to its own, within a few ulp of 1 (absolute).
// A row whose length is not a multiple of the vector goes through zero-padded copies for its
// last vector.

// n ≤ LANES values of p, zero-padded.
ALWAYS_INLINE vec_t load_part(const SCALAR *p, size_t n) {
    if (n == LANES) return vec_load(p);
    SCALAR part[LANES] = {0};
    memcpy(part, p, n * sizeof(SCALAR));
    return vec_load(part);
}

ALWAYS_INLINE void store_part(SCALAR *p, vec_t v, size_t n) {
    if (n == LANES) {
        vec_store(p, v);
        return;
    }
    SCALAR part[LANES];
    vec_store(part, v);
    memcpy(p, part, n * sizeof(SCALAR));
}

ALWAYS_INLINE vec_t sigmoid_vec(vec_t x) {
    return (SCALAR)0.5 * tanh_vec(x * (SCALAR)0.5) + (SCALAR)0.5;
}

// gates (4·H: the pre-activations of i, f, g, o) → the activations, in place;
// cell = f ⊙ before + i ⊙ g; output = tanh(cell) ⊙ o.
static void lstm_forward(SCALAR *gates, const SCALAR *before, SCALAR *cell, SCALAR *output, size_t h) {
    for (size_t j = 0; j < h; j += LANES) {
        size_t n = h - j < (size_t)LANES ? h - j : (size_t)LANES;
        vec_t i = sigmoid_vec(load_part(gates + j, n));
        vec_t f = sigmoid_vec(load_part(gates + h + j, n));
        vec_t g = tanh_vec(load_part(gates + 2 * h + j, n));
        vec_t o = sigmoid_vec(load_part(gates + 3 * h + j, n));
        vec_t c = f * load_part(before + j, n) + i * g;
        store_part(gates + j, i, n);
        store_part(gates + h + j, f, n);
        store_part(gates + 2 * h + j, g, n);
        store_part(gates + 3 * h + j, o, n);
        store_part(cell + j, c, n);
        store_part(output + j, tanh_vec(c) * o, n);
    }
}

// One sample's backward (LSTMCell.backward): from the kept gates, the cell state read
// (before) and written (cell), dm = ∂L/∂(o ⊙ tanh(cell)) and dc_next (∂L/∂cell from the later
// steps): dc = dc_next + dm ⊙ o ⊙ (1 − tanh²(cell)), dz (4·H) and dc_next = dc ⊙ f in place.
static void lstm_backward(const SCALAR *gates, const SCALAR *before, const SCALAR *cell, const SCALAR *dm,
                          SCALAR *dc, SCALAR *dc_next, SCALAR *dz, size_t h) {
    for (size_t j = 0; j < h; j += LANES) {
        size_t n = h - j < (size_t)LANES ? h - j : (size_t)LANES;
        vec_t i = load_part(gates + j, n), f = load_part(gates + h + j, n);
        vec_t g = load_part(gates + 2 * h + j, n), o = load_part(gates + 3 * h + j, n);
        vec_t squashed = tanh_vec(load_part(cell + j, n));
        vec_t m = load_part(dm + j, n);
        vec_t total = load_part(dc_next + j, n) + m * o * ((SCALAR)1 - squashed * squashed);
        store_part(dc + j, total, n);
        store_part(dz + j, total * g * i * ((SCALAR)1 - i), n);
        store_part(dz + h + j, total * load_part(before + j, n) * f * ((SCALAR)1 - f), n);
        store_part(dz + 2 * h + j, total * i * ((SCALAR)1 - g * g), n);
        store_part(dz + 3 * h + j, m * squashed * o * ((SCALAR)1 - o), n);
        store_part(dc_next + j, total * f, n);
    }
}

// One sample's forward (GRUCell.forward): gates holds the input projections p_r, p_z, p_n
// (3·H of its 4·H), products h W_hhᵀ (3·H); bias is b_hn or NULL (then 0 is added, as the
// Swift loop did). Writes r, z, n, and W_hn h + b_hn into the fourth block, and
// state = (1 − z) ⊙ n + z ⊙ before.
static void gru_forward(SCALAR *gates, const SCALAR *products, const SCALAR *bias, const SCALAR *before,
                        SCALAR *state, size_t h) {
    for (size_t j = 0; j < h; j += LANES) {
        size_t n = h - j < (size_t)LANES ? h - j : (size_t)LANES;
        vec_t r = sigmoid_vec(load_part(gates + j, n) + load_part(products + j, n));
        vec_t z = sigmoid_vec(load_part(gates + h + j, n) + load_part(products + h + j, n));
        vec_t hidden = load_part(products + 2 * h + j, n) + (bias ? load_part(bias + j, n) : (vec_t){0});
        vec_t candidate = tanh_vec(load_part(gates + 2 * h + j, n) + r * hidden);
        store_part(gates + j, r, n);
        store_part(gates + h + j, z, n);
        store_part(gates + 2 * h + j, candidate, n);
        store_part(gates + 3 * h + j, hidden, n);
        store_part(state + j, ((SCALAR)1 - z) * candidate + z * load_part(before + j, n), n);
    }
}

// One sample's backward (GRUCell.backward): from the kept r, z, n, W_hn h + b_hn and the
// state read (before), dz (4·H: the hidden side's r, z, n and the input side's n) and
// dh_next = dh ⊙ z.
static void gru_backward(const SCALAR *gates, const SCALAR *before, const SCALAR *dh, SCALAR *dh_next,
                         SCALAR *dz, size_t h) {
    for (size_t j = 0; j < h; j += LANES) {
        size_t n = h - j < (size_t)LANES ? h - j : (size_t)LANES;
        vec_t r = load_part(gates + j, n), z = load_part(gates + h + j, n);
        vec_t candidate = load_part(gates + 2 * h + j, n), hidden = load_part(gates + 3 * h + j, n);
        vec_t d = load_part(dh + j, n);
        vec_t d_candidate = d * ((SCALAR)1 - z) * ((SCALAR)1 - candidate * candidate);
        store_part(dz + j, d_candidate * hidden * r * ((SCALAR)1 - r), n);
        store_part(dz + h + j, d * (load_part(before + j, n) - candidate) * z * ((SCALAR)1 - z), n);
        store_part(dz + 2 * h + j, d_candidate * r, n);
        store_part(dz + 3 * h + j, d_candidate, n);
        store_part(dh_next + j, d * z, n);
    }
}
