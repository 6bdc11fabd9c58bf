// std::thread(&Class::method, &object): two objects, one entry, both bump the same global.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int lines_written;
std::mutex log_mutex;

struct Logger {
  int id;
  void run() {
#ifdef FIXED
    std::lock_guard<std::mutex> guard(log_mutex);
#endif
    lines_written += id;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'lines_written' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'lines_written'
  }
};

int main() {
  Logger a{1}, b{2};
  std::thread t1(&Logger::run, &a);
  std::thread t2(&Logger::run, &b);
  t1.join();
  t2.join();
}
