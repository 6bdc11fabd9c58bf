//===- Suppressions.cpp - NOLINT comments, clang-tidy style --------------===//
#include "threadwise/Suppressions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include <cctype>

namespace threadwise {

namespace {

bool isIdentChar(char C) { return std::isalnum(static_cast<unsigned char>(C)) || C == '_'; }

/// Parses the NOLINT* comments on one line.
void parseLine(llvm::StringRef Text, unsigned Line, std::vector<NolintComment> &Out) {
  size_t From = 0;
  while ((From = Text.find("NOLINT", From)) != llvm::StringRef::npos) {
    if (From > 0 && isIdentChar(Text[From - 1])) {
      From += 6;
      continue;
    }
    llvm::StringRef Rest = Text.substr(From + 6);
    NolintComment C;
    C.Line = Line;
    if (Rest.consume_front("NEXTLINE"))
      C.K = NolintComment::NextLine;
    else if (Rest.consume_front("BEGIN"))
      C.K = NolintComment::Begin;
    else if (Rest.consume_front("END"))
      C.K = NolintComment::End;
    From = Text.size() - Rest.size();
    if (!Rest.empty() && isIdentChar(Rest.front()))
      continue; // NOLINTFOO: not ours.
    C.Checks = "*";
    if (Rest.consume_front("(")) {
      size_t Close = Rest.find(')');
      if (Close == llvm::StringRef::npos)
        continue; // Unbalanced: clang-tidy ignores it too.
      C.Checks = Rest.take_front(Close).trim().str();
      From = Text.size() - Rest.size() + Close + 1;
    }
    Out.push_back(std::move(C));
  }
}

} // namespace

std::vector<NolintComment> parseNolintComments(llvm::StringRef Source) {
  std::vector<NolintComment> Out;
  unsigned Line = 1;
  while (!Source.empty()) {
    auto [Text, Rest] = Source.split('\n');
    if (Text.contains("NOLINT"))
      parseLine(Text, Line, Out);
    Source = Rest;
    ++Line;
  }
  return Out;
}

bool nolintGlobsMatch(llvm::StringRef Globs, llvm::StringRef CheckName) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Globs.split(Parts, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (Part.empty())
      continue;
    llvm::Expected<llvm::GlobPattern> G = llvm::GlobPattern::create(Part);
    if (!G) {
      llvm::consumeError(G.takeError());
      continue;
    }
    if (G->match(CheckName))
      return true;
  }
  return false;
}

FileSuppressions::FileSuppressions(llvm::StringRef Source) {
  // A NOLINTEND closes the latest open NOLINTBEGIN with the same check list,
  // as in clang-tidy; a BEGIN left open runs to the end of the file.
  std::vector<NolintComment> Open;
  for (const NolintComment &C : parseNolintComments(Source)) {
    switch (C.K) {
    case NolintComment::ThisLine:
      Ranges.push_back({C.Line, C.Line, C.Checks});
      break;
    case NolintComment::NextLine:
      Ranges.push_back({C.Line + 1, C.Line + 1, C.Checks});
      break;
    case NolintComment::Begin:
      Open.push_back(C);
      break;
    case NolintComment::End:
      for (auto It = Open.rbegin(); It != Open.rend(); ++It)
        if (It->Checks == C.Checks) {
          Ranges.push_back({It->Line, C.Line, C.Checks});
          Open.erase(std::next(It).base());
          break;
        }
      break;
    }
  }
  for (const NolintComment &C : Open)
    Ranges.push_back({C.Line, ~0u, C.Checks});
}

bool FileSuppressions::suppresses(unsigned Line, llvm::StringRef CheckName) const {
  for (const Range &R : Ranges)
    if (R.First <= Line && Line <= R.Last && nolintGlobsMatch(R.Checks, CheckName))
      return true;
  return false;
}

bool SuppressionFilter::isSuppressed(const Finding &F) {
  if (!F.Pos.valid())
    return false;
  auto It = Files.find(F.Pos.File);
  if (It == Files.end()) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
        llvm::MemoryBuffer::getFile(F.Pos.File, /*IsText=*/true);
    It = Files.try_emplace(F.Pos.File, Buf ? (*Buf)->getBuffer() : llvm::StringRef()).first;
  }
  return It->second.suppresses(F.Pos.Line, F.Check);
}

size_t SuppressionFilter::apply(std::vector<Finding> &Findings) {
  size_t Before = Findings.size();
  llvm::erase_if(Findings, [&](const Finding &F) { return isSuppressed(F); });
  return Before - Findings.size();
}

} // namespace threadwise
