/*===- pystacks.c - Python frames in the recorded stacks -----------------===*
 *
 * stacks.c unwinds native stacks (at a wait, and in the on-CPU SIGPROF
 * handler); for CPython that shows only _PyEval_EvalFrameDefault. This file
 * is its tw_py_stack_hook: the native frames that lie in the interpreter's
 * module are replaced by the thread's Python frames (file:line function), read
 * from the interpreter's own structures by runtime/pystack/ -- no Python API,
 * no GIL. The thread reads its own frame chain, but a signal can interrupt it
 * mid-update: a frame can be popped, and its data-stack chunk unmapped, just
 * before the current-frame pointer moves off it; and a thread that waits for
 * the GIL while Py_Finalize runs has its thread state and chunks freed by the
 * finalizing thread. So every read goes through process_vm_readv on this
 * process (a stale pointer costs a failed read, never a fault) -- except while
 * this thread holds the GIL, which it then keeps until the handler returns:
 * no other thread can free its state, and only this thread changes its chunk
 * list, unlinking a chunk before freeing it. Then the path to the innermost
 * frame and the chunk list are read directly (_PyRuntime is static; the thread
 * state lives while the thread's own key points to it, CPython clearing the
 * key before freeing it; its cframe is on this thread's stack or in the
 * thread state), and frames that lie in a listed chunk are copied in place.
 * Code objects, which other threads may free, are always read with a system
 * call (~8 us in a busy interpreter here), and what a code object and a pc
 * say is kept in a frame cache, so a warm on-CPU sample of Python code makes
 * no system call at all. A Python frame is written once as a TW_REC_FRAME
 * record (id = hash of code object and line).
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "tw_preload.h"
#include "tw_pystack.h"
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

enum { TW_PY_MAX_DEPTH = TW_MAX_FRAMES, TW_PY_MAX_FRAME_IDS = 16384 };

static struct tw_py_reader tw_py_reader;
static struct tw_py_frame_cache tw_py_cache;
static int tw_py_ok;
static uint64_t tw_py_frame_ids[TW_PY_MAX_FRAME_IDS]; /* atomic: 0 free; ids written */

/* The calling thread's data-stack chunks, [lo, hi) each. */
enum { TW_PY_CHUNKS = 16 };
struct tw_py_chunks {
  unsigned n;
  uint64_t lo[TW_PY_CHUNKS], hi[TW_PY_CHUNKS];
};

/* tw_py_reader's read: in place within ctx's chunks (NULL: none). */
static int tw_read_self(void *ctx, uint64_t addr, void *buf, size_t n) {
  const struct tw_py_chunks *c = (const struct tw_py_chunks *)ctx;
  if (addr < 4096 || addr + n < addr)
    return -1;
  for (unsigned i = 0; c && i < c->n; ++i)
    if (addr >= c->lo[i] && addr + n <= c->hi[i]) {
      memcpy(buf, (const void *)(uintptr_t)addr, n);
      return 0;
    }
  struct iovec local = {buf, n}, remote = {(void *)(uintptr_t)addr, n};
  return syscall(SYS_process_vm_readv, tw_cached_pid(), &local, 1, &remote, 1, 0) == (ssize_t)n
             ? 0
             : -1;
}

static uint64_t tw_mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h * 0xFF51AFD7ED558CCDull;
}

/* The calling thread's innermost frame, and its data-stack chunks when it
 * holds the GIL (see the top of the file): CPython keeps its PyThreadState
 * under its own pthread key (_PyRuntime.gilstate.autoTSSkey), set for every
 * Python thread. A chunk is a power of two of at least 16 KiB
 * (DATA_STACK_CHUNK_SIZE); anything else ends the list. */
static uint64_t tw_py_own_frame(struct tw_py_chunks *chunks) {
  const struct tw_py_offsets *o = tw_py_reader.off;
  const char *rt = (const char *)(uintptr_t)tw_py_reader.runtime;
  chunks->n = 0;
  if (!__atomic_load_n((const int *)(rt + o->rt_tss_initialized), __ATOMIC_RELAXED))
    return 0;
  const char *ts = pthread_getspecific(*(const pthread_key_t *)(rt + o->rt_tss_key));
  if (!ts)
    return 0;
  if (__atomic_load_n((const char *const *)(rt + o->rt_tstate_current), __ATOMIC_RELAXED) != ts) {
    uint64_t cframe = 0, frame = 0;
    if (tw_read_self(NULL, (uint64_t)(uintptr_t)ts + o->ts_cframe, &cframe, sizeof cframe) ||
        tw_read_self(NULL, cframe + o->cf_current_frame, &frame, sizeof frame))
      return 0;
    return frame;
  }
  for (const char *ch = *(const char *const volatile *)(ts + o->ts_datastack_chunk);
       ch && chunks->n < TW_PY_CHUNKS;
       ch = *(const char *const volatile *)(ch + o->chunk_previous)) {
    uint64_t size = *(const volatile uint64_t *)(ch + o->chunk_size);
    if (size < 16384 || size > (1ull << 32) || (size & (size - 1)))
      break;
    chunks->lo[chunks->n] = (uint64_t)(uintptr_t)ch;
    chunks->hi[chunks->n++] = (uint64_t)(uintptr_t)ch + size;
  }
  const char *cframe = *(const char *const volatile *)(ts + o->ts_cframe);
  return cframe ? *(const volatile uint64_t *)(cframe + o->cf_current_frame) : 0;
}

