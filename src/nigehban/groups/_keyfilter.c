/* Whether a space-separated text holds every word of at least one key, in C
 * (nigehban.groups.keyfilter: the Python implementation, and what this module must equal).
 *
 * A key is given as its guard word and its other words. Words are compared by a 64-bit hash of
 * their code points: a collision can only make the answer True where it is False, which costs
 * the matcher one automaton scan and never a mention, since the filter only says whether the
 * scan is worth running.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define EMPTY_SLOT 0
#define FNV_BASIS 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL
#define BLOOM_LOG2 16
#define BLOOM_BITS (1 << BLOOM_LOG2)

/* FNV-1a over the code points; 0 marks an empty slot, so a word hashing to 0 is 1 */
static uint64_t hash_words(int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    uint64_t h = FNV_BASIS;
    for (Py_ssize_t i = start; i < end; i++) h = (h ^ (uint64_t)PyUnicode_READ(kind, data, i)) * FNV_PRIME;
    return h == EMPTY_SLOT ? 1 : h;
}

static uint64_t hash_str(PyObject *word) {
    return hash_words(PyUnicode_KIND(word), PyUnicode_DATA(word), 0, PyUnicode_GET_LENGTH(word));
}

static Py_ssize_t table_size(Py_ssize_t count) {
    Py_ssize_t size = 16;
    while (size < 2 * count) size *= 2;
    return size;
}

typedef struct {
    PyObject_HEAD
    uint64_t *guard_hash; /* open addressing: guard word hash, or EMPTY_SLOT */
    Py_ssize_t *guard_first; /* its keys: key_rest_start[guard_first .. +guard_count] */
    Py_ssize_t *guard_count;
    Py_ssize_t guard_mask;
    Py_ssize_t *key_start; /* the other words of key k: rest[key_start[k] .. key_start[k+1]] */
    uint64_t *rest;
    Py_ssize_t keys;
    uint64_t bloom[BLOOM_BITS / 64]; /* a bit per guard hash's top bits: most words miss here */
} KeyFilter;

static inline int maybe_guard(const KeyFilter *self, uint64_t h) {
    uint64_t bit = h >> (64 - BLOOM_LOG2);
    return (self->bloom[bit >> 6] >> (bit & 63)) & 1;
}

static void keyfilter_dealloc(KeyFilter *self) {
    PyMem_Free(self->guard_hash);
    PyMem_Free(self->guard_first);
    PyMem_Free(self->guard_count);
    PyMem_Free(self->key_start);
    PyMem_Free(self->rest);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t guard_slot(const KeyFilter *self, uint64_t h) {
    Py_ssize_t i = (Py_ssize_t)(h & (uint64_t)self->guard_mask);
    while (self->guard_hash[i] != EMPTY_SLOT && self->guard_hash[i] != h)
        i = (i + 1) & self->guard_mask;
    return i;
}

/* KeyFilter(keys): keys is a sequence of (guard, others) with guard a str and others a tuple of
   str, sorted so that the keys of one guard are adjacent. */
static PyObject *keyfilter_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    PyObject *keys;
    static char *names[] = {"keys", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:KeyFilter", names, &keys)) return NULL;
    PyObject *seq = PySequence_Fast(keys, "KeyFilter() takes a sequence of (guard, others)");
    if (seq == NULL) return NULL;
    KeyFilter *self = (KeyFilter *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), words = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2 ||
            !PyUnicode_Check(PyTuple_GET_ITEM(item, 0)) ||
            !PyTuple_Check(PyTuple_GET_ITEM(item, 1))) {
            PyErr_Format(PyExc_TypeError, "key %zd is not a (str, tuple of str) pair", k);
            goto fail;
        }
        words += PyTuple_GET_SIZE(PyTuple_GET_ITEM(item, 1));
    }
    Py_ssize_t size = table_size(n);
    self->guard_mask = size - 1;
    self->keys = n;
    self->guard_hash = PyMem_Calloc((size_t)size, sizeof(uint64_t));
    self->guard_first = PyMem_Calloc((size_t)size, sizeof(Py_ssize_t));
    self->guard_count = PyMem_Calloc((size_t)size, sizeof(Py_ssize_t));
    self->key_start = PyMem_Calloc((size_t)n + 1, sizeof(Py_ssize_t));
    self->rest = PyMem_Calloc((size_t)(words ? words : 1), sizeof(uint64_t));
    if (!self->guard_hash || !self->guard_first || !self->guard_count || !self->key_start ||
        !self->rest) {
        PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, k);
        PyObject *others = PyTuple_GET_ITEM(item, 1);
        uint64_t h = hash_str(PyTuple_GET_ITEM(item, 0));
        Py_ssize_t slot = guard_slot(self, h);
        if (self->guard_hash[slot] == EMPTY_SLOT) {
            uint64_t bit = h >> (64 - BLOOM_LOG2);
            self->bloom[bit >> 6] |= 1ULL << (bit & 63);
            self->guard_hash[slot] = h;
            self->guard_first[slot] = k;
        } else if (self->guard_first[slot] + self->guard_count[slot] != k) {
            PyErr_Format(PyExc_ValueError, "key %zd: the keys of one guard must be adjacent", k);
            goto fail;
        }
        self->guard_count[slot]++;
        self->key_start[k] = at;
        for (Py_ssize_t w = 0; w < PyTuple_GET_SIZE(others); w++) {
            PyObject *word = PyTuple_GET_ITEM(others, w);
            if (!PyUnicode_Check(word)) {
                PyErr_Format(PyExc_TypeError, "key %zd: word %zd is not a str", k, w);
                goto fail;
            }
            self->rest[at++] = hash_str(word);
        }
    }
    self->key_start[n] = at;
    Py_DECREF(seq);
    return (PyObject *)self;
