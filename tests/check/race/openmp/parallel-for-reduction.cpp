// C++ `parallel for` over a std::vector accumulating into a shared double; reduction fixes it.
// RUN: not %threadwise check %s -- -std=c++17 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -fopenmp -DFIXED | count 0
#include <omp.h>
#include <vector>

double norm_squared(const std::vector<double> &v) {
  double total = 0;
#ifdef FIXED
#pragma omp parallel for reduction(+ : total)
#else
#pragma omp parallel for
#endif
  for (long i = 0; i < static_cast<long>(v.size()); ++i)
    total += v[i] * v[i];
  // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'total' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'total'
  return total;
}

int main() {
  std::vector<double> v(1000, 0.5);
  return norm_squared(v) > 0 ? 0 : 1;
}
