/* What the kernel side of `threadwise profile` costs a syscall-heavy thread,
 * measured inside one process so that this VM's slow and fast phases (which
 * last 0.4-3 s) hit every mode alike. The work comes in rounds of N units:
 *   copy    (default) a 64 KiB block copied file to file
 *           (bench/profile/workloads.c's `file` loop)
 *   switch  a round trip of one byte through two pipes to a thread created
 *           for the round: two hand-offs between threads on different CPUs,
 *           each a switch to and from idle, as GIL-bound Python threads do
 * Each round runs under one of four modes, in ABBA order:
 *   none   nothing attached
 *   perf   the launcher's four software counters on this thread (task-clock,
 *          context-switches, cpu-migrations, page-faults; inherit,
 *          exclude_kernel as PerfEvents.cpp opens them unprivileged)
 *   timer  the preload's sampling timer: CLOCK_THREAD_CPUTIME_ID, SIGPROF
 *          every 10 ms of CPU, an empty handler
 *   both   perf and timer
 * Prints each mode's median ns per unit and the median (and quartiles) of its
 * per-round ratio to `none`.
 *   usage: kernel_ab ROUNDS UNITS_PER_ROUND [copy|switch]
 *   e.g. kernel_ab 60 3000, kernel_ab 60 20000 switch */
#define _GNU_SOURCE
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { BLOCK = 65536, BLOCKS = 256, MAX_ROUNDS = 4096, NEVENTS = 4 };

static char buf[BLOCK];
static int in, out, pos = BLOCKS;
static int fds[NEVENTS];
static timer_t timer;
static volatile sig_atomic_t signals;

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static void on_prof(int sig) {
  (void)sig;
  ++signals;
}

static void copy(long n) {
  for (long k = 0; k < n; ++k, ++pos) {
    if (pos == BLOCKS) {
      lseek(in, 0, SEEK_SET);
      lseek(out, 0, SEEK_SET);
      pos = 0;
    }
    if (read(in, buf, BLOCK) != BLOCK || write(out, buf, BLOCK) != BLOCK) {
      perror("copy");
      exit(2);
    }
  }
}

static int ping[2], pong[2];

static void *partner(void *arg) {
  char c;
  for (long k = (long)arg; k > 0; --k)
    if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
      exit(2);
  return NULL;
}

/* The partner is created inside the round, after the counters are opened, so
 * that it inherits them as a profiled program's threads do. */
static void handoffs(long n) {
  pthread_t t;
  char c = 'x';
  if (pthread_create(&t, NULL, partner, (void *)n))
    exit(2);
  for (long k = 0; k < n; ++k)
    if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
      exit(2);
  pthread_join(t, NULL);
}

static void perf_on(void) {
  static const int config[NEVENTS] = {PERF_COUNT_SW_TASK_CLOCK, PERF_COUNT_SW_CONTEXT_SWITCHES,
                                      PERF_COUNT_SW_CPU_MIGRATIONS, PERF_COUNT_SW_PAGE_FAULTS};
  for (int i = 0; i < NEVENTS; ++i) {
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_SOFTWARE;
    a.config = config[i];
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    a.inherit = 1;
    a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    fds[i] = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
    if (fds[i] < 0) {
      perror("perf_event_open");
      exit(3);
    }
  }
}

static void perf_off(void) {
  for (int i = 0; i < NEVENTS; ++i)
    close(fds[i]);
}

static void timer_on(void) {
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_THREAD_ID;
  ev.sigev_signo = SIGPROF;
  ev._sigev_un._tid = gettid();
  struct itimerspec its = {{0, 10000000}, {0, 10000000}};
  if (timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &timer) || timer_settime(timer, 0, &its, NULL)) {
    perror("timer");
    exit(3);
  }
}

static void timer_off(void) { timer_delete(timer); }

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 60;
  long per = argc > 2 ? atol(argv[2]) : 3000;
  const char *what = argc > 3 ? argv[3] : "copy";
  void (*work)(long) = !strcmp(what, "copy") ? copy : !strcmp(what, "switch") ? handoffs : NULL;
  if (rounds < 2 || rounds > MAX_ROUNDS || per < 1 || !work) {
    fprintf(stderr, "usage: kernel_ab ROUNDS(2-%d) UNITS_PER_ROUND [copy|switch]\n", MAX_ROUNDS);
    return 1;
  }
  if (pipe(ping) || pipe(pong)) {
    perror("pipe");
    return 1;
  }
  const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  char src[4096], dst[4096];
  snprintf(src, sizeof src, "%s/kernel_ab-src-XXXXXX", dir);
  snprintf(dst, sizeof dst, "%s/kernel_ab-dst-XXXXXX", dir);
  in = mkstemp(src);
  out = mkstemp(dst);
  if (in < 0 || out < 0) {
    perror("mkstemp");
    return 1;
  }
  unlink(src);
  unlink(dst);
  memset(buf, 'x', sizeof buf);
  for (int i = 0; i < BLOCKS; ++i)
    if (write(in, buf, BLOCK) != BLOCK)
      return 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_prof;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGPROF, &sa, NULL);

  perf_on(); /* the kernel's perf key and a warm page cache before the first round */
  work(per);
  perf_off();

  static const char *names[4] = {"none", "perf", "timer", "both"};
  static double ns[4][MAX_ROUNDS];
  for (int r = 0; r < rounds; ++r)
    for (int j = 0; j < 4; ++j) {
      int m = r % 2 ? 3 - j : j;
      if (m & 1)
        perf_on();
      if (m & 2)
        timer_on();
      double t0 = now_ns();
      work(per);
      ns[m][r] = (now_ns() - t0) / per;
      if (m & 1)
        perf_off();
      if (m & 2)
        timer_off();
    }
  for (int m = 0; m < 4; ++m) {
    static double ratio[MAX_ROUNDS], sorted[MAX_ROUNDS];
    for (int r = 0; r < rounds; ++r)
      ratio[r] = ns[m][r] / ns[0][r];
    memcpy(sorted, ns[m], rounds * sizeof *sorted);
    qsort(ratio, rounds, sizeof *ratio, by_value);
    qsort(sorted, rounds, sizeof *sorted, by_value);
    printf("%-5s %.0f ns/%s  ratio to none %.4f (quartiles %.4f-%.4f)\n", names[m],
           sorted[rounds / 2], work == copy ? "block" : "round trip", ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]);
  }
  printf("SIGPROF delivered: %d\n", (int)signals);
  return 0;
}