fail:
    Py_DECREF(seq);
    Py_DECREF(self);
    return NULL;
}

static int holds(const uint64_t *set, Py_ssize_t mask, uint64_t h) {
    Py_ssize_t i = (Py_ssize_t)(h & (uint64_t)mask);
    while (set[i] != EMPTY_SLOT) {
        if (set[i] == h) return 1;
        i = (i + 1) & mask;
    }
    return 0;
}

/* The words of data[0:n] (one code unit type) hashed into words[]; `hit` set where one of them
   may be a guard. */
#define HASH_WORDS(TYPE)                                                                       \
    do {                                                                                       \
        const TYPE *d = (const TYPE *)data;                                                    \
        uint64_t h = FNV_BASIS;                                                                \
        Py_ssize_t len = 0;                                                                    \
        for (Py_ssize_t i = 0; i <= n; i++) {                                                  \
            if (i < n && d[i] != ' ') {                                                        \
                h = (h ^ (uint64_t)d[i]) * FNV_PRIME;                                          \
                len++;                                                                         \
                continue;                                                                      \
            }                                                                                  \
            if (len) { /* a word of one or more code points */                                 \
                if (h == EMPTY_SLOT) h = 1;                                                    \
                words[count++] = h;                                                            \
                hit |= maybe_guard(self, h);                                                   \
            }                                                                                  \
            h = FNV_BASIS;                                                                     \
            len = 0;                                                                           \
        }                                                                                      \
    } while (0)

/* Whether some guard among the words has a key whose other words are all among them. */
static int any_key(const KeyFilter *self, const uint64_t *words, Py_ssize_t count) {
    uint64_t local[1024];
    Py_ssize_t size = table_size(count), mask = size - 1;
    uint64_t *set = local;
    if (size > 1024) {
        set = PyMem_Malloc(sizeof(uint64_t) * (size_t)size);
        if (set == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    memset(set, 0, sizeof(uint64_t) * (size_t)size);
    int found = 0;
    for (Py_ssize_t t = 0; t < count; t++) {
        Py_ssize_t j = (Py_ssize_t)(words[t] & (uint64_t)mask);
        while (set[j] != EMPTY_SLOT && set[j] != words[t]) j = (j + 1) & mask;
        set[j] = words[t];
    }
    for (Py_ssize_t t = 0; t < count && !found; t++) {
        if (!maybe_guard(self, words[t])) continue;
        Py_ssize_t slot = guard_slot(self, words[t]);
        if (self->guard_hash[slot] == EMPTY_SLOT) continue;
        Py_ssize_t first = self->guard_first[slot], last = first + self->guard_count[slot];
        for (Py_ssize_t k = first; k < last && !found; k++) {
            found = 1;
            for (Py_ssize_t w = self->key_start[k]; w < self->key_start[k + 1] && found; w++)
                found = holds(set, mask, self->rest[w]);
        }
    }
    if (set != local) PyMem_Free(set);
    return found;
}

static PyObject *keyfilter_any_in(KeyFilter *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "any_in() takes a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), tokens = n / 2 + 1; /* at most */
    uint64_t local[1024];
    uint64_t *words = local;
    if (tokens > 1024) {
        words = PyMem_Malloc(sizeof(uint64_t) * (size_t)tokens);
        if (words == NULL) return PyErr_NoMemory();
    }
    Py_ssize_t count = 0;
    int hit = 0;
    if (kind == PyUnicode_1BYTE_KIND)
        HASH_WORDS(Py_UCS1);
    else if (kind == PyUnicode_2BYTE_KIND)
        HASH_WORDS(Py_UCS2);
    else
        HASH_WORDS(Py_UCS4);
    int found = hit ? any_key(self, words, count) : 0;
    if (words != local) PyMem_Free(words);
    return found < 0 ? NULL : PyBool_FromLong(found);
}

static PyMethodDef keyfilter_methods[] = {
    {"any_in", (PyCFunction)keyfilter_any_in, METH_O,
     "any_in(text) -> bool: whether the space-separated text holds every word of some key."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject KeyFilterType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "nigehban.groups._keyfilter.KeyFilter",
    .tp_basicsize = sizeof(KeyFilter),
    .tp_dealloc = (destructor)keyfilter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "KeyFilter(keys): keys as (guard word, other words), adjacent by guard.",
    .tp_methods = keyfilter_methods,
    .tp_new = keyfilter_new,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_keyfilter", "Whether a text holds every word of some key, in C.",
    -1, NULL,
};

PyMODINIT_FUNC PyInit__keyfilter(void) {
    if (PyType_Ready(&KeyFilterType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&KeyFilterType);
    if (PyModule_AddObject(m, "KeyFilter", (PyObject *)&KeyFilterType) < 0) {
        Py_DECREF(&KeyFilterType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
