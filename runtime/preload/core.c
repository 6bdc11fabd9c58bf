/*===- core.c - Start-up, per-thread slots, wait bookkeeping, the file ---===*
 *
 * Everything here runs inside the profiled program. The output is one file per
 * process image, appended to with single write(2) calls (see tw_format.h); the
 * launcher symbolises and analyses later, so the program pays only for a clock
 * read and a few stores per *blocking* call, and nothing for an uncontended lock.
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "tw_preload.h"
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum { TW_MAX_THREADS = 4096, TW_MAX_SITES = 1024 };

TW_HIDDEN int tw_enabled;
TW_HIDDEN uint64_t tw_spawn_ns;

static int tw_fd = -1;
static pid_t tw_pid;
static char tw_outdir[1024];
static uint64_t tw_min_interval_ns = 20000; /* shorter waits only count in totals */
static uint64_t tw_max_intervals = 2000;    /* per thread; then the longest are kept */
static int tw_ended;                        /* atomic: process end already written */
static int tw_maps_busy;                    /* atomic: a maps snapshot is being written */
static uint64_t tw_maps_last_ns;
static uint64_t tw_fork_t0;
static uint64_t tw_exit_code_hint = (uint64_t)-1;

static struct tw_thread tw_threads[TW_MAX_THREADS];
/* Which slots are claimed (atomic 0/1), kept apart from the 11 MB table: the
 * exit and fork paths scan it, and reading a flag in every slot would fault in
 * one page per slot (~2,700 faults, ~3 ms, at every process start and exit). */
static int tw_slot_used[TW_MAX_THREADS];
static unsigned tw_slot_hint;

struct tw_site {
  uint64_t key; /* atomic: 0 = free */
  uint64_t addr, object, kind, count, wait_ns;
};
static struct tw_site tw_sites[TW_MAX_SITES];

/* The "ended" sentinel keeps a thread that finished from being adopted again by
 * a later key destructor that blocks. */
static struct tw_thread tw_ended_sentinel = {.busy = 1};
__thread struct tw_thread *tw_tls __attribute__((tls_model("initial-exec")));
static pthread_key_t tw_key;
static int tw_key_ok;

tw_gettime_fn tw_gettime = clock_gettime;

/* The vDSO is in the link map as linux-vdso.so.1; without one (or under a
 * loader that hides it) glibc's clock_gettime stays. */
__attribute__((constructor(101))) static void tw_resolve_clock(void) {
  void *vdso = dlopen("linux-vdso.so.1", RTLD_LAZY | RTLD_NOLOAD);
  void *fn = vdso ? dlvsym(vdso, "__vdso_clock_gettime", "LINUX_2.6") : NULL;
  if (fn)
    tw_gettime = (tw_gettime_fn)fn;
}

int tw_fd_kind(int fd) {
  struct stat st;
  if (fd < 0 || syscall(SYS_fstat, fd, &st) != 0)
    return TW_FD_UNKNOWN;
  if (S_ISFIFO(st.st_mode))
    return TW_FD_PIPE;
  if (S_ISSOCK(st.st_mode))
    return TW_FD_SOCKET;
  if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))
    return TW_FD_FILE;
  if (S_ISCHR(st.st_mode))
    return TW_FD_TTY;
  return TW_FD_OTHER;
}

pid_t tw_gettid(void) { return (pid_t)syscall(SYS_gettid); }
pid_t tw_cached_pid(void) { return tw_pid; }

/* dlsym during start-up: glibc's dlsym does not call back into the functions we
 * interpose (its internal calls bypass the PLT), but guard anyway so a recursive
 * lookup returns NULL instead of recursing forever. */
void *tw_real(const char *name, const char *version) {
  static __thread int depth __attribute__((tls_model("initial-exec")));
  if (depth)
    return NULL;
  ++depth;
  void *p = version ? dlvsym(RTLD_NEXT, name, version) : NULL;
  if (!p)
    p = dlsym(RTLD_NEXT, name);
  --depth;
  return p;
}

/*--- small async-signal-safe helpers -------------------------------------*/

static size_t tw_utoa(uint64_t v, char *out) {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; ++i)
    out[i] = tmp[n - 1 - i];
  out[n] = 0;
  return n;
}

