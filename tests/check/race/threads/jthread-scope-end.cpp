// A std::jthread joins when its scope ends: a write after the scope is ordered, inside it races.
// RUN: not %threadwise check %s -- -std=c++20 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++20 -DFIXED | count 0
#include <cstdio>
#include <thread>

int limit = 10;

void worker() { std::printf("%d\n", limit); }

int main() {
  {
    std::jthread t(worker);
#ifndef FIXED
    limit = 20;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'limit' races with a concurrent read [threadwise-race-unprotected-write]
    // CHECK: note: conflicting read of 'limit'
#endif
  }
#ifdef FIXED
  limit = 20;
#endif
}
