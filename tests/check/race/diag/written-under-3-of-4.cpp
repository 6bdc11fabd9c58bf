// When most writes hold one mutex, the note says so: 'balance' is written under 'm' in 3 of 4 places.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

long balance;
std::mutex m;

void deposit(long n) {
  std::lock_guard<std::mutex> g(m);
  balance += n;
}

void withdraw(long n) {
  std::lock_guard<std::mutex> g(m);
  balance -= n;
}

void reset() {
  std::lock_guard<std::mutex> g(m);
  balance = 0;
}

void apply_interest() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  balance = balance * 101 / 100;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'balance' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK-DAG: note: 'balance' is written under 'm' in 3 of 4 places
  // CHECK-DAG: note: conflicting write of 'balance'
}

int main() {
  std::thread a(deposit, 10), b(withdraw, 5), c(reset), d(apply_interest);
  a.join();
  b.join();
  c.join();
  d.join();
}