static uint64_t tw_atou(const char *s) {
  uint64_t v = 0;
  while (*s >= '0' && *s <= '9')
    v = v * 10 + (uint64_t)(*s++ - '0');
  return v;
}

static ssize_t tw_read_file(const char *path, char *buf, size_t cap) {
  int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  size_t n = 0;
  while (n + 1 < cap) {
    ssize_t r = syscall(SYS_read, fd, buf + n, cap - 1 - n);
    if (r <= 0)
      break;
    n += (size_t)r;
  }
  syscall(SYS_close, fd);
  buf[n] = 0;
  return (ssize_t)n;
}

static uint64_t tw_fd_dev, tw_fd_ino;

/* Our descriptor can be closed by the program (close-all-fds loops before an
 * exec) and its number reused for one of the program's files: check that it is
 * still our file before every record (records are rare: a flush, a thread end). */
static int tw_fd_is_ours(void) {
  struct stat st;
  if (tw_fd < 0 || syscall(SYS_fstat, tw_fd, &st) != 0)
    return 0;
  return (uint64_t)st.st_dev == tw_fd_dev && (uint64_t)st.st_ino == tw_fd_ino;
}

void tw_write_record(uint32_t type, const void *payload, size_t size) {
  if (!tw_fd_is_ours())
    return;
  struct tw_rec_hdr h = {type, (uint32_t)(sizeof h + size)};
  /* One writev: O_APPEND keeps it in one piece, no copy on the caller's stack. */
  struct iovec iov[2] = {{&h, sizeof h}, {(void *)payload, size}};
  syscall(SYS_writev, tw_fd, iov, 2);
}

/*--- wait sites ----------------------------------------------------------*/

static void tw_maps_snapshot(void) {
  if (__atomic_exchange_n(&tw_maps_busy, 1, __ATOMIC_ACQUIRE))
    return;
  tw_maps_last_ns = tw_now();
  int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    tw_write_record(TW_REC_MAPS, "", 0); /* a new snapshot starts */
    char chunk[4000];
    ssize_t r;
    while ((r = syscall(SYS_read, fd, chunk, sizeof chunk)) > 0)
      tw_write_record(TW_REC_MAPS, chunk, (size_t)r);
    syscall(SYS_close, fd);
  }
  __atomic_store_n(&tw_maps_busy, 0, __ATOMIC_RELEASE);
}

static void tw_site_add(const void *addr, int kind, const void *object, uint64_t d) {
  /* An io site is split by what it waited on (one read() in libpython serves
   * sockets, pipes and files alike). */
  uint64_t variant = kind == TW_IO ? (uint64_t)(uintptr_t)object & 7 : 0;
  uint64_t key = (((uint64_t)(uintptr_t)addr << 6) | ((uint64_t)kind << 3) | variant) + 1;
  unsigned h = (unsigned)((key * 0x9E3779B97F4A7C15ull) >> 54) % TW_MAX_SITES;
  for (unsigned probe = 0; probe < TW_MAX_SITES; ++probe) {
    struct tw_site *s = &tw_sites[(h + probe) % TW_MAX_SITES];
    uint64_t cur = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE);
    if (cur == 0) {
      uint64_t expected = 0;
      if (__atomic_compare_exchange_n(&s->key, &expected, key, 0, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        s->addr = (uint64_t)(uintptr_t)addr;
        s->kind = (uint64_t)kind;
        s->object = (uint64_t)(uintptr_t)object;
        /* New code may have been loaded since the last snapshot; keep one
         * recent enough that a crash still leaves symbolisable sites. */
        if (tw_now() - tw_maps_last_ns > 50000000ull)
          tw_maps_snapshot();
        cur = key;
      } else {
        cur = expected;
      }
    }
    if (cur == key) {
      __atomic_fetch_add(&s->count, 1, __ATOMIC_RELAXED);
      __atomic_fetch_add(&s->wait_ns, d, __ATOMIC_RELAXED);
      return;
    }
  }
}

/*--- threads -------------------------------------------------------------*/

