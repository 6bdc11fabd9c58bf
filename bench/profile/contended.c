/* Contended-lock workload for the stack benchmark (stacks.sh): 4 threads take
 * one mutex N times in all, each from 16 calls deep, with a short critical
 * section, so many lock calls find the lock taken and wait (the preload's
 * slow path, where it unwinds the caller's stack). Prints
 *   contended ops=<N> ns_per_op=<x> maxrss_kb=<k> */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile double shared = 1.0;

__attribute__((noinline)) static void deep(int depth, long n) {
  if (depth > 0) {
    deep(depth - 1, n);
    __asm__ volatile("" ::: "memory"); /* not a tail call: keep the frames */
    return;
  }
  for (long i = 0; i < n; ++i) {
    pthread_mutex_lock(&m);
    for (int k = 0; k < 200; ++k)
      shared = shared * 1.0000001 + 1e-9;
    pthread_mutex_unlock(&m);
  }
}

static void *worker(void *arg) {
  deep(16, (long)arg);
  return NULL;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 400000;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pthread_t t[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&t[i], NULL, worker, (void *)(n / 4));
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
  long hwm = -1;
  char line[256];
  FILE *f = fopen("/proc/self/status", "r");
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmHWM: %ld", &hwm) == 1)
      break;
  if (f)
    fclose(f);
  printf("contended ops=%ld ns_per_op=%.2f maxrss_kb=%ld\n", n, ns / n, hwm);
  return 0;
}
