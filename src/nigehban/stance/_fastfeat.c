/* The fast tier's bucket ids (nigehban.stance.features.Featuriser.buckets) in C.
 *
 * The same features in the same way: the prepared text split on whitespace as str.split()
 * splits it; for each word "w:" + word and "c:" + each character n-gram of " word " (lengths
 * char_min..char_max, in code points); for each pair of neighbouring words "b:" + a + " " + b;
 * each string encoded as UTF-8, hashed with CRC-32 (zlib's polynomial, as zlib.crc32) and
 * masked to `bits` bits; the ids unique and sorted. A property test holds it to the Python
 * implementation on arbitrary text; the package falls back to Python where it is not built,
 * and where this returns None: a text that cannot be encoded as UTF-8 (a lone surrogate), or
 * settings outside 1 <= bits <= 32, 1 <= char_min <= char_max.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

/* CRC-32 register after `len` more bytes (start from 0xFFFFFFFF; the hash is its complement) */
static inline uint32_t crc_update(uint32_t crc, const unsigned char *p, Py_ssize_t len) {
    for (Py_ssize_t i = 0; i < len; i++) crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

typedef struct {
    uint32_t *data;
    Py_ssize_t len;
    Py_ssize_t cap;
} Ids;

static int ids_push(Ids *ids, uint32_t value) {
    if (ids->len == ids->cap) {
        Py_ssize_t cap = ids->cap ? ids->cap * 2 : 256;
        uint32_t *data = PyMem_Realloc(ids->data, sizeof(uint32_t) * (size_t)cap);
        if (data == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        ids->data = data;
        ids->cap = cap;
    }
    ids->data[ids->len++] = value;
    return 0;
}

/* sort `len` ids ascending: least significant byte first, four stable counting passes
 * (passes over bytes every id has zero are skipped) */
static int sort_ids(Ids *ids, int bits) {
    if (ids->len < 2) return 0;
    uint32_t *other = PyMem_Malloc(sizeof(uint32_t) * (size_t)ids->len);
    if (other == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    uint32_t *from = ids->data, *to = other;
    for (int shift = 0; shift < bits; shift += 8) {
        Py_ssize_t count[257] = {0};
        for (Py_ssize_t k = 0; k < ids->len; k++) count[((from[k] >> shift) & 0xFF) + 1]++;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (Py_ssize_t k = 0; k < ids->len; k++) to[count[(from[k] >> shift) & 0xFF]++] = from[k];
        uint32_t *swap = from;
        from = to;
        to = swap;
    }
    if (from != ids->data) {
        memcpy(ids->data, from, sizeof(uint32_t) * (size_t)ids->len);
        PyMem_Free(from);
    } else {
        PyMem_Free(to);
    }
    return 0;
}

/* the UTF-8 length of one code point */
static inline Py_ssize_t utf8_size(Py_UCS4 c) {
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

static PyObject *buckets(PyObject *self, PyObject *args) {
    PyObject *text;
    int bits, char_min, char_max, word_bigrams;
    if (!PyArg_ParseTuple(args, "Uiiip", &text, &bits, &char_min, &char_max, &word_bigrams))
        return NULL;
    if (bits < 1 || bits > 32 || char_min < 1 || char_max < char_min)
        Py_RETURN_NONE; /* settings this module does not hold: the Python implementation */
    const uint32_t mask = bits == 32 ? 0xFFFFFFFFu : ((uint32_t)1 << bits) - 1;
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &size);
    if (utf8 == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) return NULL;
        PyErr_Clear();
        Py_RETURN_NONE; /* a lone surrogate: the Python implementation decides */
    }
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    /* byte offset in `utf8` of each code point, and one past the end */
    Py_ssize_t *at = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    if (at == NULL) return PyErr_NoMemory();
    Py_ssize_t offset = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        at[i] = offset;
        offset += utf8_size(PyUnicode_READ(kind, data, i));
    }
    at[n] = offset;
    /* a padded word as bytes: " word " */
    unsigned char *padded = PyMem_Malloc((size_t)size + 2);
    Py_ssize_t *padded_at = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n + 3));
    Ids ids = {NULL, 0, 0};
    if (padded == NULL || padded_at == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    const unsigned char *bytes = (const unsigned char *)utf8;
    const uint32_t word_crc = crc_update(0xFFFFFFFFu, (const unsigned char *)"w:", 2);
    const uint32_t char_crc = crc_update(0xFFFFFFFFu, (const unsigned char *)"c:", 2);
    const uint32_t pair_crc = crc_update(0xFFFFFFFFu, (const unsigned char *)"b:", 2);
    Py_ssize_t previous_start = -1, previous_end = -1; /* the previous word, in code points */
    Py_ssize_t i = 0;
    while (i < n) {
        while (i < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
        if (i >= n) break;
        Py_ssize_t start = i;
        while (i < n && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
        Py_ssize_t end = i;
        const unsigned char *word = bytes + at[start];
        Py_ssize_t word_bytes = at[end] - at[start];
        if (ids_push(&ids, ~crc_update(word_crc, word, word_bytes) & mask) < 0) goto fail;
        /* character n-grams of " word " */
        Py_ssize_t chars = end - start + 2;
        padded[0] = ' ';
        memcpy(padded + 1, word, (size_t)word_bytes);
        padded[word_bytes + 1] = ' ';
        padded_at[0] = 0;
        for (Py_ssize_t k = 0; k <= end - start; k++) padded_at[k + 1] = 1 + at[start + k] - at[start];
        padded_at[chars] = word_bytes + 2;
        Py_ssize_t longest = char_max < chars ? char_max : chars;
        for (Py_ssize_t g = char_min; g <= longest; g++) {
            for (Py_ssize_t k = 0; k + g <= chars; k++) {
                const unsigned char *p = padded + padded_at[k];
                uint32_t crc = crc_update(char_crc, p, padded_at[k + g] - padded_at[k]);
                if (ids_push(&ids, ~crc & mask) < 0) goto fail;
            }
        }
        if (word_bigrams && previous_start >= 0) {
            uint32_t crc = crc_update(pair_crc, bytes + at[previous_start],
                                      at[previous_end] - at[previous_start]);
            crc = crc_update(crc, (const unsigned char *)" ", 1);
            crc = crc_update(crc, word, word_bytes);
            if (ids_push(&ids, ~crc & mask) < 0) goto fail;
        }
        previous_start = start;
        previous_end = end;
    }
    if (sort_ids(&ids, bits) < 0) goto fail;
    Py_ssize_t unique = 0;
    for (Py_ssize_t k = 0; k < ids.len; k++)
        if (unique == 0 || ids.data[k] != ids.data[unique - 1]) ids.data[unique++] = ids.data[k];
    PyObject *out = PyList_New(unique);
    if (out == NULL) goto fail;
    for (Py_ssize_t k = 0; k < unique; k++) {
        PyObject *value = PyLong_FromUnsignedLong(ids.data[k]);
        if (value == NULL) {
            Py_DECREF(out);
            goto fail;
        }
        PyList_SET_ITEM(out, k, value);
    }
    PyMem_Free(at);
    PyMem_Free(padded);
    PyMem_Free(padded_at);
    PyMem_Free(ids.data);
    return out;
fail:
    PyMem_Free(at);
    PyMem_Free(padded);
    PyMem_Free(padded_at);
    PyMem_Free(ids.data);
    return NULL;
}

static PyMethodDef methods[] = {
    {"buckets", buckets, METH_VARARGS,
     "buckets(prepared, bits, char_min, char_max, word_bigrams) -> list[int] | None: the "
     "unique, sorted bucket ids of a prepared text (None for a text that is not valid UTF-8 "
     "or settings outside 1 <= bits <= 32, 1 <= char_min <= char_max)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fastfeat", "The fast tier's bucket ids in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__fastfeat(void) {
    crc_init();
    return PyModule_Create(&module);
}
