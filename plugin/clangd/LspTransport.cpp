//===- LspTransport.cpp - Language Server Protocol framing ----------------===//
#include "LspTransport.h"
#include <cerrno>
#include <unistd.h>

namespace threadwise {
namespace lsp {

// A header block larger than this is not an LSP header.
static constexpr size_t MaxHeaderLine = 4096;
// Messages beyond this are not something an editor or clangd sends.
static constexpr size_t MaxBody = size_t(1) << 30;

bool MessageReader::fill() {
  if (Pos > 0 && Pos == Buffer.size()) {
    Buffer.clear();
    Pos = 0;
  }
  char Chunk[65536];
  for (;;) {
    ssize_t N = ::read(FD, Chunk, sizeof(Chunk));
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Buffer.append(Chunk, size_t(N));
    return true;
  }
}

bool MessageReader::readLine(std::string &Line) {
  for (;;) {
    size_t End = Buffer.find('\n', Pos);
    if (End != std::string::npos) {
      Line.assign(Buffer, Pos, End - Pos);
      Pos = End + 1;
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      return true;
    }
    if (Buffer.size() - Pos > MaxHeaderLine) {
      Line.assign(Buffer, Pos, MaxHeaderLine);
      Pos = Buffer.size();
      return true; // Too long: the caller rejects it as a header.
    }
    if (!fill())
      return false;
  }
}

MessageReader::Status MessageReader::read(std::string &Body, std::string &Error) {
  long long Length = -1;
  std::string Line;
  bool SawAnyHeader = false;
  for (;;) {
    if (!readLine(Line)) {
      if (!SawAnyHeader && Pos == Buffer.size())
        return EndOfStream;
      Error = "stream ended inside a message header";
      return Malformed;
    }
    if (Line.empty()) {
      if (!SawAnyHeader)
        continue; // Tolerate blank lines between messages.
      break;
    }
    SawAnyHeader = true;
    llvm::StringRef L(Line);
    size_t Colon = L.find(':');
    if (Colon == llvm::StringRef::npos || L.size() >= MaxHeaderLine) {
      Error = "not an LSP header line: '" + L.take_front(80).str() + "'";
      return Malformed;
    }
    llvm::StringRef Name = L.take_front(Colon).trim(), Value = L.drop_front(Colon + 1).trim();
    if (Name.equals_insensitive("Content-Length")) {
      unsigned long long N;
      if (Value.getAsInteger(10, N) || N > MaxBody) {
        Error = "bad Content-Length '" + Value.str() + "'";
        return Malformed;
      }
      Length = (long long)N;
    }
  }
  if (Length < 0) {
    Error = "message without Content-Length";
    return Malformed;
  }
  while (Buffer.size() - Pos < size_t(Length))
    if (!fill()) {
      Error = "stream ended inside a message body";
      return Malformed;
    }
  Body.assign(Buffer, Pos, size_t(Length));
  Pos += size_t(Length);
  return Message;
}

bool MessageWriter::write(llvm::StringRef Body) {
  std::string Out = "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n";
  Out += Body;
  std::lock_guard<std::mutex> G(Lock);
  const char *P = Out.data();
  size_t Left = Out.size();
  while (Left > 0) {
    ssize_t N = ::write(FD, P, Left);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    P += N;
    Left -= size_t(N);
  }
  return true;
}

} // namespace lsp
} // namespace threadwise
