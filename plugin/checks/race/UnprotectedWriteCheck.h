//===- UnprotectedWriteCheck.h - threadwise-race-unprotected-write --------===//
//
// Finds writes to memory that another thread may access at the same time with
// no lock held in common by both accesses. See
// docs/checks/threadwise-race-unprotected-write.md.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CHECKS_RACE_UNPROTECTEDWRITECHECK_H
#define THREADWISE_CHECKS_RACE_UNPROTECTEDWRITECHECK_H

#include "analysis/Check.h"

namespace threadwise {

class UnprotectedWriteCheck : public ProgramCheck {
public:
  static constexpr const char *Name = "threadwise-race-unprotected-write";
  void run(const ProgramModel &Program, std::vector<Finding> &Out) override;
};

} // namespace threadwise

#endif
