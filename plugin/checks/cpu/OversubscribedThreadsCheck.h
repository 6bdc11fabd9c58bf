//===- OversubscribedThreadsCheck.h - threadwise-cpu-oversubscribed-threads ===//
//
// Finds CPU-bound threads (see ThreadInventory.cpp) started far beyond the
// core count: a constant number of instances above MaxThreadsPerCore x
// AssumedCores, a multiple of hardware_concurrency() above MaxThreadsPerCore,
// or one thread per item of data. They only take turns on the cores. See
// docs/checks/threadwise-cpu-oversubscribed-threads.md.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CHECKS_CPU_OVERSUBSCRIBEDTHREADSCHECK_H
#define THREADWISE_CHECKS_CPU_OVERSUBSCRIBEDTHREADSCHECK_H

#include "analysis/Check.h"

namespace threadwise {

class OversubscribedThreadsCheck : public ProgramCheck {
public:
  static constexpr const char *Name = "threadwise-cpu-oversubscribed-threads";
  void run(const ProgramModel &Program, std::vector<Finding> &Out) override;
  void setOptions(const CheckOptions &Options) override;

private:
  unsigned AssumedCores = 8;
  unsigned MaxThreadsPerCore = 4;
};

} // namespace threadwise

#endif
