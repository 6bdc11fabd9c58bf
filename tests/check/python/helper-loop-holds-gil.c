// The heavy loop is in a plain C helper the method calls; calling it inside an allow-threads region fixes it.
// RUN: not %threadwise check %s -- -std=c11 -I/usr/include/python3.11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -I/usr/include/python3.11 -DFIXED | count 0
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static double integrate(long steps) {
  double sum = 0;
  for (long i = 0; i < steps; i++)
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs with the GIL held: Python threads calling 'integrate_py' run it one at a time [threadwise-python-gil-held-cpu-loop]
    // CHECK: note: 'integrate_py' is called from Python and reaches 'integrate' with the GIL held
    sum += 1.0 / (1.0 + (double)i * i);
  return sum;
}

static PyObject *integrate_py(PyObject *self, PyObject *arg) {
  long steps = PyLong_AsLong(arg);
  double r;
#ifdef FIXED
  Py_BEGIN_ALLOW_THREADS
#endif
  r = integrate(steps);
#ifdef FIXED
  Py_END_ALLOW_THREADS
#endif
  return PyFloat_FromDouble(r);
}

static PyMethodDef methods[] = {
    {"integrate", (PyCFunction)integrate_py, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "integ", NULL, -1, methods};

PyMODINIT_FUNC PyInit_integ(void) { return PyModule_Create(&module); }
