// Hit counters shared by every worker thread.
#ifndef RACE_PROJECT_STATS_H
#define RACE_PROJECT_STATS_H

/// Counts one hit. Unsafe: callers on different threads race (the bug).
void record_hit();
/// Counts one hit under a mutex. Safe from any thread.
void record_hit_locked();

int hits();
int locked_hits();

#endif
