/* The aggressive normaliser's text-only path (nigehban.text.normaliser.normalise_text at
 * Level.AGGRESSIVE), in one module of C: the same steps in the same order, on code points.
 * The same steps, run with each code point's original span carried beside it, give the original
 * spans of ranges of the normalised text (normaliser.fast_original_spans) wherever no single
 * letters are joined; there they equal the offset map of normaliser.normalise.
 *
 * It holds no rules of its own. The character folding is the Python MATCH table, read through
 * its mapping protocol and cached here per code point; the Roman Urdu spelling variants and the
 * izafat connectors are the Python dict and set, copied into a table by configure(); Python's
 * character predicates are read once for the BMP at import. Property tests hold this module to
 * the Python implementation, and its spans to the general offset map, on arbitrary text; the
 * package falls back to Python where it is not built.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* A growing array of code points; its first home is on the stack (most posts fit), and it
   moves to the heap only when it grows past that. */
#define BUF_ON_STACK 1024

typedef struct {
    Py_UCS4 *data;
    Py_ssize_t len;
    Py_ssize_t cap;
    /* where tracked (buf_track): for each code point, the span of the original text it came
       from, [from[k], to[k]); else NULL */
    Py_ssize_t *from, *to;
    Py_UCS4 local[BUF_ON_STACK];
} Buf;

static void buf_unset(Buf *b) {
    b->data = NULL;
    b->from = b->to = NULL;
}