static struct tw_thread *tw_claim_slot(void) {
  unsigned start = __atomic_fetch_add(&tw_slot_hint, 1, __ATOMIC_RELAXED);
  for (unsigned i = 0; i < TW_MAX_THREADS; ++i) {
    unsigned slot = (start + i) % TW_MAX_THREADS;
    int expected = 0;
    if (__atomic_load_n(&tw_slot_used[slot], __ATOMIC_RELAXED) == 0 &&
        __atomic_compare_exchange_n(&tw_slot_used[slot], &expected, 1, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_RELAXED))
      return &tw_threads[slot];
  }
  return NULL; /* table full: the thread goes unrecorded (the /proc sampler still sees it) */
}

struct tw_thread *tw_thread_begin(pid_t creator, uint64_t flags) {
  if (!tw_enabled)
    return NULL;
  struct tw_thread *t = tw_claim_slot();
  if (!t)
    return NULL;
  t->busy = 0;
  t->tid = tw_gettid();
  t->creator = creator;
  t->flags = flags;
  t->start_ns = tw_now();
  memset(t->wait_ns, 0, sizeof t->wait_ns);
  memset(t->wait_count, 0, sizeof t->wait_count);
  t->gil_drops = t->kept = t->dropped = 0;
  memset(t->io_fd_ns, 0, sizeof t->io_fd_ns);
  t->n = 0;
  t->samples = 0;
  t->gil_stack = t->gil_stack_ns = 0;
  memset(t->io_stack_ns, 0, sizeof t->io_stack_ns);
  memset(t->io_held_ns, 0, sizeof t->io_held_ns);
  t->py_tail_ok = 0;
  t->py_tail_n = 0;
  tw_tls = t;
  if (tw_key_ok)
    pthread_setspecific(tw_key, t);
  tw_sampling_thread_start(t);
  return t;
}

struct tw_thread *tw_self(void) {
  struct tw_thread *t = tw_tls;
  if (TW_UNLIKELY(!t)) {
    if (!tw_enabled)
      return NULL;
    /* A thread we did not start (C11 thrd_create, clone): adopt it now. */
    return tw_thread_begin(0, TW_THREAD_ADOPTED);
  }
  return t == &tw_ended_sentinel ? NULL : t;
}

static void tw_flush_intervals(struct tw_thread *t) {
  if (!t->n)
    return;
  struct {
    struct tw_intervals_hdr h;
    struct tw_interval iv[TW_INTERVAL_BUF];
  } rec;
  rec.h.tid = t->tid;
  rec.h.count = t->n;
  memcpy(rec.iv, t->buf, t->n * sizeof(struct tw_interval));
  tw_write_record(TW_REC_INTERVALS, &rec, sizeof rec.h + t->n * sizeof(struct tw_interval));
  t->kept += t->n;
  t->n = 0;
}

static void tw_keep_interval(struct tw_thread *t, const struct tw_interval *iv) {
  if (t->n) {
    struct tw_interval *last = &t->buf[t->n - 1];
    /* Back-to-back waits at one site (a 5 ms GIL poll loop, a read loop) are
     * one interval on the timeline. */
    if (last->kind == iv->kind && last->addr == iv->addr &&
        iv->start_ns - last->end_ns < tw_min_interval_ns) {
      last->end_ns = iv->end_ns;
      return;
    }
  }
  if (t->kept + t->n < tw_max_intervals) {
    if (t->n == TW_INTERVAL_BUF)
      tw_flush_intervals(t);
    t->buf[t->n++] = *iv;
    return;
  }
  /* Over the cap: the buffer keeps the longest of the remaining intervals. */
  if (t->n < TW_INTERVAL_BUF) {
    t->buf[t->n++] = *iv;
    return;
  }
  unsigned shortest = 0;
  for (unsigned i = 1; i < t->n; ++i)
    if (t->buf[i].end_ns - t->buf[i].start_ns < t->buf[shortest].end_ns - t->buf[shortest].start_ns)
      shortest = i;
  ++t->dropped;
  if (iv->end_ns - iv->start_ns > t->buf[shortest].end_ns - t->buf[shortest].start_ns)
    t->buf[shortest] = *iv;
}

