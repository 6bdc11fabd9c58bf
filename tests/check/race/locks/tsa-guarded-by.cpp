// A GUARDED_BY field written without its mutex races; written with it, it does not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

#define CAPABILITY(x) __attribute__((capability(x)))
#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))

class CAPABILITY("mutex") Mutex {
  std::mutex impl;

public:
  void lock() ACQUIRE() { impl.lock(); }
  void unlock() RELEASE() { impl.unlock(); }
};

class Account {
  Mutex mu;
  int balance GUARDED_BY(mu) = 0;

public:
  void deposit(int n) {
#ifdef FIXED
    mu.lock();
#endif
    balance += n;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'Account::balance' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'Account::balance'
#ifdef FIXED
    mu.unlock();
#endif
  }
};

int main() {
  Account account;
  std::thread a(&Account::deposit, &account, 10);
  std::thread b(&Account::deposit, &account, 20);
  a.join();
  b.join();
}
