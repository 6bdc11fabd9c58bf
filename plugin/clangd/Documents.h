//===- Documents.h - The editor's unsaved buffers -------------------------===//
//
// The proxy analyses what the user sees, not what is on disk, so it replays
// didOpen/didChange (full and incremental) on its own copy of each buffer.
// LSP positions count UTF-16 code units; clang counts bytes: the conversions
// live here.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CLANGD_DOCUMENTS_H
#define THREADWISE_CLANGD_DOCUMENTS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <string>

namespace threadwise {
namespace lsp {

struct Position {
  unsigned Line = 0;      ///< 0-based.
  unsigned Character = 0; ///< 0-based, UTF-16 code units.
};

/// Byte offset of an LSP position in Text (clamped to the line's end).
size_t offsetOf(llvm::StringRef Text, Position P);
/// LSP position of a byte offset in Text.
Position positionOf(llvm::StringRef Text, size_t Offset);
/// Byte offset of clang's 1-based line and byte column.
size_t offsetOfLineColumn(llvm::StringRef Text, unsigned Line, unsigned Column);

llvm::json::Value toJSON(Position P);
bool fromJSON(const llvm::json::Value *V, Position &P);

/// Applies one TextDocumentContentChangeEvent. False if it is malformed.
bool applyChange(std::string &Text, const llvm::json::Object &Change);

/// file:///a%20b/c.cpp -> /a b/c.cpp; empty for other schemes.
std::string pathFromURI(llvm::StringRef URI);

} // namespace lsp
} // namespace threadwise

#endif