/* A GIL-bound thread waits for the GIL every switch interval (5 ms), and the
 * wait returns holding the GIL's own mutex: an unwind plus a Python stack walk
 * there (~60 us of CPU: without the GIL every read is a system call,
 * pystacks.c) delays the hand-off when the wait ended in one (a quarter of
 * them; the rest time out, when the running thread seldom needs the mutex, and
 * releasing it for the unwind saved nothing: a5c1abc). So a thread's
 * GIL-wait stack is unwound at most once per TW_GIL_STACK_NS, and the waits in
 * between are credited to it (a thread polling for the GIL is mostly still
 * where it last waited). At 20 ms this was still ~190 unwinds a second for
 * four GIL-bound threads, 0.6% of the run. */
enum { TW_GIL_STACK_NS = 100000000 };
static uint64_t tw_gil_stack(struct tw_thread *t, uint64_t now) {
  if (t->gil_stack && now - t->gil_stack_ns < TW_GIL_STACK_NS)
    return t->gil_stack;
  t->gil_stack = tw_stack_capture();
  t->gil_stack_ns = now;
  return t->gil_stack;
}

/* An I/O call or sleep is unwound when the coarse clock ticked during it. A
 * thread in an I/O loop sees every tick (250 a second here), and an unwind
 * costs ~9 us: 0.2% of a file copy. So a thread unwinds such a wait shorter
 * than TW_IO_STACK_NS at most once per TW_IO_STACK_NS per kind, and the
 * waits in between are held back and credited to the next one it unwinds: a
 * sample of where the thread waited taken every TW_IO_STACK_NS, like a
 * profiler's sampling period, rather than GIL waits' "still where it last
 * was" (an I/O loop moves between calls). Longer waits are always unwound and
 * credited alone; what is held back when the thread ends is "[no stack]". */
enum { TW_IO_STACK_NS = 20000000 };
static uint64_t tw_io_stack(struct tw_thread *t, int kind, uint64_t t1, uint64_t *value) {
  if (*value >= TW_IO_STACK_NS)
    return tw_stack_capture();
  int k = kind == TW_SLEEP;
  if (t1 - t->io_stack_ns[k] < TW_IO_STACK_NS) {
    t->io_held_ns[k] += *value;
    return 0;
  }
  t->io_stack_ns[k] = t1;
  *value += t->io_held_ns[k];
  t->io_held_ns[k] = 0;
  return tw_stack_capture();
}

static void tw_record_wait(struct tw_thread *t, int kind, uint64_t t0, uint64_t t1,
                           const void *addr, const void *object, uint64_t stack) {
  uint64_t d = t1 > t0 ? t1 - t0 : 0;
  t->wait_ns[kind] += d;
  ++t->wait_count[kind];
  /* A coarse-timed call within one tick: totals only, the site table (shared
   * atomics) is for waits that took measurable time. */
  if (d == 0 && kind != TW_LOCK && kind != TW_GIL)
    return;
  /* The stack: locks captured theirs before waiting; condition and GIL waits
   * unwind only when long enough to pay for it, I/O and sleep when the coarse
   * clock ticked (sampled, above). Shorter ones count in the launcher's
   * "[no stack]" frame. */
  uint64_t on_stack = d;
  if (!stack && d > 0) {
    if (kind == TW_IO || kind == TW_SLEEP)
      stack = tw_io_stack(t, kind, t1, &on_stack);
    else if (d >= tw_min_interval_ns)
      stack = kind == TW_GIL ? tw_gil_stack(t, t1) : tw_stack_capture();
  }
  tw_stack_count(t->tid, stack, kind, on_stack);
  if (kind == TW_IO)
    t->io_fd_ns[(uintptr_t)object % TW_FD_KIND_COUNT] += d;
  tw_site_add(addr, kind, object, d);
  if (d >= tw_min_interval_ns) {
    struct tw_interval iv = {
        t0, t1, (uint64_t)(uintptr_t)addr, (uint64_t)(uintptr_t)object, (uint32_t)kind, 0};
    tw_keep_interval(t, &iv);
  }
}

