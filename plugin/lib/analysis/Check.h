//===- Check.h - The interface every threadwise check implements ----------===//
//
// Checks run on the linked ProgramModel, so a check sees every TU the front
// end handed in (one for the plugin, the whole compile DB for the command).
// Register a new check in Checks.cpp (name, docs) and in createCheck().
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_ANALYSIS_CHECK_H
#define THREADWISE_ANALYSIS_CHECK_H

#include "Program.h"
#include "threadwise/Checks.h"
#include "threadwise/Finding.h"
#include <memory>

namespace threadwise {

class ProgramCheck {
public:
  virtual ~ProgramCheck() = default;
  virtual void run(const ProgramModel &Program, std::vector<Finding> &Out) = 0;
  /// Reads this check's `<name>.<Option>` keys; unknown or bad values keep
  /// the documented defaults.
  virtual void setOptions(const CheckOptions &) {}
};

/// The implementation behind a registered check name, or null.
std::unique_ptr<ProgramCheck> createCheck(llvm::StringRef Name);

/// Stable fingerprint (CONVENTIONS): check + variable + function + ordinal.
std::string makeFingerprint(llvm::StringRef Check, llvm::StringRef Variable,
                            llvm::StringRef Function, unsigned Ordinal);

} // namespace threadwise

#endif
