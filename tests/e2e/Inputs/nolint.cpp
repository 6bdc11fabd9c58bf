#include <thread>

int g_plain;      // Reported: no comment.
int g_same_line;  // NOLINT on the write's line.
int g_named;      // NOLINT naming this check.
int g_glob;       // NOLINT with a glob.
int g_other;      // NOLINT naming another check: still reported.
int g_next;       // NOLINTNEXTLINE.
int g_block;      // Inside NOLINTBEGIN/END.
int g_after;      // After NOLINTEND: reported.
[[clang::annotate("threadwise::benign_race")]] int g_benign;         // Annotated (C++11 spelling).
__attribute__((annotate("threadwise::benign_race"))) int g_benign2; // GNU spelling.

struct Stats {
  [[clang::annotate("threadwise::benign_race")]] int approx_hits;
  int exact_hits;
};
Stats g_stats;

void worker() {
  g_plain = 1;
  g_same_line = 1; // NOLINT
  g_named = 1; // NOLINT(threadwise-race-unprotected-write)
  g_glob = 1; // NOLINT(bugprone-*, threadwise-race-*)
  g_other = 1; // NOLINT(other-check)
  // NOLINTNEXTLINE(threadwise-race-unprotected-write)
  g_next = 1;
  // NOLINTBEGIN(threadwise-*)
  g_block = 1;
  // NOLINTEND(threadwise-*)
  g_after = 1;
  g_benign = 1;
  g_benign2 = 1;
  g_stats.approx_hits++;
  g_stats.exact_hits++;
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
