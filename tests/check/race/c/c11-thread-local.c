// C11 _Thread_local: each thread has its own copy, so writes to it never race.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <threads.h>

#ifdef FIXED
_Thread_local
#endif
    int last_error;

static int worker(void *arg) {
  last_error = *(int *)arg;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'last_error' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'last_error'
  return 0;
}

int main(void) {
  int codes[2] = {1, 2};
  thrd_t a, b;
  thrd_create(&a, worker, &codes[0]);
  thrd_create(&b, worker, &codes[1]);
  thrd_join(a, NULL);
  thrd_join(b, NULL);
  return 0;
}
