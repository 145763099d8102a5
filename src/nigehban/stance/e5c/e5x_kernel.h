/* e5x_kernel.h - one instantiation of Nigehban's matmul row-group kernel (see e5x.h).
 * Included once per instruction set with E5X_KERNEL (the function's name), E5X_TARGET (its
 * GCC target) and E5X_DOT(w, a) (eight int32 lanes, each the sum of four products of an
 * unsigned weight byte and a signed activation byte) defined. */

static __attribute__((target(E5X_TARGET))) void
E5X_KERNEL(const int8_t *RESTRICT wexp, const float (*dwf)[64], const int8_t *RESTRICT aq,
           const float *RESTRICT ad, const int32_t *RESTRICT as, const float *bias,
           float *RESTRICT Y, int L, int nout, int nin, int oo) {
    int nb = nin / QK;
    float dws[64][E5X_RO] __attribute__((aligned(32)));
    for (int b = 0; b < nb; b++)
        for (int r = 0; r < E5X_RO; r++) dws[b][r] = dwf[r][b];
    for (int t = 0; t < L; t++) {
        const int8_t *a = aq + (size_t)t * nin;
        const float *dT = ad + (size_t)t * nb;
        const int32_t *sT = as + (size_t)t * nb;
        __m256 facc[E5X_RO];
        for (int r = 0; r < E5X_RO; r++) facc[r] = _mm256_setzero_ps();
        __m256 corr = _mm256_setzero_ps();
        for (int b = 0; b < nb; b++) {
            __m256i av = _mm256_loadu_si256((const __m256i *)(a + b * QK));
            /* the eight rows' scales d_w * d_a, and their corrections scale * sum(a) */
            __m256 scale = _mm256_mul_ps(_mm256_load_ps(dws[b]), _mm256_set1_ps(dT[b]));
            corr = _mm256_fmadd_ps(scale, _mm256_set1_ps((float)sT[b]), corr);
            for (int r = 0; r < E5X_RO; r++) {
                __m256i wv = _mm256_loadu_si256((const __m256i *)(wexp + (size_t)r * nin + b * QK));
                __m256 sr = _mm256_permutevar8x32_ps(scale, _mm256_set1_epi32(r));
                facc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(E5X_DOT(wv, av)), sr, facc[r]);
            }
        }
        float c[E5X_RO];
        _mm256_storeu_ps(c, corr);
        for (int r = 0; r < E5X_RO; r++)
            Y[(size_t)t * nout + oo + r] =
                (bias ? bias[oo + r] : 0.f) + hsum256(facc[r]) - 8.f * c[r];
    }
}
