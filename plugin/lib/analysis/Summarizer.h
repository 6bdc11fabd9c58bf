//===- Summarizer.h - Step 1: one TU's AST and CFGs to a TUSummary --------===//
#ifndef THREADWISE_ANALYSIS_SUMMARIZER_H
#define THREADWISE_ANALYSIS_SUMMARIZER_H

#include "Summary.h"
#include "threadwise/Rules.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include <unordered_map>

namespace threadwise {

/// Per-TU state shared by the function summarizers: keys, names and rule
/// look-ups are cached here because every call site asks for them.
class TUSummarizer {
public:
  TUSummarizer(clang::ASTContext &Ctx, const RuleSet &Rules, TUSummary &Out)
      : Ctx(Ctx), Rules(Rules), Out(Out) {}

  /// Summarizes every function with a body that is not in a system header.
  void run();

  /// Summarizes FD on demand (callers need callees' lock effects first).
  const FunctionSummary *summarize(const clang::FunctionDecl *FD);

  clang::ASTContext &Ctx;
  const RuleSet &Rules;
  TUSummary &Out;

  const std::string &keyOf(const clang::Decl *D);
  const std::string &qualName(const clang::NamedDecl *D);
  /// Name of the class a member belongs to, or of a record type.
  std::string className(const clang::QualType &T);
  SourcePos pos(clang::SourceLocation Loc);
  bool isSystem(const clang::Decl *D);
  /// Records what the race check needs to describe a global variable.
  void noteVariable(const clang::VarDecl *VD, const std::string &Key);
  void noteField(const clang::FieldDecl *FD, const std::string &Key);

private:
  // Node-based: callers hold references across later insertions.
  std::unordered_map<const clang::Decl *, std::string> Keys, Names;
  llvm::DenseMap<const clang::FunctionDecl *, int> State; // 1 running, 2 done
  llvm::DenseMap<clang::FileID, std::string> FileNames;
};

/// "|"-separated access path helpers (grammar in Summary.h).
namespace paths {
llvm::StringRef root(llvm::StringRef Path);
/// Substitutes a P<i>: or T: root; returns "" when the root is unbound.
std::string substitute(llvm::StringRef Path, const std::vector<std::string> &Args,
                       const std::string &This, bool *FromArg = nullptr,
                       unsigned *ArgIndex = nullptr);
bool isBindable(llvm::StringRef Path);
} // namespace paths

} // namespace threadwise

#endif
