// A loop that reads Python objects (PyList_GetItem) cannot drop the GIL, so it is not reported; a pure C loop is.
// RUN: not %threadwise check %s -- -std=c11 -I/usr/include/python3.11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -I/usr/include/python3.11 -DFIXED | count 0
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *total(PyObject *self, PyObject *list) {
  Py_ssize_t n = PyList_Size(list);
  double s = 0;
  for (Py_ssize_t i = 0; i < n; i++)
#ifndef FIXED
    // CHECK: :[[@LINE-2]]:3: warning: CPU-heavy loop runs with the GIL held: Python threads calling 'total' run it one at a time [threadwise-python-gil-held-cpu-loop]
    s += (double)i * 0.5;
#else
    s += PyFloat_AsDouble(PyList_GetItem(list, i)) * 0.5;
#endif
  return PyFloat_FromDouble(s);
}

static PyMethodDef methods[] = {
    {"total", total, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "tot", NULL, -1, methods};

PyMODINIT_FUNC PyInit_tot(void) { return PyModule_Create(&module); }
