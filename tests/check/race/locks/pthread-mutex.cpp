// pthread_mutex_lock/unlock around a write protect it; the write after unlock is not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <pthread.h>

int opened;
int closed;
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

void *worker(void *) {
  pthread_mutex_lock(&m);
  opened++;
#ifndef FIXED
  pthread_mutex_unlock(&m);
#endif
  closed++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'closed' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'closed'
#ifdef FIXED
  pthread_mutex_unlock(&m);
#endif
  return nullptr;
}

int main() {
  pthread_t a, b;
  pthread_create(&a, nullptr, worker, nullptr);
  pthread_create(&b, nullptr, worker, nullptr);
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
}
