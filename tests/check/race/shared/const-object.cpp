// A const object can only be read, so threads sharing it never race; a mutable one written by main does.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

struct Config {
  int retries;
  int timeout_ms;
};

#ifdef FIXED
const Config config{3, 100};
#else
Config config{3, 100};
#endif

int budget() { return config.retries * config.timeout_ms; }

int main() {
  std::thread a(budget), b(budget);
#ifndef FIXED
  config.retries = 5;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'Config::retries' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'Config::retries'
#endif
  a.join();
  b.join();
}
