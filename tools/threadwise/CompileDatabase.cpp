//===- CompileDatabase.cpp - Which TUs to check, with which flags ---------===//
#include "CompileDatabase.h"
#include "threadwise/CompileCommands.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <mutex>

using namespace clang::tooling;

namespace threadwise {
namespace {

llvm::Error error(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

std::string absolute(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

/// Build systems sometimes list one file several times (e.g. PIC and non-PIC
/// objects). Analysing each copy would report its findings twice, so only the
/// first command of a file counts. Also serializes lookups: TUs run in
/// parallel, and response-file expansion changes its file system's working
/// directory.
class FirstCommandDatabase : public CompilationDatabase {
public:
  explicit FirstCommandDatabase(std::unique_ptr<CompilationDatabase> Inner)
      : Inner(std::move(Inner)) {}
  std::vector<CompileCommand> getCompileCommands(llvm::StringRef File) const override {
    std::lock_guard<std::mutex> Lock(M);
    std::vector<CompileCommand> Cmds = Inner->getCompileCommands(File);
    if (Cmds.size() > 1)
      Cmds.resize(1);
    return Cmds;
  }
  std::vector<std::string> getAllFiles() const override { return Inner->getAllFiles(); }
  std::vector<CompileCommand> getAllCompileCommands() const override {
    return Inner->getAllCompileCommands();
  }

private:
  std::unique_ptr<CompilationDatabase> Inner;
  mutable std::mutex M;
};

} // namespace

llvm::Expected<LoadedDatabase> loadCompileDatabase(DatabaseRequest Req) {
  LoadedDatabase Out;
  llvm::StringSet<> Seen;
  for (const std::string &F : Req.Files) {
    if (!llvm::sys::fs::is_regular_file(F))
      return error("no such file: '" + F + "'");
    std::string Abs = absolute(F);
    if (Seen.insert(Abs).second)
      Out.Files.push_back(Abs);
  }

  std::unique_ptr<CompilationDatabase> DB;
  if (Req.Fixed) {
    if (!Req.BuildPath.empty())
      return error("use either -p <build-dir> or '-- <compiler flags>', not both");
    if (Out.Files.empty())
      return error("no input files before '--'");
    DB = std::move(Req.Fixed);
  } else if (!Req.BuildPath.empty()) {
    auto Loaded = loadCompileCommands(Req.BuildPath);
    if (!Loaded)
      return Loaded.takeError();
    DB = std::move(*Loaded);
    if (Out.Files.empty()) {
      std::vector<std::string> All = DB->getAllFiles();
      bool OnlyHeaders = llvm::all_of(All, isHeaderFile);
      for (const std::string &F : All)
        if ((OnlyHeaders || !isHeaderFile(F)) && Seen.insert(absolute(F)).second)
          Out.Files.push_back(absolute(F));
      llvm::sort(Out.Files);
      if (Out.Files.empty())
        return error("the compilation database in '" + Req.BuildPath + "' has no entries");
    }
    // Files the build does not list (new files, headers) borrow the flags of
    // their nearest neighbour, as clang-tidy and clangd do.
    DB = inferMissingCompileCommands(std::move(DB));
  } else {
    if (Out.Files.empty())
      return error("no input files; use -p <build-dir> to check a compilation database, or "
                   "give files followed by '-- <compiler flags>'");
    DB = findCompileCommands(Out.Files.front());
    if (DB) {
      DB = inferMissingCompileCommands(std::move(DB));
    } else {
      llvm::errs() << "threadwise: warning: no compilation database found for '"
                   << Out.Files.front()
                   << "'; checking with no compiler flags (use -p <build-dir> or "
                      "'-- <flags>')\n";
      DB = std::make_unique<FixedCompilationDatabase>(".", std::vector<std::string>());
    }
  }
  Out.DB = std::make_unique<FirstCommandDatabase>(std::move(DB));
  return Out;
}

} // namespace threadwise
