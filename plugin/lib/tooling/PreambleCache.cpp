//===- PreambleCache.cpp - Precompiled preambles for repeated parses ------===//
#include "threadwise/PreambleCache.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace threadwise {
namespace {

/// Skips the bodies the analysis never reads, as clangd skips bodies in its
/// preambles: the summarizer walks no function of a system header (the rule
/// packs classify them), so their bodies only cost parse time and memory.
/// Templates keep theirs: instantiations in the main file are built from them.
class SkipSystemBodies : public clang::PreambleCallbacks {
public:
  void BeforeExecute(clang::CompilerInstance &CI) override { SM = &CI.getSourceManager(); }
  bool shouldSkipFunctionBody(clang::Decl *D) override {
    const clang::FunctionDecl *FD = D->getAsFunction();
    if (!SM || !FD || llvm::isa<clang::FunctionTemplateDecl>(D) || FD->isDependentContext() ||
        FD->getTemplatedKind() != clang::FunctionDecl::TK_NonTemplate)
      return false;
    return SM->isInSystemHeader(SM->getExpansionLoc(D->getLocation()));
  }

private:
  const clang::SourceManager *SM = nullptr;
};

} // namespace

PreambleCache::PreambleCache()
    : Background(std::make_unique<llvm::StdThreadPool>(llvm::hardware_concurrency(1))) {}

PreambleCache::~PreambleCache() { Background->wait(); }

PreambleCache::Counters PreambleCache::counters() const {
  std::lock_guard<std::mutex> G(M);
  return Count;
}

void PreambleCache::build(const std::string &File, const clang::CompilerInvocation &Invocation,
                          const llvm::MemoryBuffer &Main,
                          llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> VFS,
                          std::shared_ptr<clang::PCHContainerOperations> PCHOps,
                          const std::string &Flags) {
  clang::PreambleBounds Bounds =
      clang::ComputePreambleBounds(Invocation.getLangOpts(), Main.getMemBufferRef(), 0);
  std::string Text = Main.getBuffer().take_front(Bounds.Size).str();
  std::shared_ptr<const clang::PrecompiledPreamble> Built;
  llvm::CrashRecoveryContext CRC;
  // A crash leaks what was allocated inside rather than destroying it in an
  // inconsistent state; the file is then parsed in full every time.
  CRC.RunSafely([&] {
    clang::DiagnosticConsumer Errors; // Counts; clangd shows the preamble's errors.
    llvm::IntrusiveRefCntPtr<clang::DiagnosticsEngine> Diags =
        clang::CompilerInstance::createDiagnostics(new clang::DiagnosticOptions(), &Errors,
                                                   /*ShouldOwnClient=*/false);
    SkipSystemBodies Callbacks;
    clang::CompilerInvocation Skipping(Invocation);
    Skipping.getFrontendOpts().SkipFunctionBodies = true;
    llvm::ErrorOr<clang::PrecompiledPreamble> P = clang::PrecompiledPreamble::Build(
        Skipping, &Main, Bounds, *Diags, VFS, std::move(PCHOps),
        /*StoreInMemory=*/true, /*StoragePath=*/"", Callbacks);
    if (P && Errors.getNumErrors() == 0)
      Built = std::make_shared<const clang::PrecompiledPreamble>(std::move(*P));
  });
  std::lock_guard<std::mutex> G(M);
  Entry &E = Entries[File];
  E.Building = false;
  E.Flags = Flags;
  E.Preamble = std::move(Built);
  E.Unusable = E.Preamble ? "" : Text;
  ++Count.Built;
}

std::shared_ptr<const clang::PrecompiledPreamble>
PreambleCache::get(const clang::CompilerInvocation &Invocation, const llvm::MemoryBuffer &Main,
                   llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> VFS,
                   std::shared_ptr<clang::PCHContainerOperations> PCHOps) {
  const auto &Inputs = Invocation.getFrontendOpts().Inputs;
  if (Inputs.size() != 1 || !Inputs[0].isFile())
    return nullptr;
  llvm::SmallString<256> File(Inputs[0].getFile()); // Relative to the command's directory.
  VFS->makeAbsolute(File);
  clang::PreambleBounds Bounds =
      clang::ComputePreambleBounds(Invocation.getLangOpts(), Main.getMemBufferRef(), 0);
  if (Bounds.Size == 0)
    return nullptr;
  std::string Flags = llvm::join(Invocation.getCC1CommandLine(), "\n");
  llvm::StringRef Text = Main.getBuffer().take_front(Bounds.Size);
  std::unique_lock<std::mutex> G(M);
  Entry &E = Entries[std::string(File)];
  bool Known = E.Flags == Flags;
  if (Known && E.Preamble && E.Preamble->CanReuse(Invocation, Main.getMemBufferRef(), Bounds, *VFS)) {
    ++Count.Reused;
    return E.Preamble;
  }
  ++Count.Full;
  if (Known && E.Unusable == Text)
    return nullptr; // It failed with this very text; the full parse says why.
  if (!Known && !E.Building) {
    // First parse of this file with these flags: the editor will ask again.
    E.Building = true;
    G.unlock();
    build(std::string(File), Invocation, Main, VFS, PCHOps, Flags);
    G.lock();
    Entry &After = Entries[std::string(File)];
    if (After.Preamble &&
        After.Preamble->CanReuse(Invocation, Main.getMemBufferRef(), Bounds, *VFS)) {
      --Count.Full;
      ++Count.Reused;
      return After.Preamble;
    }
    return nullptr;
  }
  if (!E.Building) {
    E.Building = true;
    auto Copy = std::make_shared<clang::CompilerInvocation>(Invocation);
    std::shared_ptr<llvm::MemoryBuffer> MainCopy =
        llvm::MemoryBuffer::getMemBufferCopy(Main.getBuffer(), Main.getBufferIdentifier());
    Background->async([this, File = std::string(File), Copy, MainCopy, VFS, PCHOps, Flags] {
      build(File, *Copy, *MainCopy, VFS, PCHOps, Flags);
    });
  }
  return nullptr;
}

} // namespace threadwise
