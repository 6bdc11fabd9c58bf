// On its own this file has no threads: the race needs spawn.cpp's summary.
#include <mutex>

int jobs_done;
std::mutex m;

void run_job() {
  jobs_done++;
}