static int buf_init(Buf *b, Py_ssize_t cap) {
    b->len = 0;
    b->from = b->to = NULL;
    if (cap <= BUF_ON_STACK) {
        b->data = b->local;
        b->cap = BUF_ON_STACK;
        return 0;
    }
    b->cap = cap;
    b->data = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)b->cap);
    if (b->data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void buf_free(Buf *b) {
    if (b->data != b->local) PyMem_Free(b->data);
    PyMem_Free(b->from);
    PyMem_Free(b->to);
    buf_unset(b);
}

/* Track the original span of each code point from now on (the buffer is empty). */
static int buf_track(Buf *b) {
    b->from = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)b->cap);
    b->to = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)b->cap);
    if (b->from == NULL || b->to == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static inline void origin_set(Buf *b, Py_ssize_t k, Py_ssize_t from, Py_ssize_t to) {
    b->from[k] = from;
    b->to[k] = to;
}

/* Code points [start, b->len) of a tracked buffer came from [from, to). */
static inline void origin_fill(Buf *b, Py_ssize_t start, Py_ssize_t from, Py_ssize_t to) {
    for (Py_ssize_t k = start; k < b->len; k++) origin_set(b, k, from, to);
}

static int buf_grow(Buf *b, Py_ssize_t extra) {
    if (b->len + extra <= b->cap) return 0;
    Py_ssize_t cap = b->cap * 2;
    if (cap < b->len + extra) cap = b->len + extra;
    Py_UCS4 *data;
    if (b->data == b->local) {
        data = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)cap);
        if (data != NULL) memcpy(data, b->local, sizeof(Py_UCS4) * (size_t)b->len);
    } else {
        data = PyMem_Realloc(b->data, sizeof(Py_UCS4) * (size_t)cap);
    }
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    if (b->from != NULL) {
        Py_ssize_t *from = PyMem_Realloc(b->from, sizeof(Py_ssize_t) * (size_t)cap);
        if (from == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        b->from = from;
        Py_ssize_t *to = PyMem_Realloc(b->to, sizeof(Py_ssize_t) * (size_t)cap);
        if (to == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        b->to = to;
    }
    b->cap = cap;
    return 0;
}

static inline int buf_push(Buf *b, Py_UCS4 ch) {
    if (b->len == b->cap && buf_grow(b, 1) < 0) return -1;
    b->data[b->len++] = ch;
    return 0;
}

/* ---- configuration, set once by configure() ------------------------------------------- */

static PyObject *match_table = NULL; /* FoldTable: code point -> folded str */
static PyObject *fallback = NULL;    /* the offset-tracking path's text, for split runs */

#define BMP 0x10000
enum { FOLD_UNKNOWN = 0, FOLD_ONE, FOLD_NONE, FOLD_MANY };
static unsigned char fold_kind[BMP];
static Py_UCS4 fold_one[BMP];
static PyObject *fold_many[BMP];
static unsigned char fold_decimal[BMP]; /* whether the folding holds a decimal digit */

/* token filter: (length, first, last) of every spelling variant and connector (all ASCII) */
#define FILTER_LEN 16
static unsigned char token_filter[FILTER_LEN][128][128];
static Py_ssize_t token_max_len = 0;

/* ---- character classes, as Python's re and str methods see them ---------------------- */

static inline int is_upper_class(Py_UCS4 c) { /* [A-ZА-ЯЀ-ЏΑ-Ω] */
    return (c >= 'A' && c <= 'Z') || (c >= 0x0410 && c <= 0x042F) ||
           (c >= 0x0400 && c <= 0x040F) || (c >= 0x0391 && c <= 0x03A9);
}

static inline int is_lower_class(Py_UCS4 c) { /* [a-zа-яѐ-џα-ωß] */
    return (c >= 'a' && c <= 'z') || (c >= 0x0430 && c <= 0x044F) ||
           (c >= 0x0450 && c <= 0x045F) || (c >= 0x03B1 && c <= 0x03C9) || c == 0x00DF;
}

/* Two marks beyond Unicode, in the buffer between the first steps and the folding: a space
   that a camel-case split inserted, and the apostrophe of a possessive 's turned space. Until
   folded they read as whitespace; folding turns each into a space and tells what kind of gap
   it makes between two words (gap kinds, below). */
#define MARK_SPLIT ((Py_UCS4)0x110000)
#define MARK_POSSESSIVE ((Py_UCS4)0x110001)

/* Python's str predicates for each code point of the BMP, read once at import: the same answers
   as the Py_UNICODE_IS* macros (which the code points beyond the BMP still call). */
enum { C_ALNUM = 1, C_DECIMAL = 2, C_ALPHA = 4, C_LOWER_DIFFERS = 8, C_SPACE = 16 };
/* Beyond Python's predicates: an apostrophe, '@' or '$' (what apostrophes_and_symbols reads). */
enum { C_MARK = 32 };
static unsigned char char_class[BMP];

static unsigned char class_of_slow(Py_UCS4 c) {
    return (unsigned char)((Py_UNICODE_ISALNUM(c) ? C_ALNUM : 0) |
                           (Py_UNICODE_ISDECIMAL(c) ? C_DECIMAL : 0) |
                           (Py_UNICODE_ISALPHA(c) ? C_ALPHA : 0) |
                           (Py_UNICODE_TOLOWER(c) != c ? C_LOWER_DIFFERS : 0) |
                           (Py_UNICODE_ISSPACE(c) ? C_SPACE : 0) |
                           (c == '\'' || c == 0x2019 || c == 0x02BC || c == '`' || c == '@' ||
                                    c == '$'
                                ? C_MARK
                                : 0));
}

static void init_classes(void) {
    for (Py_UCS4 c = 0; c < BMP; c++) char_class[c] = class_of_slow(c);
}

static inline unsigned char class_of(Py_UCS4 c) {
    if (c >= MARK_SPLIT) return C_SPACE;
    return c < BMP ? char_class[c] : class_of_slow(c);
}

static inline int is_alnum(Py_UCS4 c) { return class_of(c) & C_ALNUM; }

static inline int is_decimal(Py_UCS4 c) { return class_of(c) & C_DECIMAL; }

static inline int is_letter(Py_UCS4 c) { /* [^\W\d_] */
    return c != '_' && (class_of(c) & (C_ALNUM | C_DECIMAL)) == C_ALNUM;
}

static inline int is_apostrophe(Py_UCS4 c) {
    return c == '\'' || c == 0x2019 || c == 0x02BC || c == '`';
}

/* ---- folding ---------------------------------------------------------------------------- */

static PyObject *fold_lookup(Py_UCS4 c) { /* new reference to the folded str, or NULL */
    PyObject *key = PyLong_FromUnsignedLong(c);
    if (key == NULL) return NULL;
    PyObject *value = PyObject_GetItem(match_table, key);
    Py_DECREF(key);
    if (value != NULL && !PyUnicode_Check(value)) {
        Py_DECREF(value);
        PyErr_SetString(PyExc_TypeError, "the fold table must map code points to str");
        return NULL;
    }
    return value;
}

static int push_str(Buf *b, PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    if (buf_grow(b, n) < 0) return -1;
    for (Py_ssize_t i = 0; i < n; i++) b->data[b->len++] = PyUnicode_READ(kind, data, i);
    return 0;
}

/* Look up and cache the folding of a BMP code point; -1 on error. */
static int cache_fold(Py_UCS4 c) {
    PyObject *folded = fold_lookup(c);
    if (folded == NULL) return -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(folded);
    fold_decimal[c] = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (is_decimal(PyUnicode_READ_CHAR(folded, i))) fold_decimal[c] = 1;
    if (n == 0) {
        fold_kind[c] = FOLD_NONE;
    } else if (n == 1) {
        fold_kind[c] = FOLD_ONE;
        fold_one[c] = PyUnicode_READ_CHAR(folded, 0);
    } else {
        fold_kind[c] = FOLD_MANY;
        Py_INCREF(folded);
        fold_many[c] = folded;
    }
    Py_DECREF(folded);
    return 0;
}

static int push_folded(Buf *b, Py_UCS4 c) {
    if (c < BMP) {
        if (fold_kind[c] == FOLD_UNKNOWN && cache_fold(c) < 0) return -1;
        switch (fold_kind[c]) {
        case FOLD_ONE:
            return buf_push(b, fold_one[c]);
        case FOLD_NONE:
            return 0;
        default:
            return push_str(b, fold_many[c]);
        }
    }
    PyObject *folded = fold_lookup(c);
    if (folded == NULL) return -1;
    int rc = push_str(b, folded);
    Py_DECREF(folded);
    return rc;
}

/* 1 if the code point folds to nothing (a zero-width character, a combining mark...), 0 if
   not, -1 on error. */
static int folds_to_nothing(Py_UCS4 c) {
    if (c >= MARK_SPLIT) return 0;
    if (c < BMP) {
        if (fold_kind[c] == FOLD_UNKNOWN && cache_fold(c) < 0) return -1;
        return fold_kind[c] == FOLD_NONE;
    }
    PyObject *folded = fold_lookup(c);
    if (folded == NULL) return -1;
    int none = PyUnicode_GET_LENGTH(folded) == 0;
    Py_DECREF(folded);
    return none;
}

/* ---- tokens ------------------------------------------------------------------------------ */

typedef struct {
    Py_ssize_t start, len;
    PyObject *replacement; /* new reference, or NULL */
    int connector;
} Token;

#define TOKENS_ON_STACK 256

/* The space-separated words of `s` as tokens, in `local` while they fit, then in memory
   allocated here (free_tokens frees it). */
static int tokenise(const Buf *s, Token *local, Token **out, Py_ssize_t *count) {
    Token *tokens = local;
    Py_ssize_t cap = TOKENS_ON_STACK, k = 0, start = 0;
    const Py_UCS4 *d = s->data;
    Py_ssize_t n = s->len;
    *out = local;
    *count = 0;
    if (n == 0) return 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (i < n && d[i] != ' ') continue;
        if (k == cap) {
            Token *grown = PyMem_Malloc(sizeof(Token) * (size_t)(2 * cap));
            if (grown == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            memcpy(grown, tokens, sizeof(Token) * (size_t)k);
            if (tokens != local) PyMem_Free(tokens);
            *out = tokens = grown;
            cap *= 2;
        }
        tokens[k].start = start;
        tokens[k].len = i - start;
        tokens[k].replacement = NULL;
        tokens[k].connector = 0;
        *count = ++k;
        start = i + 1;
    }
    return 0;
}

static void free_tokens(Token *tokens, const Token *local, Py_ssize_t count) {
    for (Py_ssize_t i = 0; i < count; i++) Py_XDECREF(tokens[i].replacement);
    if (tokens != local) PyMem_Free(tokens);
}

/* Whether the word could be a spelling variant or a connector (all are short ASCII words). */
static int maybe_listed(const Py_UCS4 *data, Py_ssize_t len) {
    if (len <= 0 || len > token_max_len || len >= FILTER_LEN) return 0;
    Py_UCS4 first = data[0], last = data[len - 1];
    if (first >= 128 || last >= 128 || !token_filter[len][first][last]) return 0;
    for (Py_ssize_t i = 0; i < len; i++)
        if (data[i] >= 128) return 0;
    return 1;
}

/* The spelling variants and connectors, in an open-addressing table keyed by their ASCII
   letters (configure() fills it from the Python dict and set): looked up without making a str. */
typedef struct {
    unsigned char len; /* 0: an empty slot */
    char word[FILTER_LEN];
    PyObject *spelling; /* the canonical spelling (owned), or NULL */
    int connector;
} Listed;
static Listed *listed = NULL;
static Py_ssize_t listed_mask = 0;

static uint64_t listed_hash(const Py_UCS4 *data, Py_ssize_t len) {
    uint64_t h = 1469598103934665603ULL;
    for (Py_ssize_t i = 0; i < len; i++) h = (h ^ data[i]) * 1099511628211ULL;
    return h;
}

/* The table's entry for the word, or NULL. */
static const Listed *find_listed(const Py_UCS4 *data, Py_ssize_t len) {
    if (!maybe_listed(data, len)) return NULL;
    Py_ssize_t i = (Py_ssize_t)(listed_hash(data, len) & (uint64_t)listed_mask);
    for (; listed[i].len; i = (i + 1) & listed_mask) {
        if (listed[i].len != len) continue;
        Py_ssize_t k = 0;
        while (k < len && (Py_UCS4)(unsigned char)listed[i].word[k] == data[k]) k++;
        if (k == len) return &listed[i];
    }
    return NULL;
}

/* The slot for an ASCII str of 1..FILTER_LEN-1 letters (configure() has checked it). */
static Listed *listed_slot(PyObject *key) {
    Py_UCS4 word[FILTER_LEN];
    Py_ssize_t len = PyUnicode_GET_LENGTH(key);
    for (Py_ssize_t k = 0; k < len; k++) word[k] = PyUnicode_READ_CHAR(key, k);
    Py_ssize_t i = (Py_ssize_t)(listed_hash(word, len) & (uint64_t)listed_mask);
    for (; listed[i].len; i = (i + 1) & listed_mask) {
        if (listed[i].len == len && memcmp(listed[i].word, PyUnicode_DATA(key), (size_t)len) == 0)
            return &listed[i];
    }
    listed[i].len = (unsigned char)len;
    memcpy(listed[i].word, PyUnicode_DATA(key), (size_t)len);
    return &listed[i];
}

static void free_listed(void) {
    if (listed == NULL) return;
    for (Py_ssize_t i = 0; i <= listed_mask; i++) Py_CLEAR(listed[i].spelling);
    PyMem_Free(listed);
    listed = NULL;
    listed_mask = 0;
}

/* The word's canonical spelling (a new reference), or NULL (never an error). */
static PyObject *spelling_of(const Py_UCS4 *data, Py_ssize_t len) {
    const Listed *entry = find_listed(data, len);
    if (entry == NULL || entry->spelling == NULL) return NULL;
    Py_INCREF(entry->spelling);
    return entry->spelling;
}

/* 1 if the word is an izafat connector, else 0. */
static int is_connector(const Py_UCS4 *data, Py_ssize_t len) {
    const Listed *entry = find_listed(data, len);
    return entry != NULL && entry->connector;
}

/* Look the token up among the spelling variants and connectors. */
static void classify(const Buf *s, Token *t) {
    const Listed *entry = find_listed(s->data + t->start, t->len);
    if (entry == NULL) return;
    if (entry->spelling != NULL) {
        Py_INCREF(entry->spelling);
        t->replacement = entry->spelling;
    } else {
        t->connector = entry->connector;
    }
}

/* normaliser._single_kind: 1 for one letter a-z, 2 for one Arabic-script letter, else 0. */
static inline int single_kind(const Py_UCS4 *data, Py_ssize_t len) {
    if (len != 1) return 0;
    Py_UCS4 c = data[0];
    if (c >= 'a' && c <= 'z') return 1;
    return (c >= 0x0620 && c <= 0x06FF && (char_class[c] & C_ALPHA)) ? 2 : 0;
}

/* normaliser._has_adjacent_singles: a run of two single Latin letters or of three single
   Arabic-script letters among the tokens of the space-separated buffer. */
static int adjacent_singles(const Buf *s) {
    int kind = 0, run = 0;
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 0; i <= s->len; i++) {
        if (i == s->len || s->data[i] == ' ') {
            int this = single_kind(s->data + start, i - start);
            run = (this && this == kind) ? run + 1 : 1;
            kind = this;
            if (kind && run >= (kind == 1 ? 2 : 3)) return 1;
            start = i + 1;
        }
    }
    return 0;
}

