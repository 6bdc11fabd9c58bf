//===- Fixes.cpp - --fix and --export-fixes -------------------------------===//
#include "Fixes.h"
#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace threadwise {

namespace {

/// Offset just after the last `#include` line of the file's leading
/// preprocessor/comment block, or 0; std::nullopt if <atomic> is included.
std::optional<unsigned> atomicIncludeOffset(llvm::StringRef Text) {
  unsigned Insert = 0;
  size_t Pos = 0;
  while (Pos < Text.size()) {
    size_t End = Text.find('\n', Pos);
    llvm::StringRef Line = Text.slice(Pos, End == llvm::StringRef::npos ? Text.size() : End);
    size_t Next = End == llvm::StringRef::npos ? Text.size() : End + 1;
    llvm::StringRef T = Line.trim();
    if (T.starts_with("#")) {
      llvm::StringRef Directive = T.drop_front().ltrim();
      if (Directive.starts_with("include")) {
        if (Directive.contains("<atomic>"))
          return std::nullopt;
        Insert = Next;
      }
    } else if (!T.empty() && !T.starts_with("//") && !T.starts_with("/*") && !T.starts_with("*")) {
      break; // The first declaration: includes below it are not the top block.
    }
    Pos = Next;
  }
  return Insert;
}

} // namespace

void addIncludeFixes(std::vector<Finding> &Findings) {
  std::map<std::string, std::optional<unsigned>> Offsets; // Per file, read once.
  for (Finding &F : Findings) {
    std::vector<FixIt> Added;
    for (const FixIt &Fix : F.Fixes) {
      if (!llvm::StringRef(Fix.Replacement).starts_with("std::atomic<"))
        continue;
      auto [It, New] = Offsets.try_emplace(Fix.File);
      if (New) {
        auto Buf = llvm::MemoryBuffer::getFile(Fix.File);
        It->second = Buf ? atomicIncludeOffset((*Buf)->getBuffer()) : std::nullopt;
      }
      if (!It->second)
        continue;
      FixIt Include;
      Include.File = Fix.File;
      Include.Offset = *It->second;
      Include.Replacement = "#include <atomic>\n";
      Added.push_back(std::move(Include));
    }
    F.Fixes.insert(F.Fixes.end(), Added.begin(), Added.end());
  }
}

bool applyFixes(llvm::ArrayRef<Finding> Findings, bool Quiet) {
  // Per file, the edits ordered by offset; an identical edit proposed by two
  // findings (one variable, two races) is one edit.
  std::map<std::string, std::set<std::tuple<unsigned, unsigned, std::string>>> PerFile;
  size_t Suggested = 0;
  for (const Finding &F : Findings)
    for (const FixIt &Fix : F.Fixes) {
      ++Suggested;
      PerFile[Fix.File].insert({Fix.Offset, Fix.Length, Fix.Replacement});
    }
  bool OK = true;
  size_t Applied = 0;
  for (const auto &[File, Edits] : PerFile) {
    auto Buf = llvm::MemoryBuffer::getFile(File);
    if (!Buf) {
      llvm::errs() << "threadwise: error: cannot read '" << File
                   << "' to fix it: " << Buf.getError().message() << "\n";
      OK = false;
      continue;
    }
    llvm::StringRef Old = (*Buf)->getBuffer();
    std::string New;
    unsigned Pos = 0; // Everything before Pos is already copied or replaced.
    for (const auto &[Offset, Length, Text] : Edits) {
      if (Offset < Pos || Offset + Length > Old.size()) {
        llvm::errs() << "threadwise: note: skipped a fix-it at " << File << ":" << Offset
                     << " (overlaps another one or lies outside the file)\n";
        continue;
      }
      New += Old.substr(Pos, Offset - Pos);
      New += Text;
      Pos = Offset + Length;
      ++Applied;
    }
    New += Old.substr(Pos);
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    if (!EC) {
      OS << New;
      OS.close();
      EC = OS.error();
    }
    if (EC) {
      llvm::errs() << "threadwise: error: cannot write '" << File << "': " << EC.message() << "\n";
      OS.clear_error();
      OK = false;
    }
  }
  if (!Quiet && Suggested)
    llvm::errs() << "threadwise: applied " << Applied << " of " << Suggested
                 << " suggested fixes\n";
  return OK;
}

bool exportFixes(llvm::StringRef Path, llvm::ArrayRef<Finding> Findings,
                 llvm::StringRef MainSourceFile) {
  // Paths are absolute; BuildDirectory is where relative ones would start.
  llvm::SmallString<256> BuildDirectory;
  llvm::sys::fs::current_path(BuildDirectory);
  clang::tooling::TranslationUnitDiagnostics TUD;
  TUD.MainSourceFile = MainSourceFile.str();
  for (const Finding &F : Findings) {
    clang::tooling::DiagnosticMessage Msg;
    Msg.Message = F.Message;
    Msg.FilePath = F.Pos.File;
    Msg.FileOffset = F.Pos.Offset;
    for (const FixIt &Fix : F.Fixes) {
      clang::tooling::Replacement R(Fix.File, Fix.Offset, Fix.Length, Fix.Replacement);
      // Two fix-its of one finding never overlap; if they did, keep the first.
      llvm::consumeError(Msg.Fix[Fix.File].add(R));
    }
    llvm::SmallVector<clang::tooling::DiagnosticMessage, 1> Notes;
    for (const Note &N : F.Notes) {
      clang::tooling::DiagnosticMessage NM;
      NM.Message = N.Message;
      NM.FilePath = N.Pos.File;
      NM.FileOffset = N.Pos.Offset;
      Notes.push_back(std::move(NM));
    }
    TUD.Diagnostics.emplace_back(F.Check, Msg, Notes, clang::tooling::Diagnostic::Warning,
                                 BuildDirectory);
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_TextWithCRLF);
  if (EC) {
    llvm::errs() << "threadwise: error: cannot write '" << Path << "': " << EC.message() << "\n";
    return false;
  }
  llvm::yaml::Output YAML(OS);
  YAML << TUD;
  OS.close();
  if (OS.has_error()) {
    llvm::errs() << "threadwise: error: cannot write '" << Path << "': " << OS.error().message()
                 << "\n";
    OS.clear_error();
    return false;
  }
  return true;
}

} // namespace threadwise
