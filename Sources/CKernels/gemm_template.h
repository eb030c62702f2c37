// gemm_template.h — blocked GEMM (Goto/BLIS style) for one scalar type on one instruction set.
//
// Included once by each kernel translation unit, after simd.h, with:
//   MR        rows of a micro-tile of C (values of A broadcast per step of k)
//   NR_VECS   vectors per micro-tile row; NR = NR_VECS·LANES columns, the packed panel width
//   MC        rows of A per block: an MC×KC block of A stays in L2 while it is used
//   NC        columns of B per block packed by the unpacked path (KC×NC stays in L2/L3)
//
// Packed B: op(B) (k×n) cut into blocks of KC rows, each block cut into ceil(n/NR) panels of
// NR columns. A panel holds its kc rows one after another, NR values a row, zero-padded past
// column n: one contiguous kc×NR run that the micro-kernel reads in order. Blocks and their
// panels follow each other, so a product walks through the packed form front to back.
// The unpacked path packs one block of KC rows and NC columns at a time in the same layout.
//
// A is mostly not packed: the micro-kernel reads it in place through a row and a column
// stride, (lda, 1) for op(A) = A and (1, lda) for op(A) = Aᵀ. That saves a copy of A on every
// call, which at the per-time-step sizes (M ≤ 64) costs as much as the product itself, and
// measured no slower for large row-major A. Only the unpacked path with op(A) = Aᵀ, m ≥ 256
// and n ≥ 128 (the weight gradients DZᵀ·H of wide layers) packs A, into slivers of MR rows:
// read in place, each step of k would touch a new cache line and, at lda ≥ 1024, a new page.
// Narrower ones (m = 128: an nn.RNN at H = 128) ran 8 % faster reading A in place.
//
// Every path accumulates each element of C over k in the same order, one fused multiply-add
// per step, in KC blocks of the same depth on every instruction set (each block's sum is added
// into C), and updates C with the same operations: the packed and unpacked products are
// identical bit for bit, and so are those of every instruction set. MR, NR, MC and NC only
// choose which elements are computed together, never how one is computed.

#define NR (NR_VECS * LANES)

// Steps of k per block, the same on every instruction set (see above): a KC×NR block of a
// panel stays in L1 while it is used. Public, for callers that cut products into slabs.
#define KC VANISH_GEMM_DEPTH_BLOCK

// How many rows of a B panel ahead the micro-kernel asks for (2 KB at 128-byte rows).
#define B_PREFETCH_ROWS 16

static inline int min_int(int x, int y) { return x < y ? x : y; }

// acc (MR×NR) = op(A) rows (mr×kc) · panel block (kc×NR); C is not touched.
// Rows past mr read row mr − 1 again, so that an edge tile never reads outside A.
// With fetch_ahead, each step of k also asks for one line of the next panel into L2, from
// ahead onwards, ahead_step bytes apart (see macro_kernel).
ALWAYS_INLINE void micro_kernel(int kc, const SCALAR *a, ptrdiff_t rs_a, ptrdiff_t cs_a, int mr,
                                const SCALAR *b, bool fetch_ahead, const char *ahead, ptrdiff_t ahead_step,
                                vec_t acc[MR][NR_VECS]) {
    const SCALAR *row[MR];
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < MR; i++) row[i] = a + (i < mr ? i : mr - 1) * rs_a;
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < MR; i++)
        _Pragma("clang loop unroll(full)")
        for (int j = 0; j < NR_VECS; j++) acc[i][j] = (vec_t){0};

    for (int p = 0; p < kc; p++, b += NR) {
        vec_t bv[NR_VECS];
        _Pragma("clang loop unroll(full)")
        for (int j = 0; j < NR_VECS; j++) bv[j] = vec_load(b + j * LANES);
        // The panel's own rows a little ahead, into L1 (the hardware prefetcher alone left
        // the per-step products streaming the packed weight from L3 ~15% slower).
        _Pragma("clang loop unroll(full)")
        for (int line = 0; line < NR * (int)sizeof(SCALAR); line += 64)
            __builtin_prefetch((const char *)(b + B_PREFETCH_ROWS * NR) + line);
        if (fetch_ahead) {
            __builtin_prefetch(ahead, 0, 2);
            ahead += ahead_step;
        }
        _Pragma("clang loop unroll(full)")
        for (int i = 0; i < MR; i++) {
            vec_t ai = vec_splat(row[i][p * cs_a]);
            _Pragma("clang loop unroll(full)")
            for (int j = 0; j < NR_VECS; j++) acc[i][j] = vec_fma(ai, bv[j], acc[i][j]);
        }
    }
}

