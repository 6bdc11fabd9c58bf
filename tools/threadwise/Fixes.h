//===- Fixes.h - --fix and --export-fixes ---------------------------------===//
#ifndef THREADWISE_TOOLS_FIXES_H
#define THREADWISE_TOOLS_FIXES_H

#include "threadwise/Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <vector>

namespace threadwise {

/// A fix-it that turns a variable into std::atomic<T> needs <atomic>: adds,
/// to each such finding, an insertion of `#include <atomic>` after the last
/// #include at the top of the file, unless the file already includes it.
/// (Done here rather than in the check: the check sees the AST, not the text.)
void addIncludeFixes(std::vector<Finding> &Findings);

/// Applies every fix-it of Findings in place, each (file, offset) once, as
/// clang-tidy --fix does; overlapping edits after the first are skipped.
/// Reports what it did on stderr. Returns false if a file could not be written.
bool applyFixes(llvm::ArrayRef<Finding> Findings, bool Quiet);

/// Writes clang-tidy's replacements YAML (MainSourceFile, Diagnostics with
/// DiagnosticMessage/Replacements, Level, BuildDirectory), which
/// clang-apply-replacements reads. Returns false on an I/O error.
bool exportFixes(llvm::StringRef Path, llvm::ArrayRef<Finding> Findings,
                 llvm::StringRef MainSourceFile);

} // namespace threadwise

#endif
