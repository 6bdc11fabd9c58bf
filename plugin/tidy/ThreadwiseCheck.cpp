//===- ThreadwiseCheck.cpp - One threadwise check as a clang-tidy check ---===//
#include "ThreadwiseCheck.h"
#include "threadwise/Analysis.h"
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

/// The module's directory, to find rule packs installed beside it
/// (<prefix>/lib/threadwise-tidy-module.so -> <prefix>/share/threadwise/rules).
std::string moduleDirectory() {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&moduleDirectory), &Info) || !Info.dli_fname)
    return "";
  llvm::SmallString<256> Path(Info.dli_fname);
  llvm::sys::fs::make_absolute(Path);
  return std::string(llvm::sys::path::parent_path(Path));
}

const RuleSet *rules() {
  static RuleSet *Loaded = [] {
    auto *R = new RuleSet;
    llvm::Error E = llvm::Error::success();
    llvm::SmallString<256> Beside(moduleDirectory());
    llvm::sys::path::append(Beside, "..", "share", "threadwise", "rules");
    if (!llvm::sys::Process::GetEnv("THREADWISE_RULES_DIR") && llvm::sys::fs::is_directory(Beside))
      E = R->loadDirectory(Beside);
    else
      E = R->loadDefault();
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

class Locator {
public:
  explicit Locator(const clang::SourceManager &SM) : SM(SM) {}

  clang::SourceLocation location(const SourcePos &P) {
    if (!P.valid())
      return {};
    clang::FileID FID = fileID(P.File);
    return FID.isInvalid() ? clang::SourceLocation()
                           : SM.translateLineCol(FID, P.Line, std::max(P.Column, 1u));
  }

  clang::FixItHint hint(const FixIt &Fix) {
    clang::FileID FID = fileID(Fix.File);
    if (FID.isInvalid())
      return {};
    clang::SourceLocation Begin = SM.getLocForStartOfFile(FID).getLocWithOffset(Fix.Offset);
    return clang::FixItHint::CreateReplacement(
        clang::CharSourceRange::getCharRange(Begin, Begin.getLocWithOffset(Fix.Length)),
        Fix.Replacement);
  }

private:
  clang::FileID fileID(llvm::StringRef File) {
    if (File.empty())
      return {};
    llvm::Expected<clang::FileEntryRef> FE = SM.getFileManager().getFileRef(File);
    if (!FE) {
      llvm::consumeError(FE.takeError());
      return {};
    }
    return SM.translateFile(*FE);
  }
  const clang::SourceManager &SM;
};

} // namespace

void ThreadwiseCheck::registerMatchers(clang::ast_matchers::MatchFinder *Finder) {
  using namespace clang::ast_matchers;
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void ThreadwiseCheck::check(const clang::ast_matchers::MatchFinder::MatchResult &Result) {
  Locator Loc(*Result.SourceManager);
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
