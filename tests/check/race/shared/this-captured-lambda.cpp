// A lambda capturing `this` shares the object's fields with the method that started the thread.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

class Server {
  int served = 0;

public:
  int serve_twice() {
    std::thread t([this] {
      served++;
      // CHECK: :[[@LINE-1]]:7: warning: unprotected write to shared variable 'Server::served' races with a concurrent write [threadwise-race-unprotected-write]
      // CHECK: note: conflicting write of 'Server::served'
    });
#ifdef FIXED
    t.join();
#endif
    served++;
#ifndef FIXED
    t.join();
#endif
    return served;
  }
};

int main() {
  Server s;
  return s.serve_twice();
}
