// Four threads that do all their CPU work while holding one mutex: only one
// can run at a time and the others queue on the lock. Expected verdict:
// fix-contention (shrink the critical section before adding workers).
// With --forever the threads keep going until the process is killed (a
// target for `threadwise profile --pid`).
#include <climits>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

static std::mutex BigLock;
static double Shared = 1.0;

static void worker(int Rounds) {
  for (int R = 0; R < Rounds; ++R) {
    std::lock_guard<std::mutex> Guard(BigLock);
    for (int I = 0; I < 200000; ++I) // the whole work item, under the lock
      Shared = Shared * 1.0000001 + 1e-9;
  }
}

int main(int Argc, char **Argv) {
  bool Forever = Argc > 1 && std::strcmp(Argv[1], "--forever") == 0;
  std::vector<std::thread> Threads;
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back(worker, Forever ? INT_MAX : 250);
  for (auto &T : Threads)
    T.join();
  std::printf("big_lock: %.3f\n", Shared);
}
