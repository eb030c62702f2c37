// tanh_loop.h — in place tanh of an array, one vector at a time (tanh_vec from tanh_float.h
// or tanh_double.h). The last partial vector goes through a zero-padded copy.

static void tanh_in_place(SCALAR *x, size_t n) {
    size_t i = 0;
    for (; i + LANES <= n; i += LANES) vec_store(x + i, tanh_vec(vec_load(x + i)));
    if (i < n) {
        SCALAR tail[LANES] = {0};
        memcpy(tail, x + i, (n - i) * sizeof(SCALAR));
        vec_store(tail, tanh_vec(vec_load(tail)));
        memcpy(x + i, tail, (n - i) * sizeof(SCALAR));
    }
}
