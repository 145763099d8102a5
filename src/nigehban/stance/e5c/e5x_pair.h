/* e5x_pair.h - the row-group kernel with 512-bit vectors: each vector holds two output rows'
 * eight lanes for one block, so one instruction does the work of two 256-bit ones; every lane
 * runs the same operations, in the same order, as the 256-bit kernels. */
static __attribute__((target("avx2,fma,avx512f,avx512vl,avx512vnni"))) void
e5x_rows_avx512pair(const int8_t *RESTRICT wexp, const float (*dwf)[64], const int8_t *RESTRICT aq,
                    const float *RESTRICT ad, const int32_t *RESTRICT as, const float *bias,
                    float *RESTRICT Y, int L, int nout, int nin, int oo) {
    int nb = nin / QK;
    float dws[64][E5X_RO] __attribute__((aligned(32)));
    int8_t wp[64][E5X_RO / 2][2 * QK] __attribute__((aligned(64)));
    for (int b = 0; b < nb; b++)
        for (int r = 0; r < E5X_RO; r++) {
            dws[b][r] = dwf[r][b];
            memcpy(wp[b][r / 2] + (r % 2) * QK, wexp + (size_t)r * nin + b * QK, QK);
        }
    __m512i pick[E5X_RO / 2];
    for (int p = 0; p < E5X_RO / 2; p++)
        pick[p] = _mm512_inserti64x4(_mm512_set1_epi32(2 * p), _mm256_set1_epi32(2 * p + 1), 1);
    for (int t = 0; t < L; t++) {
        const int8_t *a = aq + (size_t)t * nin;
        const float *dT = ad + (size_t)t * nb;
        const int32_t *sT = as + (size_t)t * nb;
        __m512 facc[E5X_RO / 2];
        for (int p = 0; p < E5X_RO / 2; p++) facc[p] = _mm512_setzero_ps();
        __m256 corr = _mm256_setzero_ps();
        for (int b = 0; b < nb; b++) {
            __m512i av = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(a + b * QK)));
            __m256 scale = _mm256_mul_ps(_mm256_load_ps(dws[b]), _mm256_set1_ps(dT[b]));
            corr = _mm256_fmadd_ps(scale, _mm256_set1_ps((float)sT[b]), corr);
            __m512 scale2 = _mm512_castps256_ps512(scale);
            for (int p = 0; p < E5X_RO / 2; p++) {
                __m512i wv = _mm512_load_si512((const void *)wp[b][p]);
                __m512 sp = _mm512_permutexvar_ps(pick[p], scale2);
                __m512i d = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wv, av);
                facc[p] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(d), sp, facc[p]);
            }
        }
        float c[E5X_RO];
        _mm256_storeu_ps(c, corr);
        for (int p = 0; p < E5X_RO / 2; p++) {
            __m256 lo = _mm512_castps512_ps256(facc[p]);
            __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(facc[p]), 1));
            Y[(size_t)t * nout + oo + 2 * p] =
                (bias ? bias[oo + 2 * p] : 0.f) + hsum256(lo) - 8.f * c[2 * p];
            Y[(size_t)t * nout + oo + 2 * p + 1] =
                (bias ? bias[oo + 2 * p + 1] : 0.f) + hsum256(hi) - 8.f * c[2 * p + 1];
        }
    }
}
