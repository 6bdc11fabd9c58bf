//===- ThreadwiseCheck.cpp - One threadwise check as a clang-tidy check ---===//
#include "ThreadwiseCheck.h"
#include "threadwise/Analysis.h"
#include "threadwise/ClangBridge.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <dlfcn.h>
#include <mutex>

namespace threadwise {
namespace {

const RuleSet *rules() {
  static RuleSet *Loaded = [] {
    auto *R = new RuleSet;
    llvm::Error E = loadRulesBesideLibrary(*R, reinterpret_cast<void *>(&rules));
    if (E) {
      llvm::errs() << "threadwise: rules: " << llvm::toString(std::move(E)) << "\n";
      delete R;
      return static_cast<RuleSet *>(nullptr);
    }
    return R;
  }();
  return Loaded;
}

/// The current TU's findings, computed by the first threadwise check that
/// sees it and dropped at the end of the TU.
struct SharedFindings {
  const clang::ASTContext *Ctx = nullptr;
  std::vector<Finding> Findings;
};
SharedFindings &shared() {
  static SharedFindings S;
  return S;
}

const std::vector<Finding> &findingsFor(clang::ASTContext &Ctx) {
  SharedFindings &S = shared();
  if (S.Ctx != &Ctx) {
    S.Ctx = &Ctx;
    S.Findings.clear();
    const RuleSet *R = rules();
    // Like the -fplugin: code that does not compile is clang's to report.
    if (R && !Ctx.getDiagnostics().hasUncompilableErrorOccurred()) {
      TUSummaryPtr Summary = summarizeTranslationUnit(Ctx, *R);
      if (Summary) {
        const TUSummary *TUs[] = {Summary.get()};
        // Every check: clang-tidy's own filter decides which ones are shown.
        S.Findings = analyzeProgram(TUs, *R, CheckFilter());
      }
    }
  }
  return S.Findings;
}

} // namespace

void ThreadwiseCheck::registerMatchers(clang::ast_matchers::MatchFinder *Finder) {
  using namespace clang::ast_matchers;
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void ThreadwiseCheck::check(const clang::ast_matchers::MatchFinder::MatchResult &Result) {
  FindingLocator Loc(*Result.SourceManager);
  for (const Finding &F : findingsFor(*Result.Context)) {
    if (F.Check != CheckName)
      continue;
    clang::SourceLocation Primary = Loc.location(F.Pos);
    if (Primary.isInvalid())
      continue;
    const clang::SourceManager &SM = *Result.SourceManager;
    std::vector<clang::SourceLocation> FixesElsewhere;
    {
      // Every fix-it rides on the warning, so that --fix applies it (notes'
      // fix-its need --fix-notes).
      clang::DiagnosticBuilder DB = diag(Primary, "%0") << F.Message;
      for (const FixIt &Fix : F.Fixes) {
        clang::FixItHint H = Loc.hint(Fix);
        if (H.isNull())
          continue;
        DB << H;
        clang::SourceLocation B = H.RemoveRange.getBegin();
        if (SM.getFileID(B) != SM.getFileID(Primary) ||
            SM.getExpansionLineNumber(B) != SM.getExpansionLineNumber(Primary))
          FixesElsewhere.push_back(B);
      }
    }
    for (const Note &N : F.Notes) {
      clang::SourceLocation NL = Loc.location(N.Pos);
      if (NL.isValid())
        diag(NL, "%0", clang::DiagnosticIDs::Note) << N.Message;
    }
    // Like `threadwise check`: a note at each fix-it away from the warning.
    for (clang::SourceLocation B : FixesElsewhere)
      diag(B, "%0", clang::DiagnosticIDs::Note)
          << (F.FixDescription.empty() ? std::string("fix-it") : F.FixDescription);
  }
}

void ThreadwiseCheck::onEndOfTranslationUnit() {
  SharedFindings &S = shared();
  S.Ctx = nullptr;
  S.Findings.clear();
}

} // namespace threadwise
