/*===- stacks.c - Call stacks of off-CPU waits and on-CPU samples ---------===*
 *
 * Off-CPU: a wait that took time (a contended lock, an I/O call that crossed a
 * clock tick, a condition or GIL wait of 20 us or more) unwinds its caller's
 * stack with libgcc's unwinder (.eh_frame, so no frame pointers needed); the
 * uncontended paths never get here. On-CPU: each thread has a POSIX timer on
 * its own CPU-time clock that sends it SIGPROF every sample period of CPU it
 * uses (default 10 ms, THREADWISE_SAMPLE_HZ, 0 = off); the handler unwinds from
 * the interrupted pc (a Python thread's sample mostly reads its Python frames
 * only, pystacks.c). Stacks are interned by a 64-bit hash of their frames and
 * counted per (thread, stack, kind) in lock-free tables of static memory, and
 * written at process end (tw_format.h); the launcher symbolises them.
 *
 * Async-signal safety: _Unwind_Backtrace keeps its state on the stack and finds
 * unwind tables through glibc's _dl_find_object (2.35+, lock-free); it is
 * warmed up in the constructor so its one-time initialisation never runs in a
 * handler. Tables are claimed with compare-and-swap, never locked.
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "tw_preload.h"
#include <errno.h>
#include <link.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

enum {
  TW_MAX_STACKS = 8192,
  TW_FRAME_POOL = TW_MAX_STACKS * 24,
  TW_MAX_COUNTS = 8192,
  TW_SAMPLE_TOKEN = 0x7477, /* sigev_value of our timers: "tw" */
};

struct tw_stack {
  uint64_t hash; /* atomic: 0 = free */
  uint32_t nframes, flags, offset;
  int ready; /* atomic: frames written */
};

struct tw_count {
  uint64_t key; /* atomic: 0 = free */
  int64_t tid;
  uint64_t hash, kind, count, value_ns;
};

static struct tw_stack tw_stacks[TW_MAX_STACKS];
static uint64_t tw_frame_pool[TW_FRAME_POOL];
static uint32_t tw_frame_used; /* atomic */
static struct tw_count tw_counts[TW_MAX_COUNTS];
static uint64_t tw_stacks_lost; /* atomic: tables full */

static uintptr_t tw_self_lo, tw_self_hi; /* this library's code */
static int tw_stacks_on = 1;            /* THREADWISE_STACKS=0: no stacks at all */
static uint64_t tw_sample_period_ns = 10000000;
static int tw_sampling; /* 1 when our SIGPROF handler is installed */

TW_HIDDEN unsigned (*tw_py_stack_hook)(uint64_t *frames, unsigned n, unsigned cap);

static uint64_t tw_mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

/*--- unwinding -----------------------------------------------------------*/

struct tw_unwind {
  uint64_t *out;
  unsigned n, cap;
  int truncated;
};

static _Unwind_Reason_Code tw_unwind_cb(struct _Unwind_Context *ctx, void *arg) {
  struct tw_unwind *u = (struct tw_unwind *)arg;
  uintptr_t ip = _Unwind_GetIP(ctx);
  if (!ip)
    return _URC_END_OF_STACK;
  if (u->n == u->cap) {
    u->truncated = 1;
    return _URC_END_OF_STACK;
  }
  u->out[u->n++] = ip;
  return _URC_NO_REASON;
}

/* Leaf-first frames of the caller of our wrappers: everything in this library
 * (the unwinder's own frames, tw_note, the wrapper) is dropped. When from_pc
 * is set (a signal handler), frames start at that interrupted pc. */
static unsigned tw_unwind(uint64_t *frames, unsigned cap, uint64_t from_pc, uint32_t *flags) {
  uint64_t raw[TW_MAX_FRAMES + 16];
  struct tw_unwind u = {raw, 0, TW_MAX_FRAMES + 16, 0};
  _Unwind_Backtrace(tw_unwind_cb, &u);
  unsigned first = 0;
  if (from_pc) {
    while (first < u.n && raw[first] != from_pc)
      ++first;
    if (first == u.n) { /* could not unwind through the signal frame */
      frames[0] = from_pc;
      *flags = TW_STACK_TRUNCATED;
      return 1;
    }
  } else {
    while (first < u.n && raw[first] >= tw_self_lo && raw[first] < tw_self_hi)
      ++first;
  }
  unsigned n = u.n - first;
  *flags = u.truncated ? TW_STACK_TRUNCATED : 0;
  if (n > cap) {
    n = cap;
    *flags = TW_STACK_TRUNCATED;
  }
  memcpy(frames, raw + first, n * sizeof *frames);
  if (tw_py_stack_hook)
    n = tw_py_stack_hook(frames, n, cap);
  return n;
}

/*--- tables --------------------------------------------------------------*/

