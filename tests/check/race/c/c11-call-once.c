// C11 call_once: the initialiser runs once, so its write does not race with itself.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <threads.h>

int table_ready;
once_flag table_once = ONCE_FLAG_INIT;

static void init_table(void) {
  table_ready = 1;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'table_ready' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'table_ready'
}

static int worker(void *arg) {
  (void)arg;
#ifdef FIXED
  call_once(&table_once, init_table);
#else
  init_table();
#endif
  return 0;
}

int main(void) {
  thrd_t a, b;
  thrd_create(&a, worker, NULL);
  thrd_create(&b, worker, NULL);
  thrd_join(a, NULL);
  thrd_join(b, NULL);
  return 0;
}
