//===- ChangedLines.h - --diff-base: only findings on changed lines -------===//
//
// `git diff -U0 <ref>` (working tree against ref) names the added and changed
// lines; a finding is kept when its primary location is on one. Deleted-only
// hunks change no line that still exists, so they keep nothing. The analysis
// itself still sees the whole program.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CHANGEDLINES_H
#define THREADWISE_CHANGEDLINES_H

#include "threadwise/Finding.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <utility>
#include <vector>

namespace threadwise {

class ChangedLines {
public:
  /// Parses unified diff text (-U0 or not); file paths are the "+++ b/..."
  /// names resolved against Root.
  static ChangedLines parseDiff(llvm::StringRef Diff, llvm::StringRef Root);
  /// Runs `git diff -U0 --relative <Ref>` in Root.
  static llvm::Expected<ChangedLines> sinceGitRef(llvm::StringRef Ref, llvm::StringRef Root);

  bool contains(llvm::StringRef AbsFile, unsigned Line) const;
  /// Removes findings not on a changed line; returns how many.
  size_t filter(std::vector<Finding> &Findings) const;

private:
  llvm::StringMap<std::vector<std::pair<unsigned, unsigned>>> Ranges; ///< [first, last].
};

} // namespace threadwise

#endif
