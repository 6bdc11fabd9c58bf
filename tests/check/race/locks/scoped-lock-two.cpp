// std::scoped_lock over two mutexes holds both; one side holding nothing is primary (fewer locks).
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

long balance;
std::mutex accounts_mutex;
std::mutex audit_mutex;

void transfer() {
  std::scoped_lock lock(accounts_mutex, audit_mutex);
  balance += 10;
}

void fee() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(audit_mutex);
#endif
  balance -= 1;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'balance' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'balance'
}

int main() {
  std::thread a(transfer), b(fee);
  a.join();
  b.join();
}