/* The id of a (code object, line) frame; its names are written the first time. */
static uint64_t tw_py_frame_id(const struct tw_py_frame *f) {
  uint64_t id = tw_mix(tw_mix(f->code, f->identity), (uint32_t)f->line) & ~TW_FRAME_INTERNED;
  if (!id)
    id = 1;
  unsigned start = (unsigned)(id >> 40) % TW_PY_MAX_FRAME_IDS;
  for (unsigned probe = 0; probe < 64; ++probe) {
    uint64_t *slot = &tw_py_frame_ids[(start + probe) % TW_PY_MAX_FRAME_IDS];
    uint64_t cur = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (cur == id)
      return id;
    if (cur)
      continue;
    uint64_t expected = 0;
    if (!__atomic_compare_exchange_n(slot, &expected, id, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
      if (expected == id)
        return id;
      continue;
    }
    struct tw_py_code info;
    if (tw_py_code_info(&tw_py_reader, f->code, &info)) {
      __atomic_store_n(slot, 0, __ATOMIC_RELEASE);
      return 0;
    }
    struct {
      struct tw_frame_rec h;
      char names[sizeof info.function + sizeof info.file];
    } rec;
    rec.h.id = id;
    rec.h.kind = TW_FRAME_PYTHON;
    rec.h.line = f->line;
    size_t fn = strlen(info.function) + 1, fl = strlen(info.file) + 1;
    memcpy(rec.names, info.function, fn);
    memcpy(rec.names + fn, info.file, fl);
    tw_write_record(TW_REC_FRAME, &rec, sizeof rec.h + fn + fl);
    return id;
  }
  return 0; /* the table is full: keep the native frames */
}

/* frames[0..first) stay (native code the Python code called, e.g. an
 * extension), the interpreter's frames first..last become the Python stack
 * (leaf first), and what calls the interpreter (thread start, main) stays:
 * frames[last+1..n), or the thread's remembered tail when called with one
 * interpreter frame only (tw_py_sample). Returns the new count, or 0 when
 * nothing was rewritten (frames unchanged). */
static unsigned tw_py_replace(uint64_t *frames, unsigned n, unsigned cap, struct tw_thread *t,
                              int remembered_tail) {
  unsigned first = n, last = 0;
  for (unsigned i = 0; i < n; ++i)
    if (tw_in_interpreter((const void *)(uintptr_t)frames[i])) {
      if (first == n)
        first = i;
      last = i;
    }
  if (first == n)
    return 0;
  struct tw_py_chunks chunks;
  uint64_t frame = tw_py_own_frame(&chunks);
  if (!frame)
    return 0;
  struct tw_py_reader own = tw_py_reader;
  own.ctx = &chunks;
  struct tw_py_frame py[TW_PY_MAX_DEPTH];
  int depth = tw_py_stack(&own, frame, py, TW_PY_MAX_DEPTH);
  if (depth <= 0)
    return 0;
  uint64_t ids[TW_PY_MAX_DEPTH];
  for (int i = 0; i < depth; ++i)
    if (!(ids[i] = tw_py_frame_id(&py[i])))
      return 0;
  uint64_t tail[TW_PY_MAX_DEPTH];
  unsigned ntail = n - last - 1;
  if (remembered_tail) {
    ntail = t->py_tail_n;
    memcpy(tail, t->py_tail, ntail * sizeof *tail);
  } else {
    memcpy(tail, frames + last + 1, ntail * sizeof *tail);
    if (t) { /* a full unwind that did not hit the cap: its tail is the thread's */
      t->py_tail_ok = n < cap && ntail <= TW_PY_TAIL;
      t->py_tail_n = t->py_tail_ok ? ntail : 0;
      memcpy(t->py_tail, tail, t->py_tail_n * sizeof *tail);
    }
  }
  unsigned out = first;
  for (int i = 0; i < depth && out < cap; ++i)
    frames[out++] = ids[i] | TW_FRAME_INTERNED;
  for (unsigned i = 0; i < ntail && out < cap; ++i)
    frames[out++] = tail[i];
  return out;
}

/* tw_py_stack_hook: after a full native unwind. */
static unsigned tw_py_rewrite(uint64_t *frames, unsigned n, unsigned cap) {
  unsigned out = tw_py_replace(frames, n, cap, tw_peek_self(), 0);
  return out ? out : n;
}

unsigned tw_py_sample(struct tw_thread *t, uint64_t pc, uint64_t *frames, unsigned cap) {
  if (!tw_py_ok || !t->py_tail_ok || !tw_in_interpreter((const void *)(uintptr_t)pc))
    return 0;
  frames[0] = pc;
  return tw_py_replace(frames, 1, cap, t, 1);
}

int tw_py_stacks_init(uint64_t py_version) {
  const struct tw_py_offsets *off = tw_py_offsets_for(py_version);
  void *runtime = dlsym(RTLD_DEFAULT, "_PyRuntime");
  void *code_type = dlsym(RTLD_DEFAULT, "PyCode_Type");
  if (!off || !runtime || !code_type)
    return 0;
  struct tw_py_reader r = {off, tw_read_self, NULL, (uint64_t)(uintptr_t)runtime,
                           (uint64_t)(uintptr_t)code_type, &tw_py_cache};
  tw_py_reader = r;
  tw_py_ok = 1;
  tw_py_stack_hook = tw_py_rewrite;
  return 1;
}

/* A fork child writes its own file: frames must be announced there again. */
void tw_py_stacks_reset(void) {
  for (unsigned i = 0; tw_py_ok && i < TW_PY_MAX_FRAME_IDS; ++i)
    if (tw_py_frame_ids[i]) /* only touched pages: the rest stay shared */
      tw_py_frame_ids[i] = 0;
}
