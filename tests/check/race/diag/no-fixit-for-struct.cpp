// A racy whole-struct assignment is reported, but gets no std::atomic fix-it (not a scalar).
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="std::atomic"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

struct Point {
  int x;
  int y;
};

Point cursor;
std::mutex m;

void move_to(int x, int y) {
#ifdef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  cursor = Point{x, y};
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'cursor' races with a concurrent write [threadwise-race-unprotected-write]
}

int main() {
  std::thread a(move_to, 1, 2), b(move_to, 3, 4);
  a.join();
  b.join();
}
