//===- Documents.cpp - The editor's unsaved buffers -----------------------===//
#include "Documents.h"
#include "llvm/ADT/StringExtras.h"

namespace threadwise {
namespace lsp {

static size_t lineStart(llvm::StringRef Text, unsigned Line) {
  size_t Start = 0;
  for (unsigned I = 0; I < Line; ++I) {
    size_t NL = Text.find('\n', Start);
    if (NL == llvm::StringRef::npos)
      return Text.size();
    Start = NL + 1;
  }
  return Start;
}

/// Length in bytes of the UTF-8 sequence starting with byte C.
static unsigned utf8Length(unsigned char C) {
  if (C < 0x80)
    return 1;
  if ((C >> 5) == 0x6)
    return 2;
  if ((C >> 4) == 0xE)
    return 3;
  if ((C >> 3) == 0x1E)
    return 4;
  return 1; // Invalid: count the byte alone, like clangd.
}

size_t offsetOf(llvm::StringRef Text, Position P) {
  size_t Off = lineStart(Text, P.Line);
  unsigned Units = 0;
  while (Off < Text.size() && Text[Off] != '\n' && Units < P.Character) {
    unsigned Len = utf8Length((unsigned char)Text[Off]);
    Units += Len == 4 ? 2 : 1;
    Off = std::min(Text.size(), Off + Len);
  }
  return Off;
}

Position positionOf(llvm::StringRef Text, size_t Offset) {
  Offset = std::min(Offset, Text.size());
  Position P;
  size_t Start = 0;
  for (size_t NL = Text.find('\n'); NL != llvm::StringRef::npos && NL < Offset;
       NL = Text.find('\n', NL + 1)) {
    ++P.Line;
    Start = NL + 1;
  }
  for (size_t I = Start; I < Offset;) {
    unsigned Len = utf8Length((unsigned char)Text[I]);
    P.Character += Len == 4 ? 2 : 1;
    I += Len;
  }
  return P;
}

size_t offsetOfLineColumn(llvm::StringRef Text, unsigned Line, unsigned Column) {
  size_t Start = lineStart(Text, Line ? Line - 1 : 0);
  size_t End = Text.find('\n', Start);
  if (End == llvm::StringRef::npos)
    End = Text.size();
  return std::min(End, Start + (Column ? Column - 1 : 0));
}

llvm::json::Value toJSON(Position P) {
  return llvm::json::Object{{"line", P.Line}, {"character", P.Character}};
}

bool fromJSON(const llvm::json::Value *V, Position &P) {
  const llvm::json::Object *O = V ? V->getAsObject() : nullptr;
  if (!O)
    return false;
  std::optional<int64_t> L = O->getInteger("line"), C = O->getInteger("character");
  if (!L || !C || *L < 0 || *C < 0)
    return false;
  P.Line = unsigned(*L);
  P.Character = unsigned(*C);
  return true;
}

bool applyChange(std::string &Text, const llvm::json::Object &Change) {
  std::optional<llvm::StringRef> NewText = Change.getString("text");
  if (!NewText)
    return false;
  const llvm::json::Object *Range = Change.getObject("range");
  if (!Range) {
    Text = NewText->str();
    return true;
  }
  Position Start, End;
  if (!fromJSON(Range->get("start"), Start) || !fromJSON(Range->get("end"), End))
    return false;
  size_t B = offsetOf(Text, Start), E = offsetOf(Text, End);
  if (E < B)
    return false;
  Text.replace(B, E - B, NewText->str());
  return true;
}

std::string pathFromURI(llvm::StringRef URI) {
  if (!URI.consume_front("file://"))
    return "";
  std::string Out;
  for (size_t I = 0; I < URI.size(); ++I) {
    if (URI[I] == '%' && I + 2 < URI.size() && llvm::isHexDigit(URI[I + 1]) &&
        llvm::isHexDigit(URI[I + 2])) {
      Out.push_back(char(llvm::hexFromNibbles(URI[I + 1], URI[I + 2])));
      I += 2;
    } else {
      Out.push_back(URI[I]);
    }
  }
  return Out;
}

} // namespace lsp
} // namespace threadwise
