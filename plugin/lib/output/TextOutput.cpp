//===- TextOutput.cpp - Findings in clang's diagnostic format -------------===//
//
// Mirrors clang 19's TextDiagnostic closely enough that editors, CI log
// parsers and people read it as a compiler diagnostic: a location line, the
// source line in a numbered gutter, a caret, and fix-it text under the caret.
//
//===----------------------------------------------------------------------===//
#include "threadwise/Output.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include <memory>

namespace threadwise {
namespace {

// clang's colours: bold location, bold magenta warning, bold black note,
// bold green caret, green fix-it text.
constexpr const char *Reset = "\033[0m";
constexpr const char *Bold = "\033[1m";
constexpr const char *WarningColor = "\033[0;1;35m";
constexpr const char *ErrorColor = "\033[0;1;31m";
constexpr const char *NoteColor = "\033[0;1;30m";
constexpr const char *CaretColor = "\033[0;1;32m";
constexpr const char *FixItColor = "\033[0;32m";
constexpr unsigned TabStop = 8;

/// Reads each source file once per report; unreadable files show no snippet.
class SourceCache {
public:
  /// The text of line Line (1-based) without its newline, or false.
  bool line(llvm::StringRef File, unsigned Line, llvm::StringRef &Out) {
    const llvm::MemoryBuffer *Buf = get(File);
    if (!Buf || Line == 0)
      return false;
    llvm::StringRef Text = Buf->getBuffer();
    for (unsigned L = 1; L < Line; ++L) {
      size_t NL = Text.find('\n');
      if (NL == llvm::StringRef::npos)
        return false;
      Text = Text.drop_front(NL + 1);
    }
    Out = Text.take_until([](char C) { return C == '\n' || C == '\r'; });
    return true;
  }

  /// 1-based line and byte column of a byte offset, for offset-only fix-its.
  bool position(llvm::StringRef File, unsigned Offset, SourcePos &Out) {
    const llvm::MemoryBuffer *Buf = get(File);
    if (!Buf || Offset > Buf->getBufferSize())
      return false;
    llvm::StringRef Before = Buf->getBuffer().take_front(Offset);
    Out.Line = Before.count('\n') + 1;
    size_t NL = Before.rfind('\n');
    Out.Column = Offset - (NL == llvm::StringRef::npos ? 0 : NL + 1) + 1;
    return true;
  }

private:
  const llvm::MemoryBuffer *get(llvm::StringRef File) {
    auto It = Files.find(File);
    if (It == Files.end()) {
      auto Buf = llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
      It = Files.try_emplace(File, Buf ? std::move(*Buf) : nullptr).first;
    }
    return It->second.get();
  }

  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> Files;
};

/// The source line with tabs expanded, and the display column of each byte.
struct DisplayLine {
  std::string Text;
  std::vector<unsigned> ColumnOfByte; // One more entry: the end of line.

  explicit DisplayLine(llvm::StringRef Raw) {
    for (char C : Raw) {
      ColumnOfByte.push_back(Text.size());
      if (C == '\t')
        Text.append(TabStop - Text.size() % TabStop, ' ');
      else
        Text.push_back(C);
    }
    ColumnOfByte.push_back(Text.size());
  }
  /// Display column (0-based) of a 1-based byte column.
  unsigned column(unsigned ByteCol) const {
    if (ByteCol == 0)
      return 0;
    size_t I = std::min<size_t>(ByteCol - 1, ColumnOfByte.size() - 1);
    return ColumnOfByte[I];
  }
};

class TextWriter {
public:
  TextWriter(llvm::raw_ostream &OS, const OutputOptions &Opts) : OS(OS), Opts(Opts) {}

