// Starts two threads that both run run_job(), which lives in job.cpp.
#include <thread>

void run_job();

int main() {
  std::thread a(run_job), b(run_job);
  a.join();
  b.join();
}
