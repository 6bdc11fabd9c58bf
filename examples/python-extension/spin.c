/* A CPython extension with one CPU-bound function, spin(n): hashes n integers.
 *
 * Built as is, spin() keeps the GIL for the whole loop, so two Python threads
 * calling it take turns (threadwise-python-gil-held-cpu-loop flags the loop).
 * Built with -DFIXED, the loop runs between Py_BEGIN_ALLOW_THREADS and
 * Py_END_ALLOW_THREADS and the threads run in parallel. The module is named
 * spin_gil or spin_fixed so both builds can be imported into one interpreter.
 *
 *   cc -shared -fPIC -O2 -I/usr/include/python3.11 spin.c -o spin_gil.so
 *   cc -shared -fPIC -O2 -I/usr/include/python3.11 -DFIXED spin.c -o spin_fixed.so
 */
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
    h = h * 1000003UL ^ (unsigned long)i;
#ifdef FIXED
  Py_END_ALLOW_THREADS
#endif
  return PyLong_FromUnsignedLong(h);
}

static PyMethodDef methods[] = {
    {"spin", spin, METH_VARARGS, "Hash n integers (CPU-bound)."},
    {NULL, NULL, 0, NULL},
};

#ifdef FIXED
#define MODULE_NAME "spin_fixed"
#define MODULE_INIT PyInit_spin_fixed
#else
#define MODULE_NAME "spin_gil"
#define MODULE_INIT PyInit_spin_gil
#endif

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, MODULE_NAME, NULL, -1, methods};

PyMODINIT_FUNC MODULE_INIT(void) { return PyModule_Create(&module); }
