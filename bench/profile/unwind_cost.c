/* CPU cost of one stack unwind as the preload library does it (libgcc's
 * _Unwind_Backtrace over .eh_frame, up to 80 frames), from D calls deep, in
 * thread CPU time so a loaded machine does not inflate it. Prints
 *   unwind depth=<D> frames=<n> ns_per_unwind=<x> */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unwind.h>

struct acc {
  uint64_t pcs[80];
  unsigned n;
};

static _Unwind_Reason_Code cb(struct _Unwind_Context *ctx, void *arg) {
  struct acc *a = arg;
  if (a->n == 80)
    return _URC_END_OF_STACK;
  a->pcs[a->n++] = _Unwind_GetIP(ctx);
  return _URC_NO_REASON;
}

static double cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

__attribute__((noinline)) static unsigned deep(int d, long reps, double *ns) {
  if (d > 0) {
    unsigned n = deep(d - 1, reps, ns);
    __asm__ volatile("" ::: "memory");
    return n;
  }
  struct acc a;
  double t0 = cpu_ns();
  for (long i = 0; i < reps; ++i) {
    a.n = 0;
    _Unwind_Backtrace(cb, &a);
  }
  *ns = (cpu_ns() - t0) / reps;
  return a.n;
}

int main(int argc, char **argv) {
  long reps = argc > 1 ? atol(argv[1]) : 20000;
  for (int d = 8; d <= 64; d *= 2) {
    double ns;
    unsigned n = deep(d, reps, &ns);
    printf("unwind depth=%d frames=%u ns_per_unwind=%.0f\n", d, n, ns);
  }
  return 0;
}
