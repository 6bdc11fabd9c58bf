//===- SummaryIO.h - A TU summary as a compact, versioned file ------------===//
//
// The incremental cache of `threadwise check` and the cross-TU summaries of
// the language server keep step 1's result (a TUSummary: everything the
// linker and the checks need, CPU facts included) on disk instead of parsing
// the TU again. The encoding is binary: a magic, a format version, LEB128
// integers, strings written once and then referred to by index, and a
// checksum, so that a truncated or foreign file is an error, never a crash.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_SUMMARYIO_H
#define THREADWISE_SUMMARYIO_H

#include "threadwise/Analysis.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace threadwise {

/// Bump whenever TUSummary or its encoding changes: readers reject files
/// written with another version (the cache then simply misses).
constexpr unsigned SummaryFormatVersion = 2;

void writeSummary(const TUSummary &Summary, llvm::raw_ostream &OS);
std::string serializeSummary(const TUSummary &Summary);

/// Every file the TU read, absolute, main file first (what a cache of this
/// summary must re-hash to know whether it still holds).
const std::vector<std::string> &summaryFiles(const TUSummary &Summary);

/// Fails on a foreign, truncated or corrupted buffer, or another version.
llvm::Expected<TUSummaryPtr> readSummary(llvm::StringRef Data);

} // namespace threadwise

#endif
