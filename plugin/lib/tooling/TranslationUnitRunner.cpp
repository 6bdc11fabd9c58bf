//===- TranslationUnitRunner.cpp - Summarize one TU, safely ---------------===//
#include "threadwise/TranslationUnitRunner.h"
#include "threadwise/PreambleCache.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <csignal>

namespace threadwise {
namespace {

/// Shows the compiler's errors (and the notes that belong to them) and counts
/// everything else silently: a project's own warnings are not ours to report.
class ErrorsOnlyPrinter : public clang::TextDiagnosticPrinter {
public:
  using TextDiagnosticPrinter::TextDiagnosticPrinter;
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    bool Show = Level >= clang::DiagnosticsEngine::Error ||
                (Level == clang::DiagnosticsEngine::Note && LastShown);
    if (Level != clang::DiagnosticsEngine::Note)
      LastShown = Show;
    if (Level >= clang::DiagnosticsEngine::Error && FirstError.empty()) {
      llvm::SmallString<128> Msg;
      Info.FormatDiagnostic(Msg);
      FirstError = Msg.str().str();
    }
    if (Show)
      TextDiagnosticPrinter::HandleDiagnostic(Level, Info);
    else
      DiagnosticConsumer::HandleDiagnostic(Level, Info);
  }

  std::string FirstError;

private:
  bool LastShown = false;
};

/// THREADWISE_TEST_CRASH=<substring of a file name> crashes the analysis of
/// that TU, so that tests can prove a crash is contained. Not for users.
class CrashForTesting : public clang::ASTConsumer {
  void HandleTranslationUnit(clang::ASTContext &) override { std::raise(SIGSEGV); }
};

bool crashRequested(llvm::StringRef File) {
  std::optional<std::string> Pattern = llvm::sys::Process::GetEnv("THREADWISE_TEST_CRASH");
  return Pattern && !Pattern->empty() && File.contains(*Pattern);
}

class SummaryAction : public clang::ASTFrontendAction {
public:
  SummaryAction(const RuleSet &Rules, TUSummaryPtr &Out) : Rules(Rules), Out(Out) {}

  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &CI,
                                                        llvm::StringRef InFile) override {
    std::vector<std::unique_ptr<clang::ASTConsumer>> Consumers;
    Consumers.push_back(makeSummaryConsumer(Rules, [this](TUSummaryPtr S) { Out = std::move(S); }));
    if (crashRequested(InFile))
      Consumers.push_back(std::make_unique<CrashForTesting>());
    return std::make_unique<clang::MultiplexConsumer>(std::move(Consumers));
  }

private:
  const RuleSet &Rules;
  TUSummaryPtr &Out;
};

/// Runs SummaryAction on each invocation ClangTool builds from the compile
/// command.
class SummaryToolAction : public clang::tooling::ToolAction {
public:
  SummaryToolAction(const RuleSet &Rules, TUSummaryPtr &Out, PreambleCache *Preambles)
      : Rules(Rules), Out(Out), Preambles(Preambles) {}

  bool runInvocation(std::shared_ptr<clang::CompilerInvocation> Invocation,
                     clang::FileManager *Files,
                     std::shared_ptr<clang::PCHContainerOperations> PCHOps,
                     clang::DiagnosticConsumer *Diags) override {
    // Kept alive until the AST that reads it is gone.
    std::shared_ptr<const clang::PrecompiledPreamble> Preamble;
    llvm::IntrusiveRefCntPtr<clang::FileManager> PreambleFiles;
    if (Preambles)
      Files = usePreamble(*Invocation, Files, PCHOps, Preamble, PreambleFiles);
    clang::CompilerInstance CI(std::move(PCHOps));
    CI.setInvocation(std::move(Invocation));
    CI.setFileManager(Files);
    CI.createDiagnostics(Diags, /*ShouldOwnClient=*/false);
    CI.createSourceManager(*Files);
    SummaryAction Action(Rules, Out);
    bool OK = CI.ExecuteAction(Action);
    Files->clearStatCache();
    return OK;
  }

private:
  /// Points Invocation at a cached preamble of its main file, if there is one
  /// to use; the preamble lives in a file system of its own, hence the new
  /// FileManager.
  clang::FileManager *usePreamble(clang::CompilerInvocation &Invocation, clang::FileManager *Files,
                                  std::shared_ptr<clang::PCHContainerOperations> PCHOps,
                                  std::shared_ptr<const clang::PrecompiledPreamble> &Preamble,
                                  llvm::IntrusiveRefCntPtr<clang::FileManager> &Own) {
    const auto &Inputs = Invocation.getFrontendOpts().Inputs;
    if (Inputs.size() != 1 || !Inputs[0].isFile())
      return Files;
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> VFS = Files->getVirtualFileSystemPtr();
    auto Main = VFS->getBufferForFile(Inputs[0].getFile());
    if (!Main)
      return Files;
    Preamble = Preambles->get(Invocation, **Main, VFS, PCHOps);
    if (!Preamble)
      return Files;
    // The compiler instance owns (and frees) the main buffer from here on.
    Preamble->AddImplicitPreamble(Invocation, VFS, Main->release());
    Own = llvm::makeIntrusiveRefCnt<clang::FileManager>(Files->getFileSystemOpts(), VFS);
    return Own.get();
  }

  const RuleSet &Rules;
  TUSummaryPtr &Out;
  PreambleCache *Preambles;
};

} // namespace

void enableCrashRecovery() { llvm::CrashRecoveryContext::Enable(); }

TUResult runTranslationUnit(const clang::tooling::CompilationDatabase &DB,
                            const std::string &File, const RuleSet &Rules,
                            const TURunOptions &Opts) {
  TUResult R;
  R.File = File;
  llvm::raw_string_ostream DiagOS(R.Diagnostics);
  TUSummaryPtr Summary;
  int ToolStatus = 0;
  // Everything the TU allocates lives inside the recovery scope: after a
  // crash it is leaked rather than destroyed in an inconsistent state.
  llvm::CrashRecoveryContext CRC;
  bool Survived = CRC.RunSafely([&] {
    auto DiagOpts = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
    DiagOpts->ShowColors = Opts.ColorDiagnostics;
    auto *Printer = new ErrorsOnlyPrinter(DiagOS, DiagOpts.get());
    // A physical file system per TU: the shared real one changes the
    // process's working directory, which parallel TUs must not do.
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS(
        llvm::vfs::createPhysicalFileSystem().release());
    auto *Tool = new clang::tooling::ClangTool(
        DB, {File}, std::make_shared<clang::PCHContainerOperations>(), FS);
    for (const auto &[Path, Text] : Opts.UnsavedFiles)
      Tool->mapVirtualFile(Path, Text);
    Tool->setPrintErrorMessage(false);
    Tool->setDiagnosticConsumer(Printer);
    if (Opts.Adjuster)
      Tool->appendArgumentsAdjuster(Opts.Adjuster);
    SummaryToolAction Action(Rules, Summary, Opts.Preambles);
    ToolStatus = Tool->run(&Action);
    delete Tool;
    R.FirstError = Printer->FirstError;
    delete Printer;
  });
  if (!Survived) {
    R.State = TUResult::Crashed;
    return R;
  }
  if (ToolStatus != 0 || !Summary) {
    R.State = TUResult::ParseError;
    return R;
  }
  R.Summary = std::move(Summary);
  return R;
}

} // namespace threadwise