/* adjacent_singles over the tokens of a buffer that tokenise() split. */
static int adjacent_single_tokens(const Buf *s, const Token *tokens, Py_ssize_t count) {
    int kind = 0, run = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        int this = single_kind(s->data + tokens[k].start, tokens[k].len);
        run = (this && this == kind) ? run + 1 : 1;
        kind = this;
        if (kind && run >= (kind == 1 ? 2 : 3)) return 1;
    }
    return 0;
}

/* The tokens with replacements applied, connectors dropped or kept, single spaces. */
static int apply_edits(const Buf *s, const Token *tokens, Py_ssize_t count, int drop, Buf *out) {
    for (Py_ssize_t k = 0; k < count; k++) {
        const Token *t = &tokens[k];
        if (drop && t->connector) continue;
        if (t->len == 0) continue;
        if (out->len && buf_push(out, ' ') < 0) return -1;
        Py_ssize_t at = out->len;
        if (out->from != NULL && at) /* a space's span is never read: spans cover words */
            origin_set(out, at - 1, s->from[t->start], s->from[t->start]);
        if (t->replacement != NULL) {
            if (push_str(out, t->replacement) < 0) return -1;
            if (out->from != NULL)
                origin_fill(out, at, s->from[t->start], s->to[t->start + t->len - 1]);
        } else {
            if (buf_grow(out, t->len) < 0) return -1;
            memcpy(out->data + at, s->data + t->start, sizeof(Py_UCS4) * (size_t)t->len);
            if (out->from != NULL) {
                memcpy(out->from + at, s->from + t->start, sizeof(Py_ssize_t) * (size_t)t->len);
                memcpy(out->to + at, s->to + t->start, sizeof(Py_ssize_t) * (size_t)t->len);
            }
            out->len += t->len;
        }
    }
    return 0;
}

