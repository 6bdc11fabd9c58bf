//===- ClangBridge.cpp ----------------------------------------------------===//
#include "threadwise/ClangBridge.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <algorithm>
#include <dlfcn.h>

namespace threadwise {

clang::FileID FindingLocator::fileID(llvm::StringRef File) const {
  if (File.empty())
    return {};
  llvm::Expected<clang::FileEntryRef> FE = SM.getFileManager().getFileRef(File);
  if (!FE) {
    llvm::consumeError(FE.takeError());
    return {};
  }
  return SM.translateFile(*FE);
}

clang::SourceLocation FindingLocator::location(const SourcePos &P) const {
  if (!P.valid())
    return {};
  clang::FileID FID = fileID(P.File);
  return FID.isInvalid() ? clang::SourceLocation()
                         : SM.translateLineCol(FID, P.Line, std::max(P.Column, 1u));
}

clang::FixItHint FindingLocator::hint(const FixIt &Fix) const {
  clang::FileID FID = fileID(Fix.File);
  if (FID.isInvalid())
    return {};
  clang::SourceLocation Begin = SM.getLocForStartOfFile(FID).getLocWithOffset(Fix.Offset);
  return clang::FixItHint::CreateReplacement(
      clang::CharSourceRange::getCharRange(Begin, Begin.getLocWithOffset(Fix.Length)),
      Fix.Replacement);
}

llvm::Error loadRulesBesideLibrary(RuleSet &Rules, const void *AddressInLibrary) {
  Dl_info Info;
  if (!llvm::sys::Process::GetEnv("THREADWISE_RULES_DIR") &&
      dladdr(AddressInLibrary, &Info) && Info.dli_fname) {
    llvm::SmallString<256> Beside(Info.dli_fname);
    llvm::sys::fs::make_absolute(Beside);
    llvm::sys::path::remove_filename(Beside);
    llvm::sys::path::append(Beside, "..", "share", "threadwise", "rules");
    if (llvm::sys::fs::is_directory(Beside))
      return Rules.loadDirectory(Beside);
  }
  return Rules.loadDefault();
}

} // namespace threadwise
