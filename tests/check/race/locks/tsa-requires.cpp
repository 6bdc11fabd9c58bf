// A function annotated requires_capability(mu) runs with mu held; the unlocked direct write is primary.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

#define CAPABILITY(x) __attribute__((capability(x)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))

class CAPABILITY("mutex") Mutex {
  std::mutex impl;

public:
  void lock() ACQUIRE() { impl.lock(); }
  void unlock() RELEASE() { impl.unlock(); }
};

Mutex mu;
int balance;

void deposit(int n) REQUIRES(mu) { balance += n; }

void saver() {
  mu.lock();
  deposit(10);
  mu.unlock();
}

void reset() {
#ifdef FIXED
  mu.lock();
#endif
  balance = 0;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'balance' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'balance'
#ifdef FIXED
  mu.unlock();
#endif
}

int main() {
  std::thread a(saver), b(reset);
  a.join();
  b.join();
}