// One row of a tile: c = alpha·acc + beta·c, without reading c when beta == 0: v = alpha·acc
// rounded, then c + v (beta == 1) or c·beta + v fused; then + bias (NR values) when given,
// rounded once more: the same as adding the bias row to C afterwards.
ALWAYS_INLINE void update_row(SCALAR *c, const vec_t acc[NR_VECS], SCALAR alpha, SCALAR beta,
                              const SCALAR *bias) {
    _Pragma("clang loop unroll(full)")
    for (int j = 0; j < NR_VECS; j++) {
        vec_t v = alpha == 1 ? acc[j] : acc[j] * alpha;
        vec_t r = beta == 0 ? v
            : beta == 1 ? vec_load(c + j * LANES) + v
            : vec_fma(vec_load(c + j * LANES), vec_splat(beta), v);
        if (bias) r = r + vec_load(bias + j * LANES);
        vec_store(c + j * LANES, r);
    }
}

// Writes a micro-tile into C (mr×nr of it), adding bias (the tile's columns of it) when
// given. Edge tiles go through a full-size copy so that they take the same arithmetic as full
// tiles; every row of acc is indexed by a constant, so that acc stays in registers.
ALWAYS_INLINE void store_tile(vec_t acc[MR][NR_VECS], SCALAR *c, ptrdiff_t ldc, int mr, int nr,
                              SCALAR alpha, SCALAR beta, const SCALAR *bias) {
    if (mr == MR && nr == NR) {
        _Pragma("clang loop unroll(full)")
        for (int i = 0; i < MR; i++) update_row(c + i * ldc, acc[i], alpha, beta, bias);
        return;
    }
    SCALAR tile[MR][NR] = {{0}};
    if (beta != 0)
        for (int i = 0; i < mr; i++) memcpy(tile[i], c + i * ldc, (size_t)nr * sizeof(SCALAR));
    SCALAR padded[NR] = {0};  // the bias of the tile's nr columns
    if (bias) memcpy(padded, bias, (size_t)nr * sizeof(SCALAR));
    _Pragma("clang loop unroll(full)")
    for (int i = 0; i < MR; i++) update_row(tile[i], acc[i], alpha, beta, bias ? padded : NULL);
    for (int i = 0; i < mr; i++) memcpy(c + i * ldc, tile[i], (size_t)nr * sizeof(SCALAR));
}

// Starts loading the rows of a tile of C while the micro-kernel runs: in large products C
// comes from memory, and each tile's rows are ldc apart, a pattern the hardware does not
// prefetch by itself.
ALWAYS_INLINE void prefetch_tile(const SCALAR *c, ptrdiff_t ldc, int mr) {
    for (int i = 0; i < mr; i++) {
        __builtin_prefetch(c + i * ldc, 1);
        __builtin_prefetch(c + i * ldc + NR - 1, 1);
    }
}

// C (mc×nc) = alpha·op(A) (mc×kc)·B (kc×nc, packed panels panel_stride apart) + beta·C.
// A is read in slivers of MR rows, sliver_stride apart, element (i, p) of a sliver at
// i·rs_a + p·cs_a. after: the panel the product reads after B's last (NULL: none known).
// bias: nc values added to every row of C after the product (NULL: none).
ALWAYS_INLINE void macro_kernel(int mc, int nc, int kc, SCALAR alpha,
                                const SCALAR *a, ptrdiff_t sliver_stride, ptrdiff_t rs_a, ptrdiff_t cs_a,
                                const SCALAR *b, ptrdiff_t panel_stride, const SCALAR *after,
                                SCALAR beta, SCALAR *c, ptrdiff_t ldc, const SCALAR *bias) {
    for (int jr = 0; jr < nc; jr += NR) {
        const SCALAR *panel = b + (jr / NR) * panel_stride;
        const SCALAR *next = jr + NR < nc ? panel + panel_stride : after;
        for (int ir = 0; ir < mc; ir += MR) {
            vec_t acc[MR][NR_VECS];
            int mr = min_int(MR, mc - ir);
            prefetch_tile(c + ir * ldc + jr, ldc, mr);
            // The next panel into L2 while this one is used, spread over the first two tiles
            // (or the only one). The per-step products (M ≤ 16: one or two tiles a panel)
            // stream the packed W_hh from L3, 12–16 MB for a gated cell at H = 1024; a panel
            // asked for only 16 rows ahead by its first tile, and not at all during the second,
            // left them 15–25 % slower.
            int passes = min_int(2, (mc + MR - 1) / MR), pass = ir / MR;
            ptrdiff_t step = NR * (ptrdiff_t)sizeof(SCALAR) / passes;
            const SCALAR *sliver = a + (ir / MR) * sliver_stride;
            if (next && pass < passes)
                micro_kernel(kc, sliver, rs_a, cs_a, mr, panel, true, (const char *)next + pass * kc * step, step, acc);
            else
                micro_kernel(kc, sliver, rs_a, cs_a, mr, panel, false, NULL, 0, acc);
            store_tile(acc, c + ir * ldc + jr, ldc, mr, min_int(NR, nc - jr), alpha, beta, bias ? bias + jr : NULL);
        }
    }
}

