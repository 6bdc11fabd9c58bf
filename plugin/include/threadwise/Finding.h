//===- Finding.h - A diagnostic produced by a threadwise check -----------===//
//
// Findings outlive the ASTs they came from (cross-TU linking, caches, the
// language server), so they carry plain file/line/column positions rather than
// clang::SourceLocation. Front ends turn them back into clang diagnostics, text,
// JSON or SARIF.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_FINDING_H
#define THREADWISE_FINDING_H

#include <string>
#include <vector>

namespace threadwise {

struct SourcePos {
  std::string File; ///< As the compiler saw it, made absolute.
  unsigned Line = 0;
  unsigned Column = 0;
  unsigned Offset = 0; ///< Byte offset in File (for fix-its).
  bool valid() const { return !File.empty() && Line != 0; }
  bool operator<(const SourcePos &O) const;
  bool operator==(const SourcePos &O) const {
    return File == O.File && Line == O.Line && Column == O.Column;
  }
};

struct Note {
  SourcePos Pos;
  std::string Message;
};

/// A textual replacement, in the shape of clang::tooling::Replacement.
struct FixIt {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Replacement;
  SourcePos Pos; ///< Start of the replaced range, for display.
};

struct Finding {
  std::string Check;   ///< e.g. "threadwise-race-unprotected-write".
  SourcePos Pos;       ///< Primary location (see CONVENTIONS: the unprotected write).
  std::string Message; ///< Without the "[check]" suffix.
  std::vector<Note> Notes;
  std::vector<FixIt> Fixes;
  std::string FixDescription; ///< Short text for the fix-it note/code action.
  /// Stable across unrelated edits: check + variable + function + ordinal.
  std::string Fingerprint;
};

/// Sorts findings by position and removes exact duplicates (same check, same
/// fingerprint), e.g. a header finding seen from several TUs.
void sortAndUnique(std::vector<Finding> &Findings);

} // namespace threadwise

#endif
