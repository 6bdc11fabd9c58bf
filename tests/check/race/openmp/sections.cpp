// C++ OpenMP sections: one section writes a member the other section reads.
// RUN: not %threadwise check %s -- -std=c++17 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -fopenmp -DFIXED | count 0
#include <cstdio>
#include <omp.h>

struct Job {
  int status = 0;
  int retries = 0;
};

int main() {
  Job job;
#pragma omp parallel sections
  {
#pragma omp section
    {
      job.status = 1;
      // CHECK: :[[@LINE-1]]:7: warning: unprotected write to shared variable 'Job::status' races with a concurrent read [threadwise-race-unprotected-write]
      // CHECK: note: conflicting read of 'Job::status'
    }
#pragma omp section
    {
#ifdef FIXED
      std::printf("%d\n", job.retries);
#else
      std::printf("%d\n", job.status);
#endif
    }
  }
  return job.status;
}
