/*===- tw_format.h - Per-process record file written by the preload ------===*
 *
 * The contract between libthreadwise-preload.so (C, runs inside the profiled
 * program) and the `threadwise profile` launcher (C++, runtime/collect/), which
 * reads these files and merges them into the profile JSON.
 *
 * One file per process image: <THREADWISE_OUT>/<pid>-<init_ns>.twp, opened
 * O_APPEND; every record is written with a single write(2), so records from
 * different threads never interleave. A record is a tw_rec_hdr followed by its
 * payload; unknown types are skipped by size. Times are CLOCK_MONOTONIC ns.
 *===----------------------------------------------------------------------===*/
#ifndef THREADWISE_PRELOAD_FORMAT_H
#define THREADWISE_PRELOAD_FORMAT_H

#include <stdint.h>

#define TW_FORMAT_MAGIC 0x31505754u /* "TWP1" */

enum tw_rec_type {
  TW_REC_PROC_BEGIN = 1, /* tw_proc_begin + exe\0argv0\0argv1\0... */
  TW_REC_THREAD = 2,     /* tw_thread_rec: one thread's totals */
  TW_REC_INTERVALS = 3,  /* tw_intervals_hdr + n * tw_interval */
  TW_REC_SITE = 4,       /* tw_site_rec: per-process totals of one wait site */
  TW_REC_MAPS = 5,       /* a chunk of /proc/self/maps text; a 0-length chunk starts a snapshot */
  TW_REC_PROC_END = 6,   /* tw_proc_end */
  TW_REC_CHILD_EXIT = 7, /* tw_child_exit: a status seen by the program's waitpid() */
  TW_REC_STACK = 8,       /* tw_stack_rec + nframes * uint64_t, leaf first */
  TW_REC_STACK_COUNTS = 9, /* n * tw_stack_count */
  TW_REC_FRAME = 10,      /* tw_frame_rec + function\0file\0: an interned frame */
};

/* Wait kinds; the JSON spells them "lock", "io", "sleep", "wait", "gil". */
enum tw_kind { TW_LOCK = 0, TW_IO, TW_SLEEP, TW_WAIT, TW_GIL, TW_KIND_COUNT };

/* What an I/O wait waited on (from fstat of its fd; "pipe" between processes is
 * IPC, e.g. a multiprocessing parent waiting for results). For io waits this
 * is the interval's/site's `object`. */
enum tw_fd_kind {
  TW_FD_UNKNOWN = 0,
  TW_FD_PIPE,
  TW_FD_SOCKET,
  TW_FD_FILE,
  TW_FD_TTY,
  TW_FD_OTHER,
  TW_FD_KIND_COUNT
};

struct tw_rec_hdr {
  uint32_t type;
  uint32_t size; /* including this header */
};

enum tw_proc_flags {
  TW_PROC_PYTHON = 1,
  TW_PROC_PY_FREE_THREADED = 2,
  TW_PROC_PY_SHARED_LIB = 4,
  TW_PROC_FORKED = 8, /* began in a fork child (no exec) */
  TW_PROC_PY_STACKS = 16, /* Python frames are read (a CPython layout this build knows) */
};

struct tw_proc_begin {
  uint32_t magic;
  uint32_t flags;
  int64_t pid, ppid;
  uint64_t init_ns;    /* preload constructor (or fork child handler) ran */
  uint64_t spawn_ns;   /* fork()/launch of this pid, inherited through exec */
  uint64_t py_version; /* Py_Version (0x030B02F0 = 3.11.2), 0 when not CPython */
  uint64_t min_interval_ns, max_intervals; /* recording limits in effect */
  uint64_t sample_period_ns; /* on-CPU stack sampling period (thread CPU time), 0 = off */
};

enum tw_thread_flags {
  TW_THREAD_MAIN = 1,    /* the process' initial thread */
  TW_THREAD_AT_EXIT = 2, /* still running when the process ended */
  TW_THREAD_ADOPTED = 4, /* not started through pthread_create (seen first at a wait) */
};

struct tw_thread_rec {
  int64_t tid, creator_tid;
  uint64_t flags;
  uint64_t start_ns, end_ns;
  uint64_t user_ns, sys_ns, cpu_ns, run_delay_ns;
  uint64_t voluntary_cs, involuntary_cs;
  uint64_t wait_ns[TW_KIND_COUNT];
  uint64_t wait_count[TW_KIND_COUNT];
  uint64_t gil_drops;
  uint64_t intervals_kept, intervals_dropped;
  uint64_t io_fd_ns[TW_FD_KIND_COUNT]; /* io waits of one tick or more, by tw_fd_kind */
  char name[16];
};

struct tw_interval {
  uint64_t start_ns, end_ns;
  uint64_t addr;   /* return address of the wrapper: the call site */
  uint64_t object; /* lock/cond/fd, 0 when none */
  uint32_t kind, pad;
};

struct tw_intervals_hdr {
  int64_t tid;
  uint64_t count;
};

struct tw_site_rec {
  uint64_t addr, object;
  uint64_t kind, count, wait_ns;
};

struct tw_proc_end {
  uint64_t end_ns;
  int64_t exit_code; /* -1 when unknown (returned from main) */
  uint64_t reason;   /* 1 exit/destructor, 2 _exit, 3 execve */
};

/*--- stacks (docs/runtime.md "Flame graphs") ------------------------------
 * A stack is a leaf-first array of frames, interned per process by a 64-bit
 * hash of its frames (equal hash = same stack; no second comparison). A frame
 * is a native return address (the interrupted pc for the leaf of an on-CPU
 * sample), or, with TW_FRAME_INTERNED set, the id of a TW_REC_FRAME record of
 * this process (Python frames: kind TW_FRAME_PYTHON, file:line function).
 * Counts are per (thread, stack, kind); kind is a tw_kind or TW_STACK_CPU. */
#define TW_FRAME_INTERNED (1ull << 63)
enum { TW_STACK_CPU = TW_KIND_COUNT, TW_STACK_KIND_COUNT };
enum tw_stack_flags { TW_STACK_TRUNCATED = 1 /* deeper than recorded: outer frames lost */ };
enum tw_frame_kind { TW_FRAME_NATIVE = 0, TW_FRAME_PYTHON = 1 };

struct tw_stack_rec {
  uint64_t hash;
  uint32_t nframes, flags;
};

struct tw_stack_count {
  int64_t tid;
  uint64_t hash;
  uint64_t kind;     /* tw_kind or TW_STACK_CPU */
  uint64_t count;    /* waits, or on-CPU samples */
  uint64_t value_ns; /* wait time; 0 for samples (the launcher apportions CPU time) */
};

struct tw_frame_rec {
  uint64_t id; /* without TW_FRAME_INTERNED */
  uint32_t kind;
  int32_t line;
};

struct tw_child_exit {
  int64_t pid;
  int64_t status; /* raw wait status */
  uint64_t t_ns;
};

#endif
