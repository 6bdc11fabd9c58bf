/* Workloads for the overhead benchmark (run.sh). Each prints one line:
 *   <name> ops=<N> ns_per_op=<x> maxrss_kb=<k>
 * cpu:  4 threads of pure arithmetic (the preload sees only thread start/end)
 * lock: one thread, N uncontended pthread_mutex_lock/unlock pairs
 * io:   N small write(2)+read(2) pairs through a pipe (every call is timed):
 *       the syscall-bound microbenchmark, judged against the no-op floor
 * file: N 64 KiB blocks copied file to file with read(2)/write(2) (a 16 MiB
 *       file in $TMPDIR, rewound when done): the I/O-heavy case of a real
 *       program (cp, a log shipper, a build step), page cache included */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void *spin(void *arg) {
  volatile double x = 1.0;
  long n = (long)arg;
  for (long i = 0; i < n; ++i)
    x = x * 1.0000001 + 1e-9;
  return NULL;
}

static long cpu(long n) {
  pthread_t t[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&t[i], NULL, spin, (void *)(n / 4));
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
  return n;
}

static long lock(long n) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  for (long i = 0; i < n; ++i) {
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
  }
  return n;
}

static long io(long n) {
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  char buf[64];
  memset(buf, 'x', sizeof buf);
  for (long i = 0; i < n; ++i) {
    if (write(fds[1], buf, sizeof buf) != sizeof buf || read(fds[0], buf, sizeof buf) != sizeof buf)
      return i;
  }
  return n;
}

static long file(long n) {
  enum { BLOCK = 64 * 1024, BLOCKS = 256 };
  const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  char src[4096], dst[4096];
  snprintf(src, sizeof src, "%s/workloads-src-XXXXXX", dir);
  snprintf(dst, sizeof dst, "%s/workloads-dst-XXXXXX", dir);
  int in = mkstemp(src), out = mkstemp(dst);
  if (in < 0 || out < 0)
    return 0;
  unlink(src);
  unlink(dst);
  static char buf[BLOCK];
  memset(buf, 'x', sizeof buf);
  long done = 0;
  for (int i = 0; i < BLOCKS; ++i)
    if (write(in, buf, BLOCK) != BLOCK)
      return 0;
  while (done < n) {
    if (lseek(in, 0, SEEK_SET) != 0 || lseek(out, 0, SEEK_SET) != 0)
      break;
    for (int i = 0; i < BLOCKS && done < n; ++i, ++done)
      if (read(in, buf, BLOCK) != BLOCK || write(out, buf, BLOCK) != BLOCK)
        return done;
  }
  close(in);
  close(out);
  return done;
}
int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: workloads cpu|lock|io|file N\n");
    return 2;
  }
  long n = atol(argv[2]), done = 0;
  double t0 = now_ns();
  if (!strcmp(argv[1], "cpu"))
    done = cpu(n);
  else if (!strcmp(argv[1], "lock"))
    done = lock(n);
  else if (!strcmp(argv[1], "io"))
    done = io(n);
  else if (!strcmp(argv[1], "file"))
    done = file(n);
  double t1 = now_ns();
  /* Peak RSS of this image: VmHWM, not getrusage's ru_maxrss, which survives
   * exec and would count the launcher's pre-exec memory. */
  long hwm = -1;
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmHWM: %ld", &hwm) == 1)
      break;
  if (f)
    fclose(f);
  printf("%s ops=%ld ns_per_op=%.2f maxrss_kb=%ld\n", argv[1], done, (t1 - t0) / (done ? done : 1),
         hwm);
  return done == n ? 0 : 1;
}
