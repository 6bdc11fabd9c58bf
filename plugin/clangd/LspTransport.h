//===- LspTransport.h - Language Server Protocol framing ------------------===//
//
// LSP messages are JSON bodies behind HTTP-like headers:
//   Content-Length: 52\r\n\r\n{"jsonrpc":"2.0",...}
// The proxy only needs the framing: bodies are forwarded byte for byte unless
// it has a reason to rewrite them.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CLANGD_LSPTRANSPORT_H
#define THREADWISE_CLANGD_LSPTRANSPORT_H

#include "llvm/ADT/StringRef.h"
#include <mutex>
#include <string>

namespace threadwise {
namespace lsp {

/// Reads framed messages from a file descriptor.
class MessageReader {
public:
  enum Status { Message, EndOfStream, Malformed };
  explicit MessageReader(int FD) : FD(FD) {}
  /// On Malformed, Error says what was wrong.
  Status read(std::string &Body, std::string &Error);

private:
  bool fill();
  bool readLine(std::string &Line);
  int FD;
  std::string Buffer;
  size_t Pos = 0;
};

/// Writes framed messages to a file descriptor; safe to call from several
/// threads, each message is written whole.
class MessageWriter {
public:
  explicit MessageWriter(int FD) : FD(FD) {}
  /// False when the other end has gone away.
  bool write(llvm::StringRef Body);

private:
  int FD;
  std::mutex Lock;
};

} // namespace lsp
} // namespace threadwise

#endif
