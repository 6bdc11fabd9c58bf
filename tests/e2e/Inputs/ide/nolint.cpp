// Two races; the first is suppressed with NOLINT, which clang-tidy handles for the module.
#include <thread>

int quiet;
int loud;

void worker() {
  quiet++; // NOLINT(threadwise-race-unprotected-write)
  loud++;
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
