// 200 threads that mostly wait on sockets are fine (threads are the right tool for I/O); 200 computing ones are not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <sys/socket.h>
#include <thread>
#include <vector>

static long bytes[200];

static void client(int fd, int slot) {
  char buf[4096];
  long total = 0;
#ifdef FIXED
  long n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
    total += n;
#else
  for (int round = 0; round < 1000; round++)
    for (int i = 0; i < 4096; i++)
      total += buf[i] * (round + 1);
#endif
  bytes[slot] = total;
}

int main() {
  std::vector<std::thread> ts;
  for (int k = 0; k < 200; k++)
    ts.emplace_back(client, k + 3, k);
  // CHECK: :[[@LINE-1]]:5: warning: 200 instances of CPU-bound thread 'client' may run at once
  for (auto &t : ts)
    t.join();
}