static PyObject *to_str(const Buf *b) {
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b->data, b->len);
}

/* Runs of three or more of one letter to one, in d[0:n]; the new length. */
static Py_ssize_t collapse_letter_runs(Py_UCS4 *d, Py_ssize_t *from, Py_ssize_t *to,
                                       Py_ssize_t n);

/* normaliser._finish_text: join each run of single letters of one script (two or more Latin
   ones, three or more Arabic-script ones), the joined letters' runs collapsed and its spelling
   variant folded; then drop the izafat connectors; again while any was dropped. Tokens are
   (start, length) ranges of `store`, to which joined tokens are appended: a token is never split
   again, as in Python, where it stays one list item. */
static PyObject *finish(const Buf *b) {
    PyObject *result = NULL;
    Buf store;
    store.data = NULL;
    Py_ssize_t n = 1;
    for (Py_ssize_t i = 0; i < b->len; i++)
        if (b->data[i] == ' ') n++;
    Py_ssize_t *starts = PyMem_Malloc(sizeof(Py_ssize_t) * 4 * (size_t)n);
    if (starts == NULL) return PyErr_NoMemory();
    Py_ssize_t *lens = starts + n, *next_starts = starts + 2 * n, *next_lens = starts + 3 * n;
    if (buf_init(&store, b->len + 16) < 0) goto done;
    memcpy(store.data, b->data, sizeof(Py_UCS4) * (size_t)b->len);
    store.len = b->len;
    Py_ssize_t count = 0, begin = 0;
    for (Py_ssize_t i = 0; i <= b->len; i++) {
        if (i == b->len || b->data[i] == ' ') {
            if (i > begin) {
                starts[count] = begin;
                lens[count] = i - begin;
                count++;
            }
            begin = i + 1;
        }
    }
    for (;;) {
        Py_ssize_t joined = 0;
        for (Py_ssize_t i = 0; i < count;) {
            int kind = single_kind(store.data + starts[i], lens[i]);
            Py_ssize_t j = i + 1;
            while (kind && j < count && single_kind(store.data + starts[j], lens[j]) == kind) j++;
            if (!kind || j - i < (kind == 1 ? 2 : 3)) {
                for (; i < j; i++) {
                    next_starts[joined] = starts[i];
                    next_lens[joined++] = lens[i];
                }
                continue;
            }
            if (buf_grow(&store, j - i) < 0) goto done;
            Py_ssize_t at = store.len;
            for (Py_ssize_t k = i; k < j; k++) store.data[at + k - i] = store.data[starts[k]];
            Py_ssize_t len = collapse_letter_runs(store.data + at, NULL, NULL, j - i);
            PyObject *spelled = spelling_of(store.data + at, len);
            if (spelled != NULL) {
                Py_ssize_t slen = PyUnicode_GET_LENGTH(spelled);
                if (buf_grow(&store, slen) < 0) {
                    Py_DECREF(spelled);
                    goto done;
                }
                for (Py_ssize_t k = 0; k < slen; k++)
                    store.data[at + k] = PyUnicode_READ_CHAR(spelled, k);
                len = slen;
                Py_DECREF(spelled);
            }
            store.len = at + len;
            next_starts[joined] = at;
            next_lens[joined++] = len;
            i = j;
        }
        Py_ssize_t kept = 0;
        for (Py_ssize_t k = 0; k < joined; k++) {
            if (is_connector(store.data + next_starts[k], next_lens[k])) continue;
            starts[kept] = next_starts[k];
            lens[kept++] = next_lens[k];
        }
        if (kept == joined) {
            count = kept;
            break;
        }
        count = kept;
    }
    Buf out;
    if (buf_init(&out, b->len + 16) < 0) goto done;
    for (Py_ssize_t k = 0; k < count; k++) {
        if ((k && buf_push(&out, ' ') < 0) || buf_grow(&out, lens[k]) < 0) {
            buf_free(&out);
            goto done;
        }
        memcpy(out.data + out.len, store.data + starts[k], sizeof(Py_UCS4) * (size_t)lens[k]);
        out.len += lens[k];
    }
    result = to_str(&out);
    buf_free(&out);
done:
    PyMem_Free(starts);
    buf_free(&store);
    return result;
}

/* ---- the steps ---------------------------------------------------------------------------- */

/* Whether the camel-case split (the Python _CAMEL pattern) puts a space before d[p]. */
static inline int camel_split_at(const Py_UCS4 *d, Py_ssize_t p, Py_ssize_t n) {
    Py_UCS4 c0 = d[p];
    if (p == 0 || !is_upper_class(c0)) return 0;
    Py_UCS4 prev = d[p - 1];
    Py_UCS4 c1 = p + 1 < n ? d[p + 1] : 0;
    Py_UCS4 c2 = p + 2 < n ? d[p + 2] : 0;
    if (is_lower_class(prev) && p + 1 < n &&
        ((p + 2 < n && is_lower_class(c1) && is_lower_class(c2)) || is_upper_class(c1)))
        return 1;
    return is_upper_class(prev) && p + 2 < n && is_lower_class(c1) && is_lower_class(c2);
}

/* The text's code points in `out`, in one pass per kind of str; the classes of all of them
   or'ed together in *seen. */
#define WIDEN(T)                                                                               \
    do {                                                                                       \
        const T *src = (const T *)data;                                                        \
        for (Py_ssize_t i = 0; i < n; i++) {                                                   \
            Py_UCS4 c = src[i];                                                                \
            d[i] = c;                                                                          \
            acc |= sizeof(T) < 4 ? char_class[c] : class_of(c);                                \
        }                                                                                      \
    } while (0)

