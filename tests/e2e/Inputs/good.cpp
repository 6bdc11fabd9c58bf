// Race-free: one thread, locked counter.
#include <mutex>
#include <thread>

static int counter;
static std::mutex m;

static void work() {
  std::lock_guard<std::mutex> lock(m);
  ++counter;
}

int main() {
  std::thread t(work);
  t.join();
  // A warning clang would give with -Wall: threadwise must not show it.
  int unused;
  return counter;
}
