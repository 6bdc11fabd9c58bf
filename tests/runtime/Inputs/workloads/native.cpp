#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>
#include <unistd.h>
std::mutex Big;
volatile unsigned long Sink;
static void spin(long n) { unsigned long x = 0; for (long i = 0; i < n; ++i) x += i * i; Sink = x; }
int main(int argc, char **argv) {
  const char *mode = argv[1];
  int n = argc > 2 ? atoi(argv[2]) : 2;
  std::vector<std::thread> ts;
  if (!strcmp(mode, "single")) { spin(300000000); return 0; }
  for (int t = 0; t < n; ++t)
    ts.emplace_back([&] {
      if (!strcmp(mode, "scalable")) spin(300000000);
      else if (!strcmp(mode, "lock")) for (int i = 0; i < 300; ++i) { std::lock_guard<std::mutex> g(Big); spin(1000000); }
      else if (!strcmp(mode, "io")) for (int i = 0; i < 20; ++i) usleep(50000);
    });
  for (auto &t : ts) t.join();
}