/* The text as written, with MARK_SPLIT where the camel-case split puts a space (only where
   lower-casing changes the text: otherwise nothing is split); *marks set to whether the text
   holds an apostrophe, '@' or '$'. */
static int widen_and_split(PyObject *text, Buf *out, int *marks) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (buf_grow(out, n) < 0) return -1;
    Py_UCS4 *d = out->data;
    unsigned char acc = 0;
    if (kind == PyUnicode_1BYTE_KIND)
        WIDEN(Py_UCS1);
    else if (kind == PyUnicode_2BYTE_KIND)
        WIDEN(Py_UCS2);
    else
        WIDEN(Py_UCS4);
    out->len = n;
    if (out->from != NULL)
        for (Py_ssize_t i = 0; i < n; i++) origin_set(out, i, i, i + 1);
    *marks = (acc & C_MARK) != 0;
    if (!(acc & C_LOWER_DIFFERS)) return 0;
    Py_ssize_t first = 1;
    while (first < n && !camel_split_at(d, first, n)) first++;
    if (first >= n) return 0;
    /* a split: read the rest from a copy, writing the marks in */
    Py_UCS4 *copy = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)n);
    if (copy == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(copy, d, sizeof(Py_UCS4) * (size_t)n);
    out->len = first;
    for (Py_ssize_t p = first; p < n; p++) {
        if (camel_split_at(copy, p, n)) {
            if (buf_push(out, MARK_SPLIT) < 0) {
                PyMem_Free(copy);
                return -1;
            }
            if (out->from != NULL) origin_set(out, out->len - 1, p, p);
        }
        if (buf_push(out, copy[p]) < 0) {
            PyMem_Free(copy);
            return -1;
        }
        if (out->from != NULL) origin_set(out, out->len - 1, p, p + 1);
    }
    PyMem_Free(copy);
    return 0;
}

/* normaliser._possessives: whether the apostrophe at i (between letters) splits off the
   possessive 's of a lone letter. Looks through characters that fold to nothing on both sides.
   1, 0, or -1 on error. */
static int possessive_at(const Py_UCS4 *d, Py_ssize_t i, Py_ssize_t n) {
    if (d[i + 1] != 's' && d[i + 1] != 'S') return 0;
    Py_ssize_t before = i - 2;
    for (; before >= 0; before--) {
        int none = folds_to_nothing(d[before]);
        if (none < 0) return -1;
        if (!none) break;
    }
    if (before >= 0) {
        Py_UCS4 c = d[before];
        if (!(class_of(c) & C_SPACE) && c != '.' && c != '-' && c != '_' && c != 0x00B7 &&
            c != 0x2022 && c != '*')
            return 0;
    }
    Py_ssize_t after = i + 2;
    for (; after < n; after++) {
        int none = folds_to_nothing(d[after]);
        if (none < 0) return -1;
        if (!none) break;
    }
    return after == n || !is_alnum(d[after]);
}

/* Apostrophes between letters dropped, except the possessive 's of a lone letter ("S.S.P's"),
   whose apostrophe becomes a space; then @ and $ between letters or digits read as a, s. Each
   apostrophe is decided on the text as it was before any was dropped. */
static int apostrophes_and_symbols(Buf *b) {
    Py_ssize_t w = 0, n = b->len;
    Py_UCS4 *d = b->data;
    int any = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (is_apostrophe(d[i])) any = 1;
    if (any) {
        /* 0: keep, 1: drop, 2: a space */
        unsigned char *fate = PyMem_Calloc((size_t)n, 1);
        if (fate == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (Py_ssize_t i = 1; i + 1 < n; i++) {
            if (!is_apostrophe(d[i]) || !is_letter(d[i - 1]) || !is_letter(d[i + 1])) continue;
            int possessive = possessive_at(d, i, n);
            if (possessive < 0) {
                PyMem_Free(fate);
                return -1;
            }
            fate[i] = possessive ? 2 : 1;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            if (fate[i] == 1) continue;
            if (b->from != NULL) origin_set(b, w, b->from[i], b->to[i]);
            d[w++] = fate[i] == 2 ? MARK_POSSESSIVE : d[i];
        }
        PyMem_Free(fate);
        b->len = n = w;
    }
    Py_ssize_t last = n - 1;
    /* decided on the text before replacement: a replaced symbol is a letter, and a symbol
       beside it is decided on the symbol, so look at the original neighbours */
    Py_UCS4 prev = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = d[i];
        if ((c == '@' || c == '$') && 0 < i && i < last && is_alnum(prev) && is_alnum(d[i + 1]))
            d[i] = c == '@' ? 'a' : 's';
        prev = c;
    }
    return 0;
}

/* Gap kinds: what stood between two words in the original text, as the offset-tracking path
   reads it (normaliser._gap_kind): whitespace is loose; nothing at all (a camel-case split, or
   a character whose folding mixes letters and spaces, "⒜" or "¼", which belongs to the words
   it makes) is empty, which reads as loose; only the apostrophe of a possessive 's (or
   apostrophes) is joined; anything else folded to spaces ("T.T.P", "B-L-A") is tight. */
enum { GAP_NONE = 0, GAP_JOINED = 1, GAP_TIGHT = 2, GAP_LOOSE = 3, GAP_EMPTY = 4 };

#define GAPS_ON_STACK 512

typedef struct {
    unsigned char *kind; /* kind[k]: the gap between word k and word k + 1 */
    Py_ssize_t len, cap;
    unsigned char local[GAPS_ON_STACK]; /* kind's first home: most posts need no more */
} Gaps;

static void gaps_init(Gaps *g) {
    g->kind = g->local;
    g->len = 0;
    g->cap = GAPS_ON_STACK;
}

static void gaps_free(Gaps *g) {
    if (g->kind != g->local) PyMem_Free(g->kind);
}

static int gaps_grow(Gaps *g) {
    Py_ssize_t cap = 2 * g->cap;
    unsigned char *grown = PyMem_Malloc((size_t)cap);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(grown, g->kind, (size_t)g->len);
    gaps_free(g);
    g->kind = grown;
    g->cap = cap;
    return 0;
}