// Copies op(A) (mc×kc; a points at its element (0, 0)) into slivers of MR rows, each kc×MR
// with the MR values of one step of k side by side, zero-padded past row mc.
static void pack_slivers(bool trans_a, int mc, int kc, const SCALAR *a, int lda, SCALAR *dst) {
    for (int i0 = 0; i0 < mc; i0 += MR, dst += (ptrdiff_t)kc * MR) {
        int height = min_int(MR, mc - i0);
        if (height < MR) memset(dst, 0, (size_t)kc * MR * sizeof(SCALAR));
        if (trans_a && height == MR) {  // a constant size: inline moves, not a call per row
            for (int p = 0; p < kc; p++)
                memcpy(dst + (ptrdiff_t)p * MR, a + (ptrdiff_t)p * lda + i0, MR * sizeof(SCALAR));
        } else if (trans_a) {
            for (int p = 0; p < kc; p++)
                memcpy(dst + (ptrdiff_t)p * MR, a + (ptrdiff_t)p * lda + i0, (size_t)height * sizeof(SCALAR));
        } else {
            for (int t = 0; t < height; t++) {
                const SCALAR *row = a + (ptrdiff_t)(i0 + t) * lda;
                for (int p = 0; p < kc; p++) dst[(ptrdiff_t)p * MR + t] = row[p];
            }
        }
    }
}

// One KC block over all of m, in MC-row blocks; a points at element (0, pc) of op(A).
// With a_buffer (MC·KC values), each block of A is packed first; without, A is read in
// place, and the two layouts get their own copy of the kernel with the unit stride a constant.
ALWAYS_INLINE void multiply_block(bool trans_a, int m, int nc, int kc, SCALAR alpha,
                                  const SCALAR *a, int lda, SCALAR *a_buffer,
                                  const SCALAR *b, ptrdiff_t panel_stride, const SCALAR *after,
                                  SCALAR beta, SCALAR *c, int ldc, const SCALAR *bias) {
    for (int ic = 0; ic < m; ic += MC) {
        int mc = min_int(MC, m - ic);
        // After the last panel comes the first again, for the next block of rows, or else
        // the panel that follows the block (after, NULL when there is none to ask for).
        const SCALAR *next_block = ic + MC < m ? b : after;
        SCALAR *c_block = c + (ptrdiff_t)ic * ldc;
        const SCALAR *a_block = trans_a ? a + ic : a + (ptrdiff_t)ic * lda;
        if (a_buffer) {
            pack_slivers(trans_a, mc, kc, a_block, lda, a_buffer);
            macro_kernel(mc, nc, kc, alpha, a_buffer, (ptrdiff_t)kc * MR, 1, MR, b, panel_stride, next_block, beta,
                         c_block, ldc, bias);
        } else if (trans_a)
            macro_kernel(mc, nc, kc, alpha, a_block, MR, 1, lda, b, panel_stride, next_block, beta, c_block, ldc,
                         bias);
        else
            macro_kernel(mc, nc, kc, alpha, a_block, (ptrdiff_t)MR * lda, lda, 1, b, panel_stride, next_block, beta,
                         c_block, ldc, bias);
    }
}