  void finding(const Finding &F) {
    std::vector<const FixIt *> Inline, Elsewhere;
    for (const FixIt &Fix : F.Fixes)
      (onLine(Fix, F.Pos) ? Inline : Elsewhere).push_back(&Fix);
    IsError = Opts.WarningsAsErrors && Opts.WarningsAsErrors->isEnabled(F.Check);
    diagnostic(F.Pos, /*IsNote=*/false,
               F.Message + " [" + F.Check + (IsError ? ",-warnings-as-errors]" : "]"), Inline);
    for (const Note &N : F.Notes)
      diagnostic(N.Pos, /*IsNote=*/true, N.Message, {});
    // Fix-its away from the warning get a note of their own, as clang does.
    for (const FixIt *Fix : Elsewhere) {
      std::string Msg = F.FixDescription.empty() ? "fix-it" : F.FixDescription;
      diagnostic(fixPos(*Fix), /*IsNote=*/true, Msg, {Fix});
    }
  }

private:
  SourcePos fixPos(const FixIt &Fix) {
    SourcePos P = Fix.Pos;
    if (P.File.empty())
      P.File = Fix.File;
    if (P.Line == 0)
      Sources.position(P.File, Fix.Offset, P);
    return P;
  }
  bool onLine(const FixIt &Fix, const SourcePos &Pos) {
    SourcePos P = fixPos(Fix);
    return P.File == Pos.File && P.Line == Pos.Line && P.Line != 0;
  }

  void color(const char *C) {
    if (Opts.Color)
      OS << C;
  }

  void diagnostic(const SourcePos &Pos, bool IsNote, llvm::StringRef Message,
                  llvm::ArrayRef<const FixIt *> Fixes) {
    color(Bold);
    if (!Pos.File.empty()) {
      OS << Pos.File << ':';
      if (Pos.Line) {
        OS << Pos.Line << ':';
        if (Pos.Column)
          OS << Pos.Column << ':';
      }
      OS << ' ';
    } else {
      OS << "threadwise: ";
    }
    color(Reset);
    color(IsNote ? NoteColor : IsError ? ErrorColor : WarningColor);
    OS << (IsNote ? "note: " : IsError ? "error: " : "warning: ");
    color(Reset);
    color(Bold);
    OS << Message;
    color(Reset);
    OS << '\n';
    // Like clang, a diagnostic at the previous one's location shows no
    // second copy of the same snippet.
    bool Repeated = IsNote && Pos == LastPos && Fixes.empty();
    LastPos = Pos;
    if (Opts.ShowSource && !Repeated)
      snippet(Pos, Fixes);
  }

  void snippet(const SourcePos &Pos, llvm::ArrayRef<const FixIt *> Fixes) {
    llvm::StringRef Raw;
    if (!Pos.valid() || !Sources.line(Pos.File, Pos.Line, Raw))
      return;
    DisplayLine Line(Raw);
    std::string Number = std::to_string(Pos.Line);
    unsigned Width = std::max<unsigned>(4, Number.size());
    OS << ' ';
    OS.indent(Width - Number.size()) << Number << " | " << Line.Text << '\n';
    std::string Gutter = " " + std::string(Width, ' ') + " | ";

    // The caret, and '~' under the text that fix-its replace.
    std::string Caret(Line.Text.size() + 1, ' ');
    for (const FixIt *Fix : Fixes) {
      unsigned Col = fixPos(*Fix).Column;
      unsigned From = Line.column(Col), To = Line.column(Col + Fix->Length);
      for (unsigned C = From; C < To && C < Caret.size(); ++C)
        Caret[C] = '~';
    }
    unsigned At = std::min<unsigned>(Line.column(Pos.Column), Caret.size() - 1);
    Caret[At] = '^';
    Caret.erase(Caret.find_last_not_of(' ') + 1);
    OS << Gutter;
    color(CaretColor);
    OS << Caret;
    color(Reset);
    OS << '\n';

    // One line of replacement text per fix-it, at the column it replaces.
    for (const FixIt *Fix : Fixes) {
      if (Fix->Replacement.empty())
        continue;
      OS << Gutter;
      color(FixItColor);
      OS.indent(Line.column(fixPos(*Fix).Column)) << Fix->Replacement;
      color(Reset);
      OS << '\n';
    }
  }

  llvm::raw_ostream &OS;
  const OutputOptions &Opts;
  SourceCache Sources;
  SourcePos LastPos;
  bool IsError = false; ///< The current finding is an error (--warnings-as-errors).
};

} // namespace

void writeText(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
               const OutputOptions &Opts) {
  TextWriter W(OS, Opts);
  for (const Finding &F : Findings)
    W.finding(F);
}

} // namespace threadwise
