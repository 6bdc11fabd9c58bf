// A non-const call on a shared standard container (push_back) is a write of that container.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <string>
#include <thread>
#include <vector>

std::vector<std::string> log_lines;
std::mutex log_mutex;

void log(const char *line) {
#ifdef FIXED
  std::lock_guard<std::mutex> g(log_mutex);
#endif
  log_lines.push_back(line);
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'log_lines' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'log_lines'
}

int main() {
  std::thread a(log, "a"), b(log, "b");
  a.join();
  b.join();
  return log_lines.size() == 2 ? 0 : 1;
}
