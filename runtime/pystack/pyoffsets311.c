/*===- pyoffsets311.c - CPython 3.11 field offsets, from its own headers --===*
 *
 * Compiled against python3-dev's internal headers (Py_BUILD_CORE) so every
 * offset is what the compiler of CPython itself computed, not a hand-copied
 * number. Only types are used: nothing here links libpython. Without the
 * headers (TW_HAVE_PY311_HEADERS unset) there is no table and the callers say
 * so. CPython keeps these layouts within a minor version (3.11.x).
 *===----------------------------------------------------------------------===*/
#include "tw_pystack.h"

#ifdef TW_HAVE_PY311_HEADERS
#define Py_BUILD_CORE 1
#include <Python.h>
#include <internal/pycore_frame.h>
#include <internal/pycore_interp.h>
#include <internal/pycore_runtime.h>

#if PY_MAJOR_VERSION != 3 || PY_MINOR_VERSION != 11
#error "pyoffsets311.c needs the CPython 3.11 headers"
#endif

static const struct tw_py_offsets tw_py311 = {
    .version = 0x030B0000u,
    .rt_interp_head = offsetof(_PyRuntimeState, interpreters.head),
    .rt_tss_initialized = offsetof(_PyRuntimeState, gilstate.autoTSSkey._is_initialized),
    .rt_tss_key = offsetof(_PyRuntimeState, gilstate.autoTSSkey._key),
    .rt_tstate_current = offsetof(_PyRuntimeState, gilstate.tstate_current),
    .is_next = offsetof(PyInterpreterState, next),
    .is_threads_head = offsetof(PyInterpreterState, threads.head),
    .ts_next = offsetof(PyThreadState, next),
    .ts_native_tid = offsetof(PyThreadState, native_thread_id),
    .ts_cframe = offsetof(PyThreadState, cframe),
    .cf_current_frame = offsetof(_PyCFrame, current_frame),
    .ts_datastack_chunk = offsetof(PyThreadState, datastack_chunk),
    .chunk_previous = offsetof(_PyStackChunk, previous),
    .chunk_size = offsetof(_PyStackChunk, size),
    .fr_code = offsetof(_PyInterpreterFrame, f_code),
    .fr_previous = offsetof(_PyInterpreterFrame, previous),
    .fr_prev_instr = offsetof(_PyInterpreterFrame, prev_instr),
    .fr_owner = offsetof(_PyInterpreterFrame, owner),
    .owner_generator = FRAME_OWNED_BY_GENERATOR,
    .fr_span = offsetof(_PyInterpreterFrame, localsplus),
    .co_filename = offsetof(PyCodeObject, co_filename),
    .co_name = offsetof(PyCodeObject, co_name),
    .co_qualname = offsetof(PyCodeObject, co_qualname),
    .co_firstlineno = offsetof(PyCodeObject, co_firstlineno),
    .co_linetable = offsetof(PyCodeObject, co_linetable),
    .co_firsttraceable = offsetof(PyCodeObject, _co_firsttraceable),
    .co_code = offsetof(PyCodeObject, co_code_adaptive),
    .ob_type = offsetof(PyObject, ob_type),
    .bytes_size = offsetof(PyVarObject, ob_size),
    .bytes_data = offsetof(PyBytesObject, ob_sval),
    .str_length = offsetof(PyASCIIObject, length),
    .str_state = offsetof(PyASCIIObject, state),
    .ascii_data = sizeof(PyASCIIObject),
    .compact_data = sizeof(PyCompactUnicodeObject),
};
#endif

const struct tw_py_offsets *tw_py_offsets_for(uint64_t py_version) {
#ifdef TW_HAVE_PY311_HEADERS
  if (((py_version >> 16) & 0xffffu) == 0x030Bu)
    return &tw_py311;
#endif
  (void)py_version;
  return 0;
}