void tw_note_stack(int kind, uint64_t t0, uint64_t t1, const void *addr, const void *object,
                   uint64_t stack) {
  if (!tw_enabled)
    return;
  struct tw_thread *t = tw_self();
  if (!t || t->busy)
    return; /* a signal handler interrupted our own bookkeeping */
  t->busy = 1;
  tw_record_wait(t, kind, t0, t1, addr, object, stack);
  t->busy = 0;
}

void tw_note(int kind, uint64_t t0, uint64_t t1, const void *addr, const void *object) {
  tw_note_stack(kind, t0, t1, addr, object, 0);
}

struct tw_thread *tw_peek_self(void) {
  struct tw_thread *t = tw_tls;
  return t == &tw_ended_sentinel ? NULL : t;
}

void tw_note_gil_drop(void) {
  struct tw_thread *t = tw_self();
  if (t)
    ++t->gil_drops;
}

static void tw_fill_common(struct tw_thread_rec *r, const struct tw_thread *t) {
  memset(r, 0, sizeof *r);
  r->tid = t->tid;
  r->creator_tid = t->creator;
  r->start_ns = t->start_ns;
  memcpy(r->wait_ns, t->wait_ns, sizeof r->wait_ns);
  memcpy(r->wait_count, t->wait_count, sizeof r->wait_count);
  r->gil_drops = t->gil_drops;
  memcpy(r->io_fd_ns, t->io_fd_ns, sizeof r->io_fd_ns);
}

/* /proc/self/task/<tid>/schedstat: "<on-cpu ns> <run-delay ns> <slices>". */
static void tw_read_schedstat(pid_t tid, uint64_t *cpu, uint64_t *delay) {
  char path[64] = "/proc/self/task/", buf[128];
  size_t n = strlen(path);
  n += tw_utoa((uint64_t)tid, path + n);
  memcpy(path + n, "/schedstat", 11);
  if (tw_read_file(path, buf, sizeof buf) <= 0)
    return;
  char *p = buf;
  *cpu = tw_atou(p);
  while (*p && *p != ' ')
    ++p;
  *delay = tw_atou(p + (*p == ' '));
}

/* Totals of another, still running thread: /proc/self/task/<tid>/stat. */
static void tw_read_task_stat(pid_t tid, struct tw_thread_rec *r) {
  char path[64] = "/proc/self/task/", buf[1024];
  size_t n = strlen(path);
  n += tw_utoa((uint64_t)tid, path + n);
  memcpy(path + n, "/stat", 6);
  if (tw_read_file(path, buf, sizeof buf) <= 0)
    return;
  char *p = strrchr(buf, ')'); /* the name may hold spaces */
  if (!p)
    return;
  /* After ")": field 3 (state) ... field 14 utime, 15 stime. */
  int field = 2;
  uint64_t hz = (uint64_t)sysconf(_SC_CLK_TCK);
  for (; *p; ++p) {
    if (*p != ' ')
      continue;
    ++field;
    if (field == 14)
      r->user_ns = tw_atou(p + 1) * (1000000000ull / hz);
    if (field == 15) {
      r->sys_ns = tw_atou(p + 1) * (1000000000ull / hz);
      break;
    }
  }
}

static void tw_emit_thread(struct tw_thread *t, uint64_t flags, int self) {
  struct tw_thread_rec r;
  tw_fill_common(&r, t);
  r.flags = t->flags | flags;
  r.end_ns = tw_now();
  if (self) {
    struct rusage ru;
    if (getrusage(RUSAGE_THREAD, &ru) == 0) {
      r.user_ns =
          (uint64_t)ru.ru_utime.tv_sec * 1000000000ull + (uint64_t)ru.ru_utime.tv_usec * 1000;
      r.sys_ns =
          (uint64_t)ru.ru_stime.tv_sec * 1000000000ull + (uint64_t)ru.ru_stime.tv_usec * 1000;
      r.voluntary_cs = (uint64_t)ru.ru_nvcsw;
      r.involuntary_cs = (uint64_t)ru.ru_nivcsw;
    }
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
      r.cpu_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    prctl(PR_GET_NAME, r.name, 0, 0, 0);
  } else {
    tw_read_task_stat(t->tid, &r);
  }
  uint64_t cpu = 0;
  tw_read_schedstat(t->tid, &cpu, &r.run_delay_ns);
  if (!r.cpu_ns)
    r.cpu_ns = cpu;
  tw_flush_intervals(t);
  r.intervals_kept = t->kept;
  r.intervals_dropped = t->dropped;
  tw_write_record(TW_REC_THREAD, &r, sizeof r);
}

