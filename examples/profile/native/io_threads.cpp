// Eight threads that mostly wait: half sleep, half read a pipe that a feeder
// thread writes to every 10 ms. Little CPU, lots of overlapping waits.
// Expected verdict: threads.
#include <chrono>
#include <cstdio>
#include <thread>
#include <unistd.h>
#include <vector>

int main() {
  int Fds[2];
  if (pipe(Fds) != 0)
    return 1;
  const int Readers = 4, Rounds = 40;
  std::thread Feeder([&] {
    for (int I = 0; I < Readers * Rounds; ++I) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10) / Readers);
      char C = 'x';
      if (write(Fds[1], &C, 1) != 1)
        return;
    }
  });
  std::vector<std::thread> Threads;
  for (int T = 0; T < Readers; ++T)
    Threads.emplace_back([&] {
      for (int I = 0; I < Rounds; ++I) {
        char C;
        if (read(Fds[0], &C, 1) != 1)
          return;
      }
    });
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([] {
      for (int I = 0; I < Rounds; ++I)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    });
  for (auto &T : Threads)
    T.join();
  Feeder.join();
  std::printf("io_threads: done\n");
}
