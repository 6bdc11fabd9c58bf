// A shared_ptr copied into two thread lambdas still points both at one object.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <memory>
#include <thread>

struct Progress {
  int percent = 0;
};

int main() {
  auto shown = std::make_shared<Progress>();
  auto other = std::make_shared<Progress>();
  std::thread a([shown] {
    shown->percent = 50;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'Progress::percent' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'Progress::percent'
  });
#ifdef FIXED
  std::thread b([other] { other->percent = 100; });
#else
  std::thread b([shown] { shown->percent = 100; });
#endif
  a.join();
  b.join();
}
