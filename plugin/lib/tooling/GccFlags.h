//===- GccFlags.h - Compile commands written for GCC ----------------------===//
#ifndef THREADWISE_TOOLS_GCCFLAGS_H
#define THREADWISE_TOOLS_GCCFLAGS_H

#include <string>
#include <vector>

namespace threadwise {

/// Flags minus those of a GCC build that Clang 19 does not know or only
/// tolerates: an unknown argument, a -f/-m flag clang ignores, -mabi=, a
/// warning clang does not have. Dropping them never changes what the analysis
/// sees; keeping them would fail the TU or print clang's warnings. Flags are
/// parsed as a whole, so a value (-Xclang -foo, -o -x) is never dropped alone.
/// The first time a flag is dropped in this process, prints
/// `threadwise: note: dropped GCC-only flag '<flag>'` on stderr. Thread-safe.
std::vector<std::string> dropGccOnlyFlags(const std::vector<std::string> &Flags);

} // namespace threadwise

#endif
