/*===- tw_preload.h - Internals shared by the preload library's files ----===*
 *
 * Rules for everything in runtime/preload/: no LLVM, no malloc after start-up,
 * no lock the program could see or deadlock on (only atomics and write(2)),
 * and the uncontended paths (mutex trylock succeeded) record nothing.
 *===----------------------------------------------------------------------===*/
#ifndef THREADWISE_PRELOAD_H
#define THREADWISE_PRELOAD_H

#include "tw_format.h"
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define TW_HIDDEN __attribute__((visibility("hidden")))
#define TW_EXPORT __attribute__((visibility("default")))
#define TW_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define TW_LIKELY(x) __builtin_expect(!!(x), 1)

enum { TW_INTERVAL_BUF = 64, TW_MAX_FRAMES = 64, TW_PY_TAIL = 8 };

/* One tracked thread. Lives in a static table, not in TLS, so the exit path
 * can read totals of threads that are still running without use-after-free.
 * busy and wait_count share the slot's first cache line: that is all an I/O
 * call within one clock tick touches (tw_count_instant), and after a 64 KiB
 * read or write the line is usually out of cache. */
struct __attribute__((aligned(64))) tw_thread {
  int busy; /* re-entrancy guard: a signal handler interrupting our bookkeeping */
  pid_t tid, creator;
  uint64_t wait_count[TW_KIND_COUNT];
  uint64_t flags, start_ns;
  uint64_t wait_ns[TW_KIND_COUNT];
  uint64_t gil_drops, kept, dropped;
  uint64_t io_fd_ns[TW_FD_KIND_COUNT];
  uint64_t samples; /* on-CPU stack samples taken */
  uint64_t gil_stack, gil_stack_ns; /* the last GIL wait's unwound stack, and when */
  /* Short I/O [0] and sleep [1] waits: when one was last unwound, and the
   * time of those since, to credit to the next one unwound (core.c). */
  uint64_t io_stack_ns[2], io_held_ns[2];
  /* A Python thread's native frames under its outermost interpreter frame
   * (thread start), from its last full unwind (pystacks.c). */
  uint64_t py_tail[TW_PY_TAIL];
  uint32_t py_tail_n;
  int py_tail_ok;
  int timer, has_timer; /* the CPU-time sampling timer (stacks.c) */
  uint32_t n;
  struct tw_interval buf[TW_INTERVAL_BUF];
};

/* Real functions, resolved with dlsym(RTLD_NEXT) in the constructor. */
TW_HIDDEN void *tw_real(const char *name, const char *version);

TW_HIDDEN extern int tw_enabled; /* 1 once the output file is open */

/* Clocks. Reads go straight to the vDSO's clock_gettime, resolved by core.c's
 * constructor (glibc's clock_gettime until then): its wrapper adds ~1.5 ns a
 * read, and every I/O call is timed twice. */
