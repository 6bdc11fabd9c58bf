//===- Baseline.h - Known findings, so that CI fails only on new ones -----===//
//
// A baseline is a JSON file of today's findings:
//   {"version": 1, "findings": [{"check", "fingerprint", "file", "message"}]}
// A finding matches a baseline entry when check, fingerprint and file (relative
// to the source root) are equal. Fingerprints have no line numbers
// (CONVENTIONS), so a baseline survives unrelated edits that move lines.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_BASELINE_H
#define THREADWISE_BASELINE_H

#include "threadwise/Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace threadwise {

struct BaselineEntry {
  std::string Check;
  std::string Fingerprint;
  std::string File; ///< Relative to the source root when under it.
  std::string Message;
};

/// AbsPath relative to Root ('/'-separated) if under Root, else AbsPath.
std::string pathRelativeToRoot(llvm::StringRef AbsPath, llvm::StringRef Root);

BaselineEntry baselineEntryFor(const Finding &F, llvm::StringRef SourceRoot);

void writeBaseline(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                   llvm::StringRef SourceRoot);

llvm::Expected<std::vector<BaselineEntry>> parseBaseline(llvm::StringRef JSONText);
llvm::Expected<std::vector<BaselineEntry>> readBaseline(llvm::StringRef Path);

/// Removes the findings recorded in Baseline (each entry matches at most one
/// finding) and returns the entries that matched nothing: the fixed ones.
std::vector<BaselineEntry> applyBaseline(std::vector<Finding> &Findings,
                                         llvm::ArrayRef<BaselineEntry> Baseline,
                                         llvm::StringRef SourceRoot);

} // namespace threadwise

#endif
