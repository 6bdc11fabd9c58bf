// Two threads, each with its own CPU-bound work and no shared state: they scale
// with the cores. Expected verdict: threads.
#include <cstdio>
#include <thread>
#include <vector>

static double work(unsigned Seed, long Iterations) {
  double X = Seed;
  for (long I = 0; I < Iterations; ++I)
    X = X * 1.0000001 + 1e-9 * static_cast<double>(I % 7);
  return X;
}

int main() {
  std::vector<double> Results(2);
  std::vector<std::thread> Threads;
  for (unsigned T = 0; T < 2; ++T)
    Threads.emplace_back([&Results, T] { Results[T] = work(T + 1, 150000000); });
  for (auto &T : Threads)
    T.join();
  std::printf("scalable_cpu: %.3f %.3f\n", Results[0], Results[1]);
}
