// C11 threads: mtx_lock/mtx_unlock protect a counter bumped by two threads.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <threads.h>

int tasks_done;
mtx_t tasks_mutex;

static int worker(void *arg) {
  (void)arg;
#ifdef FIXED
  mtx_lock(&tasks_mutex);
#endif
  tasks_done++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'tasks_done' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'tasks_done'
#ifdef FIXED
  mtx_unlock(&tasks_mutex);
#endif
  return 0;
}

int main(void) {
  mtx_init(&tasks_mutex, mtx_plain);
  thrd_t a, b;
  thrd_create(&a, worker, NULL);
  thrd_create(&b, worker, NULL);
  thrd_join(a, NULL);
  thrd_join(b, NULL);
  mtx_destroy(&tasks_mutex);
  return tasks_done == 2 ? 0 : 1;
}