uint64_t tw_stack_intern(const uint64_t *frames, unsigned n, uint32_t flags) {
  if (!n)
    return 0;
  uint64_t h = tw_mix(0x74770001ull, flags);
  for (unsigned i = 0; i < n; ++i)
    h = tw_mix(h, frames[i]);
  if (!h)
    h = 1;
  unsigned start = (unsigned)(h >> 40) % TW_MAX_STACKS;
  for (unsigned probe = 0; probe < 64; ++probe) {
    struct tw_stack *s = &tw_stacks[(start + probe) % TW_MAX_STACKS];
    uint64_t cur = __atomic_load_n(&s->hash, __ATOMIC_ACQUIRE);
    if (cur == h)
      return h;
    if (cur != 0)
      continue;
    uint64_t expected = 0;
    if (!__atomic_compare_exchange_n(&s->hash, &expected, h, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
      if (expected == h)
        return h;
      continue;
    }
    uint32_t off = __atomic_fetch_add(&tw_frame_used, n, __ATOMIC_RELAXED);
    if (off + n > TW_FRAME_POOL) { /* the pool is full: this entry stays frameless */
      __atomic_fetch_add(&tw_stacks_lost, 1, __ATOMIC_RELAXED);
      return 0;
    }
    memcpy(&tw_frame_pool[off], frames, n * sizeof *frames);
    s->nframes = n;
    s->flags = flags;
    s->offset = off;
    __atomic_store_n(&s->ready, 1, __ATOMIC_RELEASE);
    return h;
  }
  __atomic_fetch_add(&tw_stacks_lost, 1, __ATOMIC_RELAXED);
  return 0;
}

void tw_stack_count(pid_t tid, uint64_t hash, int kind, uint64_t value_ns) {
  if (!hash)
    return;
  uint64_t key = tw_mix(tw_mix(hash, (uint64_t)tid), (uint64_t)kind) | 1;
  unsigned start = (unsigned)(key >> 40) % TW_MAX_COUNTS;
  for (unsigned probe = 0; probe < 128; ++probe) {
    struct tw_count *c = &tw_counts[(start + probe) % TW_MAX_COUNTS];
    uint64_t cur = __atomic_load_n(&c->key, __ATOMIC_ACQUIRE);
    if (cur == 0) {
      uint64_t expected = 0;
      if (__atomic_compare_exchange_n(&c->key, &expected, key, 0, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        c->tid = tid;
        c->hash = hash;
        c->kind = (uint64_t)kind;
        cur = key;
      } else {
        cur = expected;
      }
    }
    if (cur == key) {
      __atomic_fetch_add(&c->count, 1, __ATOMIC_RELAXED);
      __atomic_fetch_add(&c->value_ns, value_ns, __ATOMIC_RELAXED);
      return;
    }
  }
  __atomic_fetch_add(&tw_stacks_lost, 1, __ATOMIC_RELAXED);
}

uint64_t tw_stack_capture(void) {
  if (!tw_stacks_on)
    return 0;
  uint64_t frames[TW_MAX_FRAMES];
  uint32_t flags;
  unsigned n = tw_unwind(frames, TW_MAX_FRAMES, 0, &flags);
  return tw_stack_intern(frames, n, flags);
}

uint64_t tw_stack_here(void) {
  struct tw_thread *t = tw_self();
  if (!t || t->busy)
    return 0;
  t->busy = 1;
  uint64_t h = tw_stack_capture();
  t->busy = 0;
  return h;
}

/*--- on-CPU sampling -----------------------------------------------------*/

static void tw_prof_handler(int sig, siginfo_t *si, void *ucv) {
  (void)sig;
  if (si->si_code != SI_TIMER || si->si_value.sival_int != TW_SAMPLE_TOKEN || !tw_enabled)
    return;
  struct tw_thread *t = tw_peek_self();
  if (!t || t->busy)
    return; /* our own bookkeeping was interrupted: skip this sample */
  int e = errno;
  t->busy = 1;
  ucontext_t *uc = (ucontext_t *)ucv;
  uint64_t pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
  uint64_t frames[TW_MAX_FRAMES];
  uint32_t flags = 0;
  /* A Python thread in the interpreter: its Python frames are what the
   * sample shows, and its native frames under them (thread start) do not
   * change, so 7 samples in 8 skip the native unwind (~20 us of CPU with
   * cold caches; the Python walk ~8 us). */
  unsigned n = (t->samples & 7) ? tw_py_sample(t, pc, frames, TW_MAX_FRAMES) : 0;
  if (n == TW_MAX_FRAMES)
    flags = TW_STACK_TRUNCATED;
  if (!n)
    n = tw_unwind(frames, TW_MAX_FRAMES, pc, &flags);
  tw_stack_count(t->tid, tw_stack_intern(frames, n, flags), TW_STACK_CPU, 0);
  ++t->samples;
  t->busy = 0;
  errno = e;
}

void tw_sampling_thread_start(struct tw_thread *t) {
  t->has_timer = 0;
  if (!tw_sampling)
    return;
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_THREAD_ID;
  ev.sigev_signo = SIGPROF;
  ev.sigev_value.sival_int = TW_SAMPLE_TOKEN;
  ev._sigev_un._tid = t->tid;
  int id;
  if (syscall(SYS_timer_create, CLOCK_THREAD_CPUTIME_ID, &ev, &id) != 0)
    return;
  struct itimerspec its;
  its.it_interval.tv_sec = (time_t)(tw_sample_period_ns / 1000000000ull);
  its.it_interval.tv_nsec = (long)(tw_sample_period_ns % 1000000000ull);
  its.it_value = its.it_interval;
  if (syscall(SYS_timer_settime, id, 0, &its, NULL) != 0) {
    syscall(SYS_timer_delete, id);
    return;
  }
  t->timer = id;
  t->has_timer = 1;
}

void tw_sampling_thread_stop(struct tw_thread *t) {
  if (t->has_timer)
    syscall(SYS_timer_delete, t->timer);
  t->has_timer = 0;
}

/* Before execve: a SIGPROF still pending would kill the new image before its
 * constructor installs the handler (dispositions reset, pending signals stay).
 * Stop this thread's timer, then discard a pending one by ignoring the signal
 * for a moment (other threads' signals die with them). */
void tw_sampling_before_exec(struct tw_thread *t) {
  if (!tw_sampling || !t)
    return;
  tw_sampling_thread_stop(t);
  struct sigaction ign, ours;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  if (sigaction(SIGPROF, &ign, &ours) == 0)
    sigaction(SIGPROF, &ours, NULL);
}

uint64_t tw_sampling_period(void) { return tw_sampling ? tw_sample_period_ns : 0; }

static uint64_t tw_parse_u64(const char *s) {
  uint64_t v = 0;
  while (*s >= '0' && *s <= '9')
    v = v * 10 + (uint64_t)(*s++ - '0');
  return v;
}

static int tw_self_range_cb(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  uintptr_t probe = (uintptr_t)data;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && probe >= lo && probe < lo + ph->p_memsz) {
      tw_self_lo = lo;
      tw_self_hi = lo + ph->p_memsz;
      return 1;
    }
  }
  return 0;
}