// Packs op(B) (kc×nc; b points at its element (0, 0)) into panels panel_stride apart.
static void pack_panels(bool trans_b, int kc, int nc, const SCALAR *b, int ldb,
                        SCALAR *dst, ptrdiff_t panel_stride) {
    for (int j0 = 0; j0 < nc; j0 += NR) {
        SCALAR *panel = dst + (j0 / NR) * panel_stride;
        int width = min_int(NR, nc - j0);
        if (width < NR) memset(panel, 0, (size_t)kc * NR * sizeof(SCALAR));
        if (trans_b) {
            for (int t = 0; t < width; t++) {
                const SCALAR *column = b + (ptrdiff_t)(j0 + t) * ldb;
                for (int p = 0; p < kc; p++) panel[(ptrdiff_t)p * NR + t] = column[p];
            }
        } else if (width == NR) {  // a constant size: inline moves, not a call per row
            for (int p = 0; p < kc; p++)
                memcpy(panel + (ptrdiff_t)p * NR, b + (ptrdiff_t)p * ldb + j0, NR * sizeof(SCALAR));
        } else {
            for (int p = 0; p < kc; p++)
                memcpy(panel + (ptrdiff_t)p * NR, b + (ptrdiff_t)p * ldb + j0, (size_t)width * sizeof(SCALAR));
        }
    }
}

// C = beta·C, for k == 0 or alpha == 0; beta == 0 writes zeros without reading C.
static void scale_c(int m, int n, SCALAR beta, SCALAR *c, int ldc) {
    for (int i = 0; i < m; i++) {
        SCALAR *row = c + (ptrdiff_t)i * ldc;
        if (beta == 0) memset(row, 0, (size_t)n * sizeof(SCALAR));
        else if (beta != 1)
            for (int j = 0; j < n; j++) row[j] *= beta;
    }
}

static size_t packed_count(int k, int n) {
    if (k <= 0 || n <= 0) return 0;
    return (size_t)((n + NR - 1) / NR) * NR * (size_t)k;
}

static void pack(bool trans_b, int k, int n, const SCALAR *b, int ldb, SCALAR *packed) {
    if (k <= 0 || n <= 0) return;
    size_t block_stride = packed_count(1, n);
    for (int pc = 0; pc < k; pc += KC) {
        int kc = min_int(KC, k - pc);
        const SCALAR *b_block = trans_b ? b + pc : b + (ptrdiff_t)pc * ldb;
        pack_panels(trans_b, kc, n, b_block, ldb, packed + pc * block_stride, (ptrdiff_t)kc * NR);
    }
}

ALWAYS_INLINE void gemm_packed_body(bool trans_a, int m, int n, int k, SCALAR alpha, const SCALAR *a,
                                    int lda, const SCALAR *packed, SCALAR beta, SCALAR *c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0) {
        scale_c(m, n, beta, c, ldc);
        return;
    }
    size_t block_stride = packed_count(1, n);
    for (int pc = 0; pc < k; pc += KC) {
        int kc = min_int(KC, k - pc);
        const SCALAR *a_block = trans_a ? a + (ptrdiff_t)pc * lda : a + pc;
        multiply_block(trans_a, m, n, kc, alpha, a_block, lda, NULL, packed + pc * block_stride,
                       (ptrdiff_t)kc * NR, pc + KC < k ? packed + (pc + KC) * block_stride : NULL,
                       pc == 0 ? beta : 1, c, ldc, NULL);
    }
}

// Packed B blocks up to this size live on the stack; larger ones are allocated per call.
#define STACK_PACK_BYTES (64 * 1024)
// Below these sizes a transposed A is read in place (see the top of this file).
#define PACK_A_MIN_M 256
#define PACK_A_MIN_N 128

