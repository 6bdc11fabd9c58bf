// Initialisation run through std::call_once happens once and is not racy with itself.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int table_size;
std::once_flag table_once;

void init_table() {
  table_size = 1024;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'table_size' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'table_size'
}

void worker() {
#ifdef FIXED
  std::call_once(table_once, init_table);
#else
  init_table();
#endif
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
