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
#include "threadwise/ClangBridge.h"
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

/// Any function of this .so: dladdr() on it finds where the plugin is installed.
void pluginAnchor() {}

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
  clang::SourceLocation location(const SourcePos &P) const { return Locator.location(P); }
  clang::FixItHint hint(const FixIt &Fix) const { return Locator.hint(Fix); }

  clang::DiagnosticsEngine &Diags;
  clang::SourceManager &SM;
  FindingLocator Locator{SM};
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
    if (llvm::Error E = loadRulesBesideLibrary(Config->Rules, reinterpret_cast<void *>(&pluginAnchor))) {
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
