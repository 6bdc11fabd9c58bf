/*===- tw_pystack.h - Read CPython 3.11 stacks from raw memory ------------===*
 *
 * One walker for both places that read Python stacks without the GIL: the
 * preload library (its own process) and `threadwise profile --pid` (another
 * process, like py-spy). It never calls into Python: it follows the
 * interpreter's structures (_PyRuntime -> interpreters -> thread states ->
 * _PyInterpreterFrame chain -> PyCodeObject) through a caller-supplied
 * memory-read function, with the field offsets of tw_py_offsets. CPython 3.11
 * has no _Py_DebugOffsets, so the offsets are compiled from python3-dev's
 * internal headers (pyoffsets311.c); other versions get no table.
 *
 * C, no allocation, no locks: the preload links it, and so does the launcher.
 *===----------------------------------------------------------------------===*/
#ifndef THREADWISE_PYSTACK_H
#define THREADWISE_PYSTACK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Field offsets of one CPython minor version (all in bytes). */
struct tw_py_offsets {
  uint32_t version;    /* 0x030B0000 for 3.11; 0 = no table compiled */
  /* _PyRuntimeState */
  uint32_t rt_interp_head, rt_tss_initialized, rt_tss_key;
  uint32_t rt_tstate_current; /* the GIL holder's thread state */
  /* PyInterpreterState */
  uint32_t is_next, is_threads_head;
  /* PyThreadState and _PyCFrame */
  uint32_t ts_next, ts_native_tid, ts_cframe, cf_current_frame;
  /* PyThreadState's data stack: _PyStackChunk list, frames live in it */
  uint32_t ts_datastack_chunk, chunk_previous, chunk_size;
  /* _PyInterpreterFrame */
  uint32_t fr_code, fr_previous, fr_prev_instr, fr_owner, owner_generator;
  uint32_t fr_span; /* bytes from a frame's start that hold all of the above */
  /* PyCodeObject */
  uint32_t co_filename, co_name, co_qualname, co_firstlineno, co_linetable,
      co_firsttraceable, co_code;
  /* PyObject, PyBytesObject, PyASCIIObject/PyCompactUnicodeObject */
  uint32_t ob_type, bytes_size, bytes_data, str_length, str_state, ascii_data, compact_data;
};

/* Offsets for version (Py_Version, e.g. 0x030B02F0), or NULL when this build
 * has no table for that minor version. */
const struct tw_py_offsets *tw_py_offsets_for(uint64_t py_version);

/* Copies n bytes at addr of the inspected process into buf; 0 on success. */
typedef int (*tw_py_read_fn)(void *ctx, uint64_t addr, void *buf, size_t n);

/* What a frame walk learns from a code object and an instruction pointer in
 * it (two reads, more for a long line table), remembered by (code, pc): a
 * table of seqlocked slots, safe to share between signal handlers of several
 * threads (a slot being written is a miss, never a wait). */
enum { TW_PY_FRAME_CACHE = 2048 };
struct tw_py_frame_cache {
  struct {
    uint64_t seq; /* odd while written; 0 = empty */
    uint64_t code, pc, identity;
    int32_t line, complete;
  } slot[TW_PY_FRAME_CACHE];
};

struct tw_py_reader {
  const struct tw_py_offsets *off;
  tw_py_read_fn read;
  void *ctx;
  uint64_t runtime;   /* &_PyRuntime */
  uint64_t code_type; /* &PyCode_Type: every frame's code must point here */
  /* Optional. A code object lives as long as its function, normally the whole
   * run; one freed and another allocated at its address, sampled at the same
   * pc, would show the old name until its slot is reused. */
  struct tw_py_frame_cache *cache;
};

/* A thread state: its kernel tid and the frame it executes (0: none). */
struct tw_py_thread {
  uint64_t tstate, frame;
  int64_t tid;
};

/* Up to max thread states of all interpreters; returns how many. */
int tw_py_threads(const struct tw_py_reader *r, struct tw_py_thread *out, int max);

/* One frame: the code object, its identity (changes when the address is
 * reused by another code object) and the line being executed (-1 unknown). */
struct tw_py_frame {
  uint64_t code, identity;
  int32_t line;
};

/* The stack from frame (innermost first), at most max frames; returns the
 * depth, or -1 when the chain is unreadable (freed or mid-update). */
int tw_py_stack(const struct tw_py_reader *r, uint64_t frame, struct tw_py_frame *out, int max);

/* What names a code object, read while it is alive. Strings are UTF-8,
 * truncated to the buffers; identity as in tw_py_frame. */
struct tw_py_code {
  char function[128];
  char file[256];
  int32_t first_line;
  uint64_t identity;
};
int tw_py_code_info(const struct tw_py_reader *r, uint64_t code, struct tw_py_code *out);

#ifdef __cplusplus
}
#endif

#endif
