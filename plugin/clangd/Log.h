//===- Log.h - One line to the proxy's log, in one write ------------------===//
//
// The proxy shares stderr with clangd, which logs on its own. llvm::errs() is
// unbuffered, so each `<<` is a write of its own and clangd's lines could land
// in the middle of ours. logLine formats the whole line first and writes it
// at once (atomic for lines under PIPE_BUF when stderr is a pipe).
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CLANGD_LOG_H
#define THREADWISE_CLANGD_LOG_H

#include "llvm/Support/raw_ostream.h"
#include <string>

namespace threadwise {

template <typename... Parts> void logLine(const Parts &...P) {
  std::string Line;
  llvm::raw_string_ostream OS(Line);
  (OS << ... << P) << '\n';
  llvm::errs() << OS.str();
}

} // namespace threadwise

#endif