static inline int gaps_push(Gaps *g, unsigned char kind) {
    if (g->len == g->cap && gaps_grow(g) < 0) return -1;
    g->kind[g->len++] = kind;
    return 0;
}

/* What a character that folds to spaces only adds to the gap it stands in. */
static inline unsigned char gap_added(Py_UCS4 c) {
    if (c == MARK_POSSESSIVE || is_apostrophe(c)) return GAP_JOINED;
    return (class_of(c) & C_SPACE) ? GAP_LOOSE : GAP_TIGHT;
}

/* Fold every character, spaces collapsed and stripped; the kind of each gap between words in
   `gaps`; *decimal set to whether the folded text holds a decimal digit. */
static int fold_all(const Buf *in, Buf *out, Gaps *gaps, int *decimal) {
    if (buf_grow(out, in->len) < 0) return -1;
    unsigned char pending = GAP_NONE; /* the open gap's kind so far */
    unsigned char digits = 0;
    const Py_UCS4 *src = in->data;
    Py_ssize_t n = in->len;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = src[i];
        if (c < BMP) {
            unsigned char fk = fold_kind[c];
            if (fk == FOLD_UNKNOWN) {
                if (cache_fold(c) < 0) return -1;
                fk = fold_kind[c];
            }
            if (fk == FOLD_NONE) continue;
            if (fk == FOLD_ONE) { /* the common case, without a second loop */
                /* capacity for one character per input character was reserved above, and
                   only the slow path below can write more */
                Py_UCS4 f = fold_one[c];
                Py_UCS4 *o = out->data;
                Py_ssize_t w = out->len;
                Py_UCS4 last = w ? o[w - 1] : 0;
                if (f == ' ') {
                    if (w == 0) continue;
                    if (last != ' ') {
                        pending = GAP_NONE;
                        if (buf_push(out, ' ') < 0) return -1;
                        if (out->from != NULL) origin_set(out, w, in->from[i], in->to[i]);
                    }
                    unsigned char adds = gap_added(c);
                    if (adds > pending) pending = adds;
                    continue;
                }
                if (last == ' ' && gaps_push(gaps, pending == GAP_NONE ? GAP_EMPTY : pending) < 0)
                    return -1;
                if (buf_push(out, f) < 0) return -1;
                if (out->from != NULL) origin_set(out, w, in->from[i], in->to[i]);
                digits |= fold_decimal[c];
                continue;
            }
        }
        Py_ssize_t before = out->len;
        if (c >= MARK_SPLIT) {
            if (buf_push(out, ' ') < 0) return -1; /* then read as a space */
        } else if (push_folded(out, c) < 0) {
            return -1;
        }
        for (Py_ssize_t j = before; j < out->len; j++) digits |= is_decimal(out->data[j]) != 0;
        if (out->from != NULL) origin_fill(out, before, in->from[i], in->to[i]);
        /* what the character adds to a gap, when all it folds to is spaces */
        unsigned char adds = GAP_NONE;
        int all_spaces = out->len > before;
        for (Py_ssize_t j = before; j < out->len && all_spaces; j++)
            all_spaces = out->data[j] == ' ';
        if (all_spaces && c != MARK_SPLIT) adds = gap_added(c);
        /* collapse spaces as we go: drop a space at the start or after a space */
        Py_ssize_t w = before;
        for (Py_ssize_t j = before; j < out->len; j++) {
            Py_UCS4 ch = out->data[j];
            if (ch == ' ') {
                if (w == 0) continue;
                if (out->data[w - 1] != ' ') {
                    pending = GAP_NONE;
                    out->data[w++] = ' ';
                }
                if (adds > pending) pending = adds;
                continue;
            }
            if (w > 0 && out->data[w - 1] == ' ' &&
                gaps_push(gaps, pending == GAP_NONE ? GAP_EMPTY : pending) < 0)
                return -1;
            out->data[w++] = ch;
        }
        out->len = w;
    }
    if (out->len && out->data[out->len - 1] == ' ') out->len--;
    *decimal = digits;
    return 0;
}

/* Whether a run of words that are single letters or connectors (which, dropped, let letters
   meet) may have both a tight gap and a loose one: only there may the offset-tracking path
   split a run of single letters (normaliser._join_singles), so only there is it needed. Once a
   connector is dropped, the gap across it holds the connector's letters: tight, unless
   whitespace stood on either side; so an empty or joined gap beside a connector may be
   tight, and a joined gap is taken as tight anywhere. */
static int mixed_run(const Buf *s, const Token *tokens, Py_ssize_t count, const Gaps *gaps) {
    int tight = 0, loose = 0;
    for (Py_ssize_t k = 0; k + 1 < count; k++) {
        const Token *a = &tokens[k], *b = &tokens[k + 1];
        int single_a = single_kind(s->data + a->start, a->len) != 0;
        int single_b = single_kind(s->data + b->start, b->len) != 0;
        if (!((single_a || a->connector) && (single_b || b->connector))) {
            tight = loose = 0;
            continue;
        }
        unsigned char kind = k < gaps->len ? gaps->kind[k] : GAP_EMPTY;
        tight |= kind == GAP_TIGHT || kind == GAP_JOINED ||
                 (kind == GAP_EMPTY && (a->connector || b->connector));
        loose |= kind == GAP_LOOSE || kind == GAP_EMPTY;
        if (tight && loose) return 1;
    }
    return 0;
}

static const char LEET_FROM[] = "013457890";
static const char LEET_TO[] = "oieastbgo";

/* Tokens mixing digits and a-z letters: digits read as letters (leetspeak). */
static void leet_tokens(Buf *s) {
    Py_ssize_t start = 0;
    int digit = 0, latin = 0;
    for (Py_ssize_t i = 0; i <= s->len; i++) {
        if (i < s->len) {
            Py_UCS4 c = s->data[i];
            unsigned char cls = class_of(c);
            if (cls & C_ALNUM) {
                digit |= (cls & C_DECIMAL) != 0;
                latin |= c >= 'a' && c <= 'z';
                continue;
            }
        }
        if (digit && latin) {
            for (Py_ssize_t j = start; j < i; j++) {
                Py_UCS4 c = s->data[j];
                if (c < 128 && c != 0) {
                    const char *at = strchr(LEET_FROM, (int)c);
                    if (at != NULL) s->data[j] = (Py_UCS4)LEET_TO[at - LEET_FROM];
                }
            }
        }
        digit = latin = 0;
        start = i + 1;
    }
}

