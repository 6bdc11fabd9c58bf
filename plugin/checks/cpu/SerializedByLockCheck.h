//===- SerializedByLockCheck.h - threadwise-cpu-serialized-by-lock --------===//
//
// Finds CPU-heavy work (see CpuFacts.cpp) that a thread runs while holding a
// lock every concurrent instance of that thread, or another concurrent thread
// doing CPU work, also holds: the threads take turns instead of running in
// parallel. See docs/checks/threadwise-cpu-serialized-by-lock.md.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CHECKS_CPU_SERIALIZEDBYLOCKCHECK_H
#define THREADWISE_CHECKS_CPU_SERIALIZEDBYLOCKCHECK_H

#include "analysis/Check.h"

namespace threadwise {

class SerializedByLockCheck : public ProgramCheck {
public:
  static constexpr const char *Name = "threadwise-cpu-serialized-by-lock";
  void run(const ProgramModel &Program, std::vector<Finding> &Out) override;
};

} // namespace threadwise

#endif
