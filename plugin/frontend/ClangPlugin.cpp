//===- ClangPlugin.cpp - threadwise as a -fplugin -------------------------===//
//
//   clang++ -fplugin=lib/threadwise-plugin.so -c x.cpp
//
// Summarizes the TU being compiled, analyses it alone and emits the findings
// as clang diagnostics, with fix-its; compilation goes on. Races whose two
// sides live in different TUs need `threadwise check -p` instead.
//
// Clang 19 offers plugins only getCustomDiagID, whose diagnostics belong to no
// warning group: -Werror, -w and -Wno-... do not reach them. The plugin's own
// arguments (werror, checks=) take their place; see docs/plugin.md.
//
//===----------------------------------------------------------------------===//
#include "threadwise/Analysis.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <dlfcn.h>
#include <memory>

namespace threadwise {
namespace {

constexpr const char *PluginHelp =
    "threadwise plugin: finds data races in the translation unit being compiled.\n"
    "  -fplugin-arg-threadwise-checks=<globs>  checks to run, clang-tidy glob syntax\n"
    "                                          (e.g. -*,threadwise-race-*)\n"
    "  -fplugin-arg-threadwise-werror          report findings as errors\n"
    "  -fplugin-arg-threadwise-rules=<file>    add a rule pack (repeatable)\n"
    "  -fplugin-arg-threadwise-help            show this help\n"
    "Findings cannot be controlled with -Werror, -w or -Wno-...: use the arguments above.\n"
    "Races across translation units need `threadwise check -p <build-dir>`.\n";

/// The plugin's directory, to find rule packs installed beside it
/// (<prefix>/lib/threadwise-plugin.so -> <prefix>/share/threadwise/rules).
std::string pluginDirectory() {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&pluginDirectory), &Info) || !Info.dli_fname)
    return "";
  llvm::SmallString<256> Path(Info.dli_fname);
  llvm::sys::fs::make_absolute(Path);
  return std::string(llvm::sys::path::parent_path(Path));
}

llvm::Error loadRules(RuleSet &Rules) {
  if (!llvm::sys::Process::GetEnv("THREADWISE_RULES_DIR")) {
    llvm::SmallString<256> Beside(pluginDirectory());
    llvm::sys::path::append(Beside, "..", "share", "threadwise", "rules");
    if (!Beside.empty() && llvm::sys::fs::is_directory(Beside))
      return Rules.loadDirectory(Beside);
  }
  return Rules.loadDefault();
}

struct PluginConfig {
  RuleSet Rules;
  CheckFilter Checks;
  bool Werror = false;
};

/// Turns findings back into clang diagnostics of the TU.
class DiagnosticEmitter {
public:
  DiagnosticEmitter(clang::CompilerInstance &CI, bool Werror)
      : Diags(CI.getDiagnostics()), SM(CI.getSourceManager()) {
    FindingID = Diags.getCustomDiagID(Werror ? clang::DiagnosticsEngine::Error
                                             : clang::DiagnosticsEngine::Warning,
                                      "%0 [%1]");
    NoteID = Diags.getCustomDiagID(clang::DiagnosticsEngine::Note, "%0");
  }

  void emit(const Finding &F) {
    std::vector<clang::FixItHint> Inline, Elsewhere;
    clang::SourceLocation Loc = location(F.Pos);
    for (const FixIt &Fix : F.Fixes) {
      clang::FixItHint Hint = hint(Fix);
      if (Hint.isNull())
        continue;
      bool SameLine = Loc.isValid() &&
                      SM.getExpansionLineNumber(Hint.RemoveRange.getBegin()) ==
                          SM.getExpansionLineNumber(Loc) &&
                      SM.getFileID(Hint.RemoveRange.getBegin()) == SM.getFileID(Loc);
      (SameLine ? Inline : Elsewhere).push_back(Hint);
    }
    {
      clang::DiagnosticBuilder DB = Diags.Report(Loc, FindingID);
      DB << F.Message << F.Check;
      for (const clang::FixItHint &H : Inline)
        DB << H;
    }
    for (const Note &N : F.Notes)
      Diags.Report(location(N.Pos), NoteID) << N.Message;
    if (!Elsewhere.empty()) {
      clang::DiagnosticBuilder DB = Diags.Report(Elsewhere.front().RemoveRange.getBegin(), NoteID);
      DB << (F.FixDescription.empty() ? std::string("fix-it") : F.FixDescription);
      for (const clang::FixItHint &H : Elsewhere)
        DB << H;
    }
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

  clang::SourceLocation location(const SourcePos &P) {
    if (!P.valid())
      return {};
    clang::FileID FID = fileID(P.File);
    if (FID.isInvalid())
      return {};
    return SM.translateLineCol(FID, P.Line, std::max(P.Column, 1u));
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

  clang::DiagnosticsEngine &Diags;
  clang::SourceManager &SM;
  unsigned FindingID, NoteID;
};

class ThreadwiseAction : public clang::PluginASTAction {
protected:
  bool ParseArgs(const clang::CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    clang::DiagnosticsEngine &D = CI.getDiagnostics();
    unsigned ErrorID = D.getCustomDiagID(clang::DiagnosticsEngine::Error, "threadwise: %0");
    Config = std::make_shared<PluginConfig>();
    std::vector<std::string> RuleFiles;
    for (llvm::StringRef Arg : Args) {
      if (Arg == "help") {
        llvm::errs() << PluginHelp;
      } else if (Arg == "werror") {
        Config->Werror = true;
      } else if (Arg.consume_front("checks=")) {
        llvm::Expected<CheckFilter> F = CheckFilter::parse(Arg);
        if (!F) {
          D.Report(ErrorID) << llvm::toString(F.takeError());
          return false;
        }
        Config->Checks = std::move(*F);
      } else if (Arg.consume_front("rules=")) {
        RuleFiles.push_back(Arg.str());
      } else {
        D.Report(ErrorID) << ("unknown plugin argument '" + Arg +
                              "'; see -fplugin-arg-threadwise-help")
                                 .str();
        return false;
      }
    }
    if (llvm::Error E = loadRules(Config->Rules)) {
      D.Report(ErrorID) << llvm::toString(std::move(E));
      return false;
    }
    for (const std::string &F : RuleFiles)
      if (llvm::Error E = Config->Rules.loadFile(F)) {
        D.Report(ErrorID) << ("rules '" + F + "': " + llvm::toString(std::move(E)));
        return false;
      }
    return true;
  }

  ActionType getActionType() override { return AddAfterMainAction; }

  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &CI,
                                                        llvm::StringRef) override {
    // The action dies once its consumer exists, so the consumer's callback
    // keeps the configuration alive.
    std::shared_ptr<PluginConfig> C = Config;
    return makeSummaryConsumer(C->Rules, [C, &CI](TUSummaryPtr Summary) {
      if (!Summary || CI.getDiagnostics().hasUncompilableErrorOccurred())
        return;
      const TUSummary *TUs[] = {Summary.get()};
      DiagnosticEmitter Emitter(CI, C->Werror);
      for (const Finding &F : analyzeProgram(TUs, C->Rules, C->Checks))
        Emitter.emit(F);
    });
  }

private:
  std::shared_ptr<PluginConfig> Config;
};

} // namespace
} // namespace threadwise

static clang::FrontendPluginRegistry::Add<threadwise::ThreadwiseAction>
    RegisterThreadwise("threadwise", "find data races in this translation unit");