/* Runs from tw_init (core.c) before the first thread slot is claimed. */
void tw_stacks_init(void) {
  dl_iterate_phdr(tw_self_range_cb, (void *)(uintptr_t)&tw_stacks_init);
  uint64_t warm[4];
  uint32_t flags;
  tw_unwind(warm, 4, 0, &flags); /* libgcc's one-time set-up, outside any handler */
  const char *v = getenv("THREADWISE_STACKS");
  if (v && v[0] == '0') {
    tw_stacks_on = 0;
    return;
  }
  v = getenv("THREADWISE_SAMPLE_HZ");
  uint64_t hz = v ? tw_parse_u64(v) : 100;
  if (hz == 0 || hz > 10000)
    return;
  tw_sample_period_ns = 1000000000ull / hz;
  /* A program (or a profiler) that handles SIGPROF itself keeps it. */
  struct sigaction old;
  if (sigaction(SIGPROF, NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) ||
      old.sa_handler != SIG_DFL)
    return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = tw_prof_handler;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  tw_sampling = sigaction(SIGPROF, &sa, NULL) == 0;
}

/*--- output --------------------------------------------------------------*/

void tw_stacks_flush(void) {
  struct {
    struct tw_stack_rec h;
    uint64_t frames[TW_MAX_FRAMES];
  } rec;
  for (unsigned i = 0; i < TW_MAX_STACKS; ++i) {
    struct tw_stack *s = &tw_stacks[i];
    if (!__atomic_load_n(&s->hash, __ATOMIC_ACQUIRE) ||
        !__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE))
      continue;
    rec.h.hash = s->hash;
    rec.h.nframes = s->nframes;
    rec.h.flags = s->flags;
    memcpy(rec.frames, &tw_frame_pool[s->offset], s->nframes * sizeof(uint64_t));
    tw_write_record(TW_REC_STACK, &rec, sizeof rec.h + s->nframes * sizeof(uint64_t));
  }
  struct tw_stack_count batch[128];
  unsigned n = 0;
  for (unsigned i = 0; i < TW_MAX_COUNTS; ++i) {
    struct tw_count *c = &tw_counts[i];
    if (!__atomic_load_n(&c->key, __ATOMIC_ACQUIRE) || !c->hash)
      continue;
    struct tw_stack_count r = {c->tid, c->hash, c->kind, c->count, c->value_ns};
    batch[n++] = r;
    if (n == 128) {
      tw_write_record(TW_REC_STACK_COUNTS, batch, n * sizeof batch[0]);
      n = 0;
    }
  }
  if (n)
    tw_write_record(TW_REC_STACK_COUNTS, batch, n * sizeof batch[0]);
}

/* A fork child starts empty (it inherited the parent's tables). */
void tw_stacks_reset(void) {
  for (unsigned i = 0; i < TW_MAX_STACKS; ++i)
    if (tw_stacks[i].hash)
      memset(&tw_stacks[i], 0, sizeof tw_stacks[i]);
  for (unsigned i = 0; i < TW_MAX_COUNTS; ++i)
    if (tw_counts[i].key)
      memset(&tw_counts[i], 0, sizeof tw_counts[i]);
  tw_frame_used = 0;
  tw_stacks_lost = 0;
}
