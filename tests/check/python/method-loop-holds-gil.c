// A PyMethodDef method runs a numeric loop with the GIL held; the twin releases it.
// RUN: not %threadwise check %s -- -std=c11 -I/usr/include/python3.11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -I/usr/include/python3.11 -DFIXED | count 0
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *spin(PyObject *self, PyObject *args) {
  long n;
  if (!PyArg_ParseTuple(args, "l", &n))
    return NULL;
  unsigned long h = 0;
#ifdef FIXED
  Py_BEGIN_ALLOW_THREADS
#endif
  for (long i = 0; i < n; i++)
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs with the GIL held: Python threads calling 'spin' run it one at a time [threadwise-python-gil-held-cpu-loop]
    // CHECK: note: the loop computes in an unbounded loop
    // CHECK: note: 'spin' is called from Python with the GIL held
    h = h * 31 + (unsigned long)i;
#ifdef FIXED
  Py_END_ALLOW_THREADS
#endif
  return PyLong_FromUnsignedLong(h);
}

static PyMethodDef methods[] = {
    {"spin", spin, METH_VARARGS, "hash n integers"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "spinmod", NULL, -1, methods};

PyMODINIT_FUNC PyInit_spinmod(void) { return PyModule_Create(&module); }
