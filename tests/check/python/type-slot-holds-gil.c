// A type slot (tp_init) runs a nested loop with the GIL held.
// RUN: not %threadwise check %s -- -std=c11 -I/usr/include/python3.11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -I/usr/include/python3.11 -DFIXED | count 0
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
  PyObject_HEAD
  double grid[64][64];
} Field;

static int field_init(Field *self, PyObject *args, PyObject *kw) {
  int iters = 100;
#ifdef FIXED
  Py_BEGIN_ALLOW_THREADS
#endif
  for (int k = 0; k < iters; k++)
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs with the GIL held: Python threads calling 'field_init' run it one at a time [threadwise-python-gil-held-cpu-loop]
    for (int i = 1; i < 63; i++)
      for (int j = 1; j < 63; j++)
        self->grid[i][j] = 0.25 * (self->grid[i - 1][j] + self->grid[i + 1][j]);
#ifdef FIXED
  Py_END_ALLOW_THREADS
#endif
  return 0;
}

static PyTypeObject FieldType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "field.Field",
    .tp_basicsize = sizeof(Field),
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)field_init,
};

PyMODINIT_FUNC PyInit_field(void) {
  if (PyType_Ready(&FieldType) < 0)
    return NULL;
  return NULL;
}
