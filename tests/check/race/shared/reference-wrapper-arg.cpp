// std::ref(object) passed to two std::threads makes both work on main's object.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <functional>
#include <thread>

struct Tally {
  int count = 0;
};

void tally_up(Tally &t, int n) {
  for (int i = 0; i < n; ++i)
    t.count++;
  // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'Tally::count' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'Tally::count'
}

int main() {
  Tally left, right;
  std::thread a(tally_up, std::ref(left), 10);
#ifdef FIXED
  std::thread b(tally_up, std::ref(right), 10);
#else
  std::thread b(tally_up, std::ref(left), 10);
#endif
  a.join();
  b.join();
  return left.count + right.count;
}