ALWAYS_INLINE void gemm_body(bool trans_a, bool trans_b, int m, int n, int k, SCALAR alpha,
                             const SCALAR *a, int lda, const SCALAR *b, int ldb,
                             SCALAR beta, SCALAR *c, int ldc, const SCALAR *bias) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0) {
        scale_c(m, n, beta, c, ldc);
        return;
    }

    SCALAR stack_buffer[STACK_PACK_BYTES / sizeof(SCALAR)] __attribute__((aligned(64)));
    int kc_max = min_int(KC, k);
    int nc_max = min_int(NC, (n + NR - 1) / NR * NR);
    size_t b_count = (size_t)kc_max * nc_max;
    size_t a_count = trans_a && m >= PACK_A_MIN_M && n >= PACK_A_MIN_N ? (size_t)kc_max * ((min_int(MC, m) + MR - 1) / MR * MR) : 0;
    SCALAR *b_buffer = stack_buffer, *a_buffer = NULL, *allocated = NULL;
    if ((b_count + a_count) * sizeof(SCALAR) <= sizeof stack_buffer) {
        if (a_count) a_buffer = stack_buffer + b_count;
    } else {
        size_t bytes = (b_count + a_count) * sizeof(SCALAR);
        allocated = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (allocated) {
            b_buffer = allocated;
            if (a_count) a_buffer = allocated + b_count;
        } else {  // out of memory: smaller blocks in the stack buffer, A in place; same results
            nc_max = (int)(sizeof stack_buffer / sizeof(SCALAR) / kc_max) / NR * NR;
        }
    }

    for (int jc = 0; jc < n; jc += nc_max) {
        int nc = min_int(nc_max, n - jc);
        for (int pc = 0; pc < k; pc += KC) {
            int kc = min_int(KC, k - pc);
            const SCALAR *b_block = trans_b ? b + (ptrdiff_t)jc * ldb + pc : b + (ptrdiff_t)pc * ldb + jc;
            pack_panels(trans_b, kc, nc, b_block, ldb, b_buffer, (ptrdiff_t)kc * NR);
            const SCALAR *a_block = trans_a ? a + (ptrdiff_t)pc * lda : a + pc;
            multiply_block(trans_a, m, nc, kc, alpha, a_block, lda, a_buffer, b_buffer, (ptrdiff_t)kc * NR, NULL,
                           pc == 0 ? beta : 1, c + jc, ldc, pc + KC >= k && bias ? bias + jc : NULL);
        }
    }
    free(allocated);
}

// The two entry points: each body inlined for the products the engine runs, alpha = 1 with
// beta = 1 or 0 (and op(A) = A for the per-step products), and once more for the rest. With
// alpha and beta constants the compiler drops the tile updates' tests of them and resolves
// the layout of A: the per-step products at H = 128 ran 6–7 % faster, the input projections
// (k = 32) 12 %. Every copy does the same arithmetic.
static void gemm_packed(bool trans_a, int m, int n, int k, SCALAR alpha, const SCALAR *a, int lda,
                        const SCALAR *packed, SCALAR beta, SCALAR *c, int ldc) {
    if (!trans_a && alpha == 1 && beta == 1) gemm_packed_body(false, m, n, k, 1, a, lda, packed, 1, c, ldc);
    else if (!trans_a && alpha == 1 && beta == 0) gemm_packed_body(false, m, n, k, 1, a, lda, packed, 0, c, ldc);
    else gemm_packed_body(trans_a, m, n, k, alpha, a, lda, packed, beta, c, ldc);
}

// C = op(A)·op(B), plus bias (n values) in every row when given.
static void gemm_overwrite(bool trans_a, bool trans_b, int m, int n, int k, const SCALAR *a, int lda,
                           const SCALAR *b, int ldb, const SCALAR *bias, SCALAR *c, int ldc) {
    gemm_body(trans_a, trans_b, m, n, k, 1, a, lda, b, ldb, 0, c, ldc, bias);
}

static void gemm(bool trans_a, bool trans_b, int m, int n, int k, SCALAR alpha,
                 const SCALAR *a, int lda, const SCALAR *b, int ldb,
                 SCALAR beta, SCALAR *c, int ldc) {
    if (alpha == 1 && beta == 1) gemm_body(trans_a, trans_b, m, n, k, 1, a, lda, b, ldb, 1, c, ldc, NULL);
    else if (alpha == 1 && beta == 0) gemm_overwrite(trans_a, trans_b, m, n, k, a, lda, b, ldb, NULL, c, ldc);
    else gemm_body(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, NULL);
}

// C = op(A)·op(B) + 1·biasᵀ: each row the product's, then bias added, as gemm with beta = 0
// followed by adding the bias row gives it, bit for bit; in the product's last tile update,
// while the tile is in registers, rather than in a pass of its own over C.
static void gemm_bias(bool trans_a, bool trans_b, int m, int n, int k, const SCALAR *a, int lda,
                      const SCALAR *b, int ldb, const SCALAR *bias, SCALAR *c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k > 0) {
        gemm_overwrite(trans_a, trans_b, m, n, k, a, lda, b, ldb, bias, c, ldc);
        return;
    }
    for (int i = 0; i < m; i++)  // 0 + bias, as the product of no terms plus the bias
        for (int j = 0; j < n; j++) c[(ptrdiff_t)i * ldc + j] = (SCALAR)0 + bias[j];
}
