// Py_DECREF of an argument inside the allow-threads region; the twin drops the reference after re-acquiring the GIL.
// RUN: not %threadwise check %s -- -std=c11 -I/usr/include/python3.11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -I/usr/include/python3.11 -DFIXED | count 0
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *consume(PyObject *self, PyObject *arg) {
  Py_INCREF(arg);
  Py_BEGIN_ALLOW_THREADS
#ifndef FIXED
  Py_DECREF(arg);
  // CHECK: :[[@LINE-1]]:3: warning: Python C-API call 'Py_DECREF' while the GIL is released [threadwise-python-api-without-gil]
  Py_END_ALLOW_THREADS
#else
  Py_END_ALLOW_THREADS
  Py_DECREF(arg);
#endif
  Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"consume", consume, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cons", NULL, -1, methods};

PyMODINIT_FUNC PyInit_cons(void) { return PyModule_Create(&module); }
