// condition_variable::wait re-acquires the mutex before returning: writes after it are protected until unlock().
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <condition_variable>
#include <mutex>
#include <thread>

std::mutex m;
std::condition_variable cv;
bool ready;
int consumed;

void consumer() {
  std::unique_lock<std::mutex> lock(m);
  while (!ready)
    cv.wait(lock);
#ifndef FIXED
  lock.unlock();
#endif
  consumed++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'consumed' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'consumed'
}

void producer() {
  {
    std::lock_guard<std::mutex> g(m);
    ready = true;
  }
  cv.notify_all();
}

int main() {
  std::thread c1(consumer), c2(consumer), p(producer);
  c1.join();
  c2.join();
  p.join();
}
