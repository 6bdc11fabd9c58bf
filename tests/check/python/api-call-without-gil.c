// Building a result object inside the allow-threads region calls the C API without the GIL.
// RUN: not %threadwise check %s -- -std=c11 -I/usr/include/python3.11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -I/usr/include/python3.11 -DFIXED | count 0
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *sum_to(PyObject *self, PyObject *arg) {
  long n = PyLong_AsLong(arg);
  long s = 0;
  PyObject *r;
  Py_BEGIN_ALLOW_THREADS
  for (long i = 0; i < n; i++)
    s += i * 3;
#ifndef FIXED
  r = PyLong_FromLong(s);
  // CHECK: :[[@LINE-1]]:7: warning: Python C-API call 'PyLong_FromLong' while the GIL is released [threadwise-python-api-without-gil]
  // CHECK: note: the GIL is released here (Py_BEGIN_ALLOW_THREADS)
  Py_END_ALLOW_THREADS
#else
  Py_END_ALLOW_THREADS
  r = PyLong_FromLong(s);
#endif
  return r;
}

static PyMethodDef methods[] = {
    {"sum_to", sum_to, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "st", NULL, -1, methods};

PyMODINIT_FUNC PyInit_st(void) { return PyModule_Create(&module); }
