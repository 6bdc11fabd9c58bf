//===- ClangBridge.h - Findings back inside a running compiler ------------===//
//
// What the front ends that live inside someone else's compiler process (the
// -fplugin, the clang-tidy module) share: turning a Finding's plain positions
// back into the TU's SourceLocations and FixItHints, and finding the rule
// packs installed beside the loaded library.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CLANGBRIDGE_H
#define THREADWISE_CLANGBRIDGE_H

#include "threadwise/Finding.h"
#include "threadwise/Rules.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"

namespace threadwise {

class FindingLocator {
public:
  explicit FindingLocator(const clang::SourceManager &SM) : SM(SM) {}
  /// Invalid when the file is not part of this TU.
  clang::SourceLocation location(const SourcePos &P) const;
  /// Null when the file is not part of this TU.
  clang::FixItHint hint(const FixIt &Fix) const;

private:
  clang::FileID fileID(llvm::StringRef File) const;
  const clang::SourceManager &SM;
};

/// Rule packs for a library loaded into a compiler: <lib dir>/../share/threadwise/rules
/// (the install layout) unless THREADWISE_RULES_DIR is set, else RuleSet::loadDefault.
/// AddressInLibrary is any function of the calling library.
llvm::Error loadRulesBesideLibrary(RuleSet &Rules, const void *AddressInLibrary);

} // namespace threadwise

#endif