/* Runs of three or more of one letter to one, in d[0:n] (and, where from is not NULL, their
   original spans: a collapsed run's from its first letter to its last); the new length. */
static Py_ssize_t collapse_letter_runs(Py_UCS4 *d, Py_ssize_t *from, Py_ssize_t *to,
                                       Py_ssize_t n) {
    Py_ssize_t first = 2; /* the first run of three: before it, nothing moves */
    while (first < n && !(d[first] == d[first - 1] && d[first] == d[first - 2])) first++;
    if (first >= n) return n;
    Py_ssize_t w = first - 2, i = first - 2;
    while (i < n) {
        Py_UCS4 c = d[i];
        Py_ssize_t j = i + 1;
        while (j < n && d[j] == c) j++;
        if (j - i >= 3 && is_letter(c)) {
            if (from != NULL) {
                from[w] = from[i];
                to[w] = to[j - 1];
            }
            d[w++] = c;
        } else {
            for (Py_ssize_t k = i; k < j; k++) {
                if (from != NULL) {
                    from[w] = from[k];
                    to[w] = to[k];
                }
                d[w++] = c;
            }
        }
        i = j;
    }
    return w;
}

static void collapse_runs(Buf *s) { s->len = collapse_letter_runs(s->data, s->from, s->to, s->len); }


/* What the steps before the finishing of single letters left to do. */
typedef enum {
    OUT_S,             /* the text is `s` */
    OUT_EDITED,        /* the text is `edited` */
    OUT_FINISH_S,      /* finish(s) */
    OUT_FINISH_EDITED, /* finish(edited) */
    OUT_FALLBACK,      /* the offset-tracking path, on the text */
} Outcome;

/* The buffers and tokens of one normalisation. */
typedef struct {
    Buf a, s, edited;
    Gaps gaps;
    Token local_tokens[TOKENS_ON_STACK];
    Token *tokens;
    Py_ssize_t count;
} Work;

static void work_init(Work *w) {
    buf_unset(&w->a);
    buf_unset(&w->s);
    buf_unset(&w->edited);
    gaps_init(&w->gaps);
    w->tokens = NULL;
    w->count = 0;
}

static void work_free(Work *w) {
    if (w->tokens != NULL) free_tokens(w->tokens, w->local_tokens, w->count);
    buf_free(&w->a);
    buf_free(&w->s);
    buf_free(&w->edited);
    gaps_free(&w->gaps);
}

static int buf_start(Buf *b, Py_ssize_t cap, int track) {
    if (buf_init(b, cap) < 0) return -1;
    return track ? buf_track(b) : 0;
}

/* Every step up to the finishing of single letters; with `track`, each code point's original
   span beside it. The outcome, or -1 on error. */
static int run_steps(PyObject *text, Work *w, int track) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int marks = 0, decimal = 0;
    if (buf_start(&w->a, n + n / 4 + 8, track) < 0) return -1;
    if (widen_and_split(text, &w->a, &marks) < 0) return -1;
    if (marks && apostrophes_and_symbols(&w->a) < 0) return -1;
    if (buf_start(&w->s, w->a.len + 8, track) < 0) return -1;
    if (fold_all(&w->a, &w->s, &w->gaps, &decimal) < 0) return -1;
    if (decimal) leet_tokens(&w->s);
    collapse_runs(&w->s);

    Buf *s = &w->s;
    if (tokenise(s, w->local_tokens, &w->tokens, &w->count) < 0) return -1;
    Token *tokens = w->tokens;
    Py_ssize_t count = w->count;
    int edits = 0, connector = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        classify(s, &tokens[k]);
        edits |= tokens[k].replacement != NULL || tokens[k].connector;
        connector |= tokens[k].connector;
    }
    int singles = adjacent_single_tokens(s, tokens, count);
    int mixed = (singles || connector) && mixed_run(s, tokens, count, &w->gaps);
    if (!edits) return singles ? (mixed ? OUT_FALLBACK : OUT_FINISH_S) : OUT_S;
    if (buf_start(&w->edited, s->len + 8, track) < 0) return -1;
    if (singles) {
        if (apply_edits(s, tokens, count, 0, &w->edited) < 0) return -1;
        return mixed ? OUT_FALLBACK : OUT_FINISH_EDITED;
    }
    if (apply_edits(s, tokens, count, 1, &w->edited) < 0) return -1;
    if (connector && adjacent_singles(&w->edited)) {
        w->edited.len = 0;
        if (apply_edits(s, tokens, count, 0, &w->edited) < 0) return -1;
        return mixed ? OUT_FALLBACK : OUT_FINISH_EDITED;
    }
    return OUT_EDITED;
}

static int check_ready(PyObject *text, const char *name) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "%s() takes a str", name);
        return -1;
    }
    if (match_table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the fast normaliser is not configured");
        return -1;
    }
    return 0;
}

static PyObject *normalise_aggressive(PyObject *module, PyObject *text) {
    if (check_ready(text, "normalise_aggressive") < 0) return NULL;
    Work w;
    work_init(&w);
    PyObject *result = NULL;
    switch (run_steps(text, &w, 0)) {
    case OUT_S:
        result = to_str(&w.s);
        break;
    case OUT_EDITED:
        result = to_str(&w.edited);
        break;
    case OUT_FINISH_S:
        result = finish(&w.s);
        break;
    case OUT_FINISH_EDITED:
        result = finish(&w.edited);
        break;
    case OUT_FALLBACK:
        result = PyObject_CallOneArg(fallback, text);
        break;
    default: /* an error is set */
        break;
    }
    work_free(&w);
    return result;
}

/* The original spans of ranges of the normalised text, from the tracked buffer `b` (which
   holds that text), as the offset map of normaliser.normalise gives them: None unless `b`
   holds exactly `normalised` and each range begins and ends on a letter. */