void tw_thread_end(struct tw_thread *t, uint64_t flags) {
  if (!t || t == &tw_ended_sentinel)
    return;
  t->busy = 1;
  tw_sampling_thread_stop(t);
  if (tw_enabled)
    tw_emit_thread(t, flags, 1);
  tw_tls = &tw_ended_sentinel;
  t->busy = 0;
  __atomic_store_n(&tw_slot_used[t - tw_threads], 0, __ATOMIC_RELEASE);
}

static void tw_key_destructor(void *p) { tw_thread_end((struct tw_thread *)p, 0); }

/*--- process -------------------------------------------------------------*/

static void tw_open_output(uint32_t extra_flags) {
  char path[1200];
  size_t n = strlen(tw_outdir);
  memcpy(path, tw_outdir, n);
  path[n++] = '/';
  n += tw_utoa((uint64_t)tw_pid, path + n);
  path[n++] = '-';
  uint64_t init_ns = tw_now();
  n += tw_utoa(init_ns, path + n);
  memcpy(path + n, ".twp", 5);
  tw_fd = (int)syscall(SYS_openat, AT_FDCWD, path,
                       O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_TRUNC, 0644);
  if (tw_fd < 0)
    return;
  /* Keep our descriptor out of the program's way (it may dup2 onto 3..9). */
  int high = (int)syscall(SYS_fcntl, tw_fd, F_DUPFD_CLOEXEC, 1000);
  if (high >= 0) {
    syscall(SYS_close, tw_fd);
    tw_fd = high;
  }
  struct stat st;
  if (syscall(SYS_fstat, tw_fd, &st) == 0) {
    tw_fd_dev = (uint64_t)st.st_dev;
    tw_fd_ino = (uint64_t)st.st_ino;
  }

  struct {
    struct tw_proc_begin b;
    char strings[4096];
  } rec;
  memset(&rec.b, 0, sizeof rec.b);
  rec.b.magic = TW_FORMAT_MAGIC;
  rec.b.pid = tw_pid;
  rec.b.ppid = (int64_t)getppid();
  rec.b.init_ns = init_ns;
  rec.b.spawn_ns = tw_spawn_ns ? tw_spawn_ns : init_ns;
  rec.b.min_interval_ns = tw_min_interval_ns;
  rec.b.max_intervals = tw_max_intervals;
  rec.b.sample_period_ns = tw_sampling_period();
  uint32_t pyflags = 0;
  tw_python_detect(&rec.b.py_version, &pyflags);
  rec.b.flags = pyflags | extra_flags;
  ssize_t e = syscall(SYS_readlink, "/proc/self/exe", rec.strings, 1023);
  size_t len = e > 0 ? (size_t)e : 0;
  rec.strings[len++] = 0;
  ssize_t c = tw_read_file("/proc/self/cmdline", rec.strings + len, sizeof rec.strings - len);
  if (c > 0)
    len += (size_t)c;
  tw_write_record(TW_REC_PROC_BEGIN, &rec, sizeof rec.b + len);
}

void tw_process_end(int64_t exit_code, uint64_t reason) {
  if (!tw_enabled || __atomic_exchange_n(&tw_ended, 1, __ATOMIC_ACQ_REL))
    return;
  struct tw_thread *self = tw_tls;
  if (self && self != &tw_ended_sentinel) {
    self->busy = 1;
    tw_emit_thread(self, 0, 1);
  }
  for (unsigned i = 0; i < TW_MAX_THREADS; ++i)
    if (&tw_threads[i] != self && __atomic_load_n(&tw_slot_used[i], __ATOMIC_ACQUIRE))
      tw_emit_thread(&tw_threads[i], TW_THREAD_AT_EXIT, 0);
  for (unsigned i = 0; i < TW_MAX_SITES; ++i) {
    struct tw_site *s = &tw_sites[i];
    if (!__atomic_load_n(&s->key, __ATOMIC_ACQUIRE))
      continue;
    struct tw_site_rec r = {s->addr, s->object, s->kind, s->count, s->wait_ns};
    tw_write_record(TW_REC_SITE, &r, sizeof r);
  }
  tw_stacks_flush();
  tw_maps_snapshot();
  struct tw_proc_end end = {tw_now(), exit_code, reason};
  if (exit_code < 0 && tw_exit_code_hint != (uint64_t)-1)
    end.exit_code = (int64_t)tw_exit_code_hint;
  tw_write_record(TW_REC_PROC_END, &end, sizeof end);
  tw_enabled = 0;
  if (self && self != &tw_ended_sentinel)
    self->busy = 0;
}

