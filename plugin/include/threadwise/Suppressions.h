//===- Suppressions.h - NOLINT comments, clang-tidy style ----------------===//
//
// Findings are silenced at their primary location (CONVENTIONS: the
// unprotected write) by the comments clang-tidy users already write:
//   // NOLINT                     every check, this line
//   // NOLINT(threadwise-race-*)  the checks matching these globs, this line
//   // NOLINTNEXTLINE(...)        the next line
//   // NOLINTBEGIN(...) ... // NOLINTEND(...)   the lines in between
// A filter step after analyzeProgram, shared by every front end that prints
// findings (the command, the clang-tidy module, the language server). The
// source files are read once and cached.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_SUPPRESSIONS_H
#define THREADWISE_SUPPRESSIONS_H

#include "threadwise/Finding.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace threadwise {

/// One NOLINT comment, as parsed from a line of source.
struct NolintComment {
  enum Kind { ThisLine, NextLine, Begin, End };
  Kind K = ThisLine;
  unsigned Line = 0; ///< 1-based line of the comment.
  /// The text between the parentheses; no parentheses: "*" (every check).
  std::string Checks;
};

/// Every NOLINT comment in Source, in order.
std::vector<NolintComment> parseNolintComments(llvm::StringRef Source);

/// True if CheckName matches one of the comma-separated globs in Globs
/// (clang-tidy's NOLINT syntax: '*' wildcards, surrounding spaces ignored).
bool nolintGlobsMatch(llvm::StringRef Globs, llvm::StringRef CheckName);

/// The lines of one file on which each NOLINT applies.
class FileSuppressions {
public:
  explicit FileSuppressions(llvm::StringRef Source);
  bool suppresses(unsigned Line, llvm::StringRef CheckName) const;

private:
  struct Range {
    unsigned First, Last; ///< Inclusive lines.
    std::string Checks;
  };
  std::vector<Range> Ranges;
};

/// Applies NOLINT comments to findings, reading each file once.
class SuppressionFilter {
public:
  bool isSuppressed(const Finding &F);
  /// Removes the suppressed findings; returns how many were removed.
  size_t apply(std::vector<Finding> &Findings);

private:
  llvm::StringMap<FileSuppressions> Files;
};

} // namespace threadwise

#endif
