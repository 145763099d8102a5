/* encoder_states.c - for bench/encoder_tuning.py: the token states of multilingual-e5-small
 * after its first `stop` layers, and one layer's weights dequantised, from the project's copy
 * of the embedding engine (src/nigehban/stance/e5c/e5.c, included whole; nothing in it is
 * changed). Compiled by the script into a temporary folder; not part of the package.
 *
 * Texts are read as the engine reads them ("passage: " + text) and cut to one window of at
 * most 510 content tokens (the classifier embeds at most 300 characters, far under it). */
#include "e5.c"

static int states_tokens(e5_model *m, const char *text, int **content) {
    const char *pfx = "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int capc = (int)(plen + tl) + 4;
    *content = (int *)malloc(sizeof(int) * capc);
    int c = tok_content(&m->tok, buf, *content, capc);
    free(buf);
    return c > m->MAXP - 2 ? m->MAXP - 2 : c;
}

/* the rows text i takes in states_after's output: its tokens with <s> and </s> */
int states_length(e5_model *m, const char *text) {
    int *content;
    int c = states_tokens(m, text, &content);
    free(content);
    return c + 2;
}

/* out: the texts' rows one after another (states_length rows each, H floats a row), after the
 * embedding layer and `stop` encoder layers (0..NL), run in forward passes of up to 512 tokens */
int states_after(e5_model *m, const char **texts, int n, int stop, float *out) {
    if (stop < 0 || stop > m->NL) return -1;
    int H = m->H, saved = m->NL;
    size_t written = 0;
    for (int i0 = 0; i0 < n; ) {
        int i1 = i0; long Tc = 0;
        int **content = (int **)malloc(sizeof(int *) * (size_t)(n - i0));
        int *cl = (int *)malloc(sizeof(int) * (size_t)(n - i0));
        while (i1 < n) {
            int *c;
            int len = states_tokens(m, texts[i1], &c);
            if (i1 > i0 && Tc + len + 2 > 512) { free(c); break; }
            content[i1 - i0] = c; cl[i1 - i0] = len; Tc += len + 2; i1++;
        }
        int segc = i1 - i0, T2 = 0;
        int *ids = (int *)malloc(sizeof(int) * Tc), *pos = (int *)malloc(sizeof(int) * Tc);
        int *segoff = (int *)malloc(sizeof(int) * (segc + 1));
        int *sstart = (int *)malloc(sizeof(int) * Tc), *send = (int *)malloc(sizeof(int) * Tc);
        segoff[0] = 0;
        for (int s = 0; s < segc; s++) {
            int p = 0;
            ids[T2] = m->tok.bos; pos[T2++] = p++;
            for (int j = 0; j < cl[s]; j++) { ids[T2] = content[s][j]; pos[T2++] = p++; }
            ids[T2] = m->tok.eos; pos[T2++] = p++;
            segoff[s + 1] = T2;
        }
        for (int s = 0; s < segc; s++)
            for (int t = segoff[s]; t < segoff[s + 1]; t++) { sstart[t] = segoff[s]; send[t] = segoff[s + 1]; }
        float *pooled = (float *)malloc(sizeof(float) * (size_t)segc * H);
        m->NL = stop;   /* the encoder loop runs `stop` layers; restored below */
        int rc = forward_batch(m, ids, pos, sstart, send, segoff, segc, (int)Tc, pooled,
                               out + written * H, -1, NULL);
        m->NL = saved;
        written += (size_t)Tc;
        for (int s = 0; s < segc; s++) free(content[s]);
        free(content); free(cl); free(ids); free(pos); free(segoff); free(sstart); free(send);
        free(pooled);
        if (rc) return rc;
        i0 = i1;
    }
    return 0;
}

static void states_deq(const block_q4_0 *w, int nout, int nin, float *out) {
    for (int r = 0; r < nout; r++) deq_row(w + (size_t)r * (nin / QK), nin, out + (size_t)r * nin);
}

/* layer l's matrices ([out][in]: q, k, v, attention output [H][H], FFN in [FF][H], FFN out
 * [H][FF]) and vectors, one after another in `vec`: q, k, v and attention-output biases, the
 * attention LayerNorm's weight and bias, the FFN biases (FF, then H), the output LayerNorm's
 * weight and bias */
int states_layer(e5_model *m, int l, float *qw, float *kw, float *vw, float *aow, float *fiw,
                 float *fow, float *vec) {
    if (l < 0 || l >= m->NL) return -1;
    int H = m->H, FF = m->FF;
    layer_t *ly = &m->layers[l];
    states_deq(ly->qw, H, H, qw); states_deq(ly->kw, H, H, kw); states_deq(ly->vw, H, H, vw);
    states_deq(ly->aow, H, H, aow); states_deq(ly->fiw, FF, H, fiw);
    states_deq(ly->fow, H, FF, fow);
    const float *parts[] = {ly->qb, ly->kb, ly->vb, ly->aob, ly->aln_w, ly->aln_b, ly->fib,
                            ly->fob, ly->oln_w, ly->oln_b};
    int sizes[] = {H, H, H, H, H, H, FF, H, H, H};
    for (int i = 0; i < 10; i++) { memcpy(vec, parts[i], sizeof(float) * sizes[i]); vec += sizes[i]; }
    return 0;
}

float states_eps(e5_model *m) { return m->eps; }

/* the token ids the engine feeds for `text` (<s>, content, </s>; states_length of them) */
int states_ids(e5_model *m, const char *text, int *out) {
    int *content;
    int c = states_tokens(m, text, &content);
    out[0] = m->tok.bos;
    memcpy(out + 1, content, sizeof(int) * (size_t)c);
    out[c + 1] = m->tok.eos;
    free(content);
    return c + 2;
}
