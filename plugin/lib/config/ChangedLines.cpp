//===- ChangedLines.cpp - --diff-base: only findings on changed lines -----===//
#include "threadwise/ChangedLines.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

namespace threadwise {

ChangedLines ChangedLines::parseDiff(llvm::StringRef Diff, llvm::StringRef Root) {
  ChangedLines Out;
  std::string File;
  while (!Diff.empty()) {
    auto [Line, Rest] = Diff.split('\n');
    Diff = Rest;
    Line = Line.rtrim('\r');
    if (Line.consume_front("+++ ")) {
      File.clear();
      if (Line.consume_front("b/")) {
        llvm::SmallString<256> P(Root);
        llvm::sys::path::append(P, Line);
        llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
        File = std::string(P);
      }
      continue;
    }
    // @@ -a[,b] +c[,d] @@
    if (File.empty() || !Line.consume_front("@@ -"))
      continue;
    size_t Plus = Line.find(" +");
    if (Plus == llvm::StringRef::npos)
      continue;
    llvm::StringRef New = Line.substr(Plus + 2).split(' ').first;
    auto [StartText, CountText] = New.split(',');
    unsigned Start = 0, Count = 1;
    if (StartText.getAsInteger(10, Start) ||
        (!CountText.empty() && CountText.getAsInteger(10, Count)))
      continue;
    if (Count > 0)
      Out.Ranges[File].push_back({Start, Start + Count - 1});
  }
  return Out;
}

llvm::Expected<ChangedLines> ChangedLines::sinceGitRef(llvm::StringRef Ref,
                                                       llvm::StringRef Root) {
  auto Err = [](const llvm::Twine &Msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
  };
  llvm::ErrorOr<std::string> Git = llvm::sys::findProgramByName("git");
  if (!Git)
    return Err("git not found on PATH");
  llvm::SmallString<128> OutFile, ErrFile;
  if (llvm::sys::fs::createTemporaryFile("threadwise-diff", "txt", OutFile) ||
      llvm::sys::fs::createTemporaryFile("threadwise-diff", "err", ErrFile))
    return Err("cannot create a temporary file");
  llvm::FileRemover RemoveOut(OutFile), RemoveErr(ErrFile);
  std::string RootStr = Root.str(), RefStr = Ref.str();
  llvm::SmallVector<llvm::StringRef, 16> Args = {
      "git",         "-C",         RootStr,       "diff",          "-U0",
      "--no-color",  "--no-ext-diff", "--relative", "--src-prefix=a/", "--dst-prefix=b/",
      RefStr,        "--"};
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(OutFile),
                                                llvm::StringRef(ErrFile)};
  std::string ExecError;
  int RC = llvm::sys::ExecuteAndWait(*Git, Args, std::nullopt, Redirects, 0, 0, &ExecError);
  if (RC != 0) {
    std::string Msg = ExecError;
    if (auto Buf = llvm::MemoryBuffer::getFile(ErrFile))
      Msg = (*Buf)->getBuffer().trim().str();
    return Err("git diff " + Ref + " failed in '" + Root + "': " + Msg);
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Diff = llvm::MemoryBuffer::getFile(OutFile);
  if (!Diff)
    return Err("cannot read git's output");
  return parseDiff((*Diff)->getBuffer(), Root);
}

bool ChangedLines::contains(llvm::StringRef AbsFile, unsigned Line) const {
  auto It = Ranges.find(AbsFile);
  if (It == Ranges.end())
    return false;
  return llvm::any_of(It->second, [&](const std::pair<unsigned, unsigned> &R) {
    return R.first <= Line && Line <= R.second;
  });
}

size_t ChangedLines::filter(std::vector<Finding> &Findings) const {
  size_t Before = Findings.size();
  llvm::erase_if(Findings, [&](const Finding &F) { return !contains(F.Pos.File, F.Pos.Line); });
  return Before - Findings.size();
}

} // namespace threadwise
