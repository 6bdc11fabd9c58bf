// Wrapper functions annotated acquire_capability/release_capability lock and unlock for their callers.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <pthread.h>
#include <thread>

#define CAPABILITY(x) __attribute__((capability(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
// The wrappers call unannotated pthread functions, as real wrappers do.
#define NO_TSA __attribute__((no_thread_safety_analysis))

struct CAPABILITY("mutex") StatsMutex {
  pthread_mutex_t impl = PTHREAD_MUTEX_INITIALIZER;
};

StatsMutex stats_mutex;
int samples;
int dropped;

void lock_stats() ACQUIRE(stats_mutex) NO_TSA { pthread_mutex_lock(&stats_mutex.impl); }
void unlock_stats() RELEASE(stats_mutex) NO_TSA { pthread_mutex_unlock(&stats_mutex.impl); }

void worker() {
  lock_stats();
  samples++;
#ifndef FIXED
  unlock_stats();
#endif
  dropped++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'dropped' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'dropped'
#ifdef FIXED
  unlock_stats();
#endif
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
