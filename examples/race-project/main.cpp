#include "stats.h"
#include <cstdio>
#include <thread>

static int g_last_worker = -1; // Written by every worker: a race inside this file.

static void worker(int id) {
  for (int i = 0; i < 100000; ++i) {
    record_hit();        // Races across files: the write is in stats.cpp.
    record_hit_locked(); // Locked: not reported.
  }
  g_last_worker = id;
}

int main() {
  std::thread workers[4];
  for (int id = 0; id < 4; ++id)
    workers[id] = std::thread(worker, id);
  for (std::thread &t : workers)
    t.join();
  // After join: reading the counters here does not race.
  std::printf("hits=%d (expected %d), locked=%d, last worker=%d\n", hits(), 4 * 100000,
              locked_hits(), static_cast<int>(g_last_worker));
  return 0;
}
