// C: one struct passed to every thread is shared; a per-thread element &args[i] is not.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <pthread.h>
#include <stddef.h>

struct range {
  int begin;
  int end;
  long sum;
};

static void *sum_range(void *p) {
  struct range *r = p;
  for (int i = r->begin; i < r->end; i++)
    r->sum += i;
  // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'range::sum' races with a concurrent {{read|write}} [threadwise-race-unprotected-write]
  // CHECK: note: conflicting {{read|write}} of 'range::sum'
  return NULL;
}

int main(void) {
  struct range args[4];
  pthread_t tids[4];
  for (int i = 0; i < 4; i++) {
    args[i].begin = i * 100;
    args[i].end = (i + 1) * 100;
    args[i].sum = 0;
  }
  for (int i = 0; i < 4; i++) {
#ifdef FIXED
    pthread_create(&tids[i], NULL, sum_range, &args[i]);
#else
    pthread_create(&tids[i], NULL, sum_range, &args[0]);
#endif
  }
  for (int i = 0; i < 4; i++)
    pthread_join(tids[i], NULL);
  long total = 0;
  for (int i = 0; i < 4; i++)
    total += args[i].sum;
  return total > 0 ? 0 : 1;
}
