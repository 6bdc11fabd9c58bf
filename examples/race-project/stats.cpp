#include "stats.h"
#include <mutex>

int g_hits = 0; // Written by every worker thread with no lock: a data race.

static int g_locked_hits = 0; // Always accessed under g_hits_mutex: fine.
static std::mutex g_hits_mutex;

void record_hit() { ++g_hits; }

void record_hit_locked() {
  std::lock_guard<std::mutex> lock(g_hits_mutex);
  ++g_locked_hits;
}

int hits() { return g_hits; }

int locked_hits() {
  std::lock_guard<std::mutex> lock(g_hits_mutex);
  return g_locked_hits;
}
