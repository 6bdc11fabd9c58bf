// C++ extension: a method sorts and scans a std::vector with the GIL held.
// RUN: not %threadwise check %s -- -std=c++17 -I/usr/include/python3.11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -I/usr/include/python3.11 -DFIXED | count 0
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <vector>

static PyObject *collatz(PyObject *, PyObject *arg) {
  long n = PyLong_AsLong(arg);
  long longest = 0;
#ifdef FIXED
  Py_BEGIN_ALLOW_THREADS
#endif
  for (long start = 1; start < n; start++) {
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs with the GIL held: Python threads calling 'collatz' run it one at a time [threadwise-python-gil-held-cpu-loop]
    long len = 0;
    for (long x = start; x != 1; x = x % 2 ? 3 * x + 1 : x / 2)
      len++;
    if (len > longest)
      longest = len;
  }
#ifdef FIXED
  Py_END_ALLOW_THREADS
#endif
  return PyLong_FromLong(longest);
}

static PyMethodDef methods[] = {
    {"collatz", collatz, METH_O, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

static PyModuleDef module = {PyModuleDef_HEAD_INIT, "collatz", nullptr, -1, methods};

PyMODINIT_FUNC PyInit_collatz() { return PyModule_Create(&module); }
