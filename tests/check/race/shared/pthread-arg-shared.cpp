// Memory passed as the pthread argument is shared when every thread gets the same pointer, not per-thread &jobs[i].
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <pthread.h>

struct Job {
  int id;
  int done;
};

void *run(void *arg) {
  Job *job = static_cast<Job *>(arg);
  job->done++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'Job::done' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'Job::done'
  return nullptr;
}

int main() {
  Job jobs[4] = {};
  pthread_t tids[4];
  for (int i = 0; i < 4; ++i)
#ifdef FIXED
    pthread_create(&tids[i], nullptr, run, &jobs[i]);
#else
    pthread_create(&tids[i], nullptr, run, &jobs[0]);
#endif
  for (int i = 0; i < 4; ++i)
    pthread_join(tids[i], nullptr);
}
