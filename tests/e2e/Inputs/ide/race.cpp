// A race (counter++ from two threads) and an unused variable clangd warns about.
#include <mutex>
#include <thread>

int counter;
std::mutex m;

void worker() {
  int unused_here = 0;
  counter++;
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
