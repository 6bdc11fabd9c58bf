// A heavy loop only in a function Python never calls (not in the method table) is not reported.
// RUN: not %threadwise check %s -- -std=c11 -I/usr/include/python3.11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -I/usr/include/python3.11 -DFIXED | count 0
#define PY_SSIZE_T_CLEAN
#include <Python.h>

long crunch(long n) {
  long h = 0;
  for (long i = 0; i < n; i++)
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs with the GIL held: Python threads calling 'crunch_py' run it one at a time [threadwise-python-gil-held-cpu-loop]
    h = h * 7 + i;
  return h;
}

static PyObject *crunch_py(PyObject *self, PyObject *arg) {
#ifndef FIXED
  return PyLong_FromLong(crunch(PyLong_AsLong(arg)));
#else
  return PyLong_FromLong(PyLong_AsLong(arg));
#endif
}

static PyMethodDef methods[] = {
    {"crunch", crunch_py, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cr", NULL, -1, methods};

PyMODINIT_FUNC PyInit_cr(void) { return PyModule_Create(&module); }
