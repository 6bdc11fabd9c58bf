// pthread_create with a start routine and an argument; both threads add into one global.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <pthread.h>

long total;
pthread_mutex_t total_mutex = PTHREAD_MUTEX_INITIALIZER;

void *start(void *arg) {
  long step = *static_cast<long *>(arg);
#ifdef FIXED
  pthread_mutex_lock(&total_mutex);
#endif
  total += step;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'total' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'total'
#ifdef FIXED
  pthread_mutex_unlock(&total_mutex);
#endif
  return nullptr;
}

int main() {
  long step = 2;
  pthread_t a, b;
  pthread_create(&a, nullptr, start, &step);
  pthread_create(&b, nullptr, start, &step);
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
  return total == 4 ? 0 : 1;
}