typedef int (*tw_gettime_fn)(clockid_t, struct timespec *);
TW_HIDDEN extern tw_gettime_fn tw_gettime;
static inline uint64_t tw_clock_ns(clockid_t c) {
  struct timespec ts;
  tw_gettime(c, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
static inline uint64_t tw_now(void) { return tw_clock_ns(CLOCK_MONOTONIC); }
/* I/O and sleep timing (io.c): one jiffy of resolution, a fraction of the cost
 * where the precise vDSO clock is slow (4 ns against 30 ns on this VM). Same
 * time base: a coarse reading lags the precise clock by less than one tick. */
static inline uint64_t tw_now_coarse(void) { return tw_clock_ns(CLOCK_MONOTONIC_COARSE); }

/* The calling thread's slot: NULL before it has one, a sentinel with busy set
 * once it ended. */
TW_HIDDEN extern __thread struct tw_thread *tw_tls __attribute__((tls_model("initial-exec")));
TW_HIDDEN struct tw_thread *tw_self(void); /* claims a slot on first use */

/* The fast path of tw_note() for a wait that took no measurable time (a
 * coarse-timed call that ended in the tick it began): it only counts. Returns
 * 0 when the thread has no slot yet, or is inside its own bookkeeping (a
 * signal handler): then tw_note() decides. */
static inline int tw_count_instant(int kind) {
  struct tw_thread *t = tw_tls;
  if (TW_UNLIKELY(!t || t->busy))
    return 0;
  ++t->wait_count[kind];
  return 1;
}
TW_HIDDEN struct tw_thread *tw_thread_begin(pid_t creator, uint64_t flags);
TW_HIDDEN void tw_thread_end(struct tw_thread *t, uint64_t flags);
TW_HIDDEN struct tw_thread *tw_peek_self(void); /* no adoption: for signal handlers */
TW_HIDDEN void tw_note(int kind, uint64_t t0, uint64_t t1, const void *addr, const void *object);
/* Like tw_note, with the stack captured before the wait (tw_stack_here()). */
TW_HIDDEN void tw_note_stack(int kind, uint64_t t0, uint64_t t1, const void *addr,
                             const void *object, uint64_t stack);
TW_HIDDEN void tw_write_record(uint32_t type, const void *payload, size_t size);
TW_HIDDEN void tw_process_end(int64_t exit_code, uint64_t reason);
TW_HIDDEN void tw_after_fork_child(void);
TW_HIDDEN void tw_note_gil_drop(void);
TW_HIDDEN int tw_fd_kind(int fd);
TW_HIDDEN void tw_set_exit_code(int code);
TW_HIDDEN void tw_after_failed_exec(void);
TW_HIDDEN const char *tw_output_dir(void);
TW_HIDDEN pid_t tw_gettid(void);
TW_HIDDEN pid_t tw_cached_pid(void);

/* CPython (python.c). */
TW_HIDDEN void tw_python_detect(uint64_t *version, uint32_t *flags);
TW_HIDDEN int tw_in_interpreter(const void *addr);
/* Python frames in stacks (pystacks.c): sets tw_py_stack_hook when it can. */
TW_HIDDEN int tw_py_stacks_init(uint64_t py_version);
TW_HIDDEN void tw_py_stacks_reset(void);

/* Call stacks (stacks.c, tw_format.h). A stack id is the hash of its frames,
 * 0 = none. tw_stack_here() unwinds the caller of the calling wrapper. */
TW_HIDDEN void tw_stacks_init(void);
TW_HIDDEN uint64_t tw_stack_here(void);
TW_HIDDEN uint64_t tw_stack_capture(void); /* the caller already holds t->busy */
TW_HIDDEN uint64_t tw_stack_intern(const uint64_t *leaf_first, unsigned n, uint32_t flags);
TW_HIDDEN void tw_stack_count(pid_t tid, uint64_t stack, int kind, uint64_t value_ns);
TW_HIDDEN void tw_stacks_flush(void);
TW_HIDDEN void tw_stacks_reset(void);
TW_HIDDEN void tw_sampling_thread_start(struct tw_thread *t);
TW_HIDDEN void tw_sampling_thread_stop(struct tw_thread *t);
TW_HIDDEN void tw_sampling_before_exec(struct tw_thread *t);
TW_HIDDEN uint64_t tw_sampling_period(void);
/* Set by a Python frame reader: rewrites a leaf-first native stack in place
 * (e.g. interpreter frames -> TW_FRAME_INTERNED Python frames, announced with
 * TW_REC_FRAME records) and returns the new frame count, at most cap.
 * Called from signal handlers too: async-signal-safe only. */
TW_HIDDEN extern unsigned (*tw_py_stack_hook)(uint64_t *frames, unsigned n, unsigned cap);
/* An on-CPU sample of a Python thread interrupted in the interpreter, without
 * a native unwind: pc, the Python frames, then the thread's remembered tail.
 * Returns the frame count, or 0 when it cannot (then unwind). */
TW_HIDDEN unsigned tw_py_sample(struct tw_thread *t, uint64_t pc, uint64_t *frames,
                                unsigned cap);

/* Environment for exec'ed children (process.c). */
TW_HIDDEN extern uint64_t tw_spawn_ns;

#endif
