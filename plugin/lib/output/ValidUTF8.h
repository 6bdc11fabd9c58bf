//===- ValidUTF8.h - Strings safe to put into JSON ------------------------===//
//
// Source files and paths are not always UTF-8 (Latin-1 comments, odd file
// names). llvm::json asserts on invalid UTF-8 in debug builds, so writers pass
// such text through here: invalid bytes become U+FFFD.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_OUTPUT_VALIDUTF8_H
#define THREADWISE_OUTPUT_VALIDUTF8_H

#include "llvm/Support/JSON.h"
#include <string>

namespace threadwise {
inline std::string validUTF8(llvm::StringRef S) {
  return llvm::json::isUTF8(S) ? S.str() : llvm::json::fixUTF8(S);
}
} // namespace threadwise

#endif