static PyObject *spans_of(const Buf *b, PyObject *normalised, PyObject *ranges) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(normalised);
    int kind = PyUnicode_KIND(normalised);
    const void *data = PyUnicode_DATA(normalised);
    if (n != b->len) Py_RETURN_NONE;
    for (Py_ssize_t k = 0; k < n; k++)
        if (PyUnicode_READ(kind, data, k) != b->data[k]) Py_RETURN_NONE;
    PyObject *seq = PySequence_Fast(ranges, "ranges must be a sequence of (start, end)");
    if (seq == NULL) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(count);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t start, end;
        PyObject *pair = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyArg_ParseTuple(pair, "nn", &start, &end)) goto fail;
        if (!(0 <= start && start < end && end <= n) || b->data[start] == ' ' ||
            b->data[end - 1] == ' ') {
            Py_DECREF(out);
            Py_DECREF(seq);
            Py_RETURN_NONE; /* a range outside, or at a space: the Python path decides */
        }
        Py_ssize_t from = b->from[start], to = b->to[end - 1];
        PyObject *span = Py_BuildValue("(nn)", from, to > from ? to : from);
        if (span == NULL) goto fail;
        PyList_SET_ITEM(out, i, span);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(out);
    Py_DECREF(seq);
    return NULL;
}

static PyObject *original_spans(PyObject *module, PyObject *args) {
    PyObject *text, *normalised, *ranges;
    if (!PyArg_ParseTuple(args, "UUO:original_spans", &text, &normalised, &ranges)) return NULL;
    if (check_ready(text, "original_spans") < 0) return NULL;
    Work w;
    work_init(&w);
    PyObject *result = NULL;
    switch (run_steps(text, &w, 1)) {
    case OUT_S:
        result = spans_of(&w.s, normalised, ranges);
        break;
    case OUT_EDITED:
        result = spans_of(&w.edited, normalised, ranges);
        break;
    case OUT_FINISH_S:
    case OUT_FINISH_EDITED:
    case OUT_FALLBACK: /* single letters joined: the offset-tracking path knows how */
        result = Py_NewRef(Py_None);
        break;
    default: /* an error is set */
        break;
    }
    work_free(&w);
    return result;
}

static PyObject *configure(PyObject *module, PyObject *args) {
    PyObject *table, *spell, *conn, *slow;
    if (!PyArg_ParseTuple(args, "OO!O!O", &table, &PyDict_Type, &spell, &PyFrozenSet_Type, &conn,
                          &slow))
        return NULL;
    if (!PyCallable_Check(slow)) {
        PyErr_SetString(PyExc_TypeError, "the fallback must be callable");
        return NULL;
    }
    PyObject *keys[2] = {spell, conn};
    for (int i = 0; i < 2; i++) { /* checked before anything changes */
        PyObject *it = PyObject_GetIter(keys[i]);
        if (it == NULL) return NULL;
        PyObject *key;
        while ((key = PyIter_Next(it)) != NULL) {
            Py_ssize_t len = PyUnicode_Check(key) ? PyUnicode_GET_LENGTH(key) : 0;
            int ok = len > 0 && len < FILTER_LEN && PyUnicode_IS_ASCII(key);
            if (ok && i == 0) {
                PyObject *value = PyDict_GetItemWithError(spell, key);
                ok = value != NULL && PyUnicode_Check(value);
            }
            Py_DECREF(key);
            if (!ok) {
                Py_DECREF(it);
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError,
                                    "spelling variants and connectors must be short ASCII words, "
                                    "and spellings str");
                return NULL;
            }
        }
        Py_DECREF(it);
        if (PyErr_Occurred()) return NULL;
    }
    free_listed();
    memset(token_filter, 0, sizeof token_filter);
    token_max_len = 0;
    Py_ssize_t size = 16, count = PyDict_GET_SIZE(spell) + PySet_GET_SIZE(conn);
    while (size < 2 * count) size *= 2;
    listed = PyMem_Calloc((size_t)size, sizeof(Listed));
    if (listed == NULL) return PyErr_NoMemory();
    listed_mask = size - 1;
    for (int i = 0; i < 2; i++) {
        PyObject *it = PyObject_GetIter(keys[i]);
        if (it == NULL) return NULL;
        PyObject *key;
        while ((key = PyIter_Next(it)) != NULL) {
            Py_ssize_t len = PyUnicode_GET_LENGTH(key);
            Py_UCS4 first = PyUnicode_READ_CHAR(key, 0), last = PyUnicode_READ_CHAR(key, len - 1);
            token_filter[len][first][last] = 1;
            if (len > token_max_len) token_max_len = len;
            Listed *slot = listed_slot(key);
            if (i == 0) {
                PyObject *value = PyDict_GetItem(spell, key); /* borrowed; checked above */
                Py_INCREF(value);
                Py_XSETREF(slot->spelling, value);
            } else {
                slot->connector = 1;
            }
            Py_DECREF(key);
        }
        Py_DECREF(it);
        if (PyErr_Occurred()) return NULL;
    }
    for (Py_ssize_t c = 0; c < BMP; c++) {
        if (fold_kind[c] == FOLD_MANY) Py_CLEAR(fold_many[c]);
        fold_kind[c] = FOLD_UNKNOWN;
    }
    Py_INCREF(table);
    Py_XSETREF(match_table, table);
    Py_INCREF(slow);
    Py_XSETREF(fallback, slow);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(match_table, spellings, connectors, fallback): the tables to use, and the "
     "function that normalises a text whose runs of single letters may have to be split."},
    {"normalise_aggressive", normalise_aggressive, METH_O,
     "normalise_aggressive(text) -> str: normalise_text(text, Level.AGGRESSIVE)."},
    {"original_spans", original_spans, METH_VARARGS,
     "original_spans(text, normalised, ranges) -> list[tuple[int, int]] | None: the original "
     "spans of ranges (whole words) of normalised (= normalise_aggressive(text)), or None where "
     "single letters are joined, the text differs or a range is not whole words."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fastnorm", "The aggressive normaliser's text-only path in C.", -1,
    methods,
};

PyMODINIT_FUNC PyInit__fastnorm(void) {
    init_classes();
    return PyModule_Create(&module);
}