TW_HIDDEN void tw_set_exit_code(int code) { tw_exit_code_hint = (uint64_t)(unsigned)code; }

/* Fresh state for a new process: after fork() in the child, or after a failed
 * execve() that already wrote its process end. */
static void tw_reset(uint32_t flags) {
  struct tw_thread *self = tw_tls;
  struct tw_thread keep = {0};
  int had_self = self && self != &tw_ended_sentinel;
  if (had_self)
    keep = *self;
  /* Other threads do not exist here. Clear only slots in use: writing the
   * whole 11 MB table would add it to every forked child's RSS. */
  for (unsigned i = 0; i < TW_MAX_THREADS; ++i)
    if (tw_slot_used[i]) {
      memset(&tw_threads[i], 0, sizeof tw_threads[i]);
      tw_slot_used[i] = 0;
    }
  for (unsigned i = 0; i < TW_MAX_SITES; ++i)
    if (tw_sites[i].key)
      memset(&tw_sites[i], 0, sizeof tw_sites[i]);
  tw_stacks_reset(); /* a fork child's own, or written already before a failed exec */
  tw_maps_last_ns = 0;
  tw_ended = 0;
  tw_maps_busy = 0;
  tw_tls = NULL;
  tw_pid = (pid_t)syscall(SYS_getpid);
  tw_enabled = 1;
  tw_open_output(flags);
  struct tw_thread *t = tw_thread_begin(0, TW_THREAD_MAIN);
  if (t && had_self && (flags & TW_PROC_FORKED) == 0) {
    t->start_ns = keep.start_ns; /* same thread, a new record file */
  }
}

static void tw_atfork_prepare(void) { tw_fork_t0 = tw_now(); }

void tw_after_fork_child(void) {
  if (!tw_outdir[0])
    return;
  syscall(SYS_close, tw_fd);
  tw_fd = -1;
  tw_spawn_ns = tw_fork_t0;
  tw_reset(TW_PROC_FORKED);
}

TW_HIDDEN void tw_after_failed_exec(void) {
  if (!tw_outdir[0] || (pid_t)syscall(SYS_getpid) != tw_pid)
    return;
  syscall(SYS_close, tw_fd);
  tw_fd = -1;
  tw_reset(0);
}

TW_HIDDEN const char *tw_output_dir(void) { return tw_outdir; }

__attribute__((constructor)) static void tw_init(void) {
  const char *out = getenv("THREADWISE_OUT");
  if (!out || !*out || strlen(out) >= sizeof tw_outdir - 64)
    return;
  strcpy(tw_outdir, out);
  const char *v;
  if ((v = getenv("THREADWISE_MIN_INTERVAL_US")))
    tw_min_interval_ns = tw_atou(v) * 1000;
  if ((v = getenv("THREADWISE_MAX_INTERVALS")))
    tw_max_intervals = tw_atou(v);
  if ((v = getenv("THREADWISE_T0")))
    tw_spawn_ns = tw_atou(v);
  tw_pid = (pid_t)syscall(SYS_getpid);
  tw_key_ok = pthread_key_create(&tw_key, tw_key_destructor) == 0;
  pthread_atfork(tw_atfork_prepare, NULL, tw_after_fork_child);
  tw_stacks_init();
  tw_enabled = 1;
  tw_open_output(0);
  tw_thread_begin(0, TW_THREAD_MAIN);
}

__attribute__((destructor)) static void tw_fini(void) {
  if ((pid_t)syscall(SYS_getpid) == tw_pid)
    tw_process_end(-1, 1);
}
