//===- InstallLayout.h - Where threadwise's files are, from its own path --===//
//
// One layout in the build tree and in an installed prefix (or an extracted
// .deb): bin/threadwise (the dispatcher), libexec/threadwise/threadwise-<cmd>
// (what it execs), lib/ (plugin, preload library), share/threadwise/rules/.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_INSTALLLAYOUT_H
#define THREADWISE_INSTALLLAYOUT_H

#include <string>

namespace threadwise {

/// The prefix holding bin/, lib/, libexec/ and share/, found from the running
/// executable (<prefix>/bin/X or <prefix>/libexec/threadwise/X). Empty when
/// the executable's path cannot be read.
std::string installPrefix(const char *Argv0 = nullptr);

} // namespace threadwise

#endif
