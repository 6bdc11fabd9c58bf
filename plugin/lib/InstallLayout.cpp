//===- InstallLayout.cpp - Where threadwise's files are -------------------===//
#include "threadwise/InstallLayout.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace threadwise {

std::string installPrefix(const char *Argv0) {
  static int Anchor;
  std::string Exe = sys::fs::getMainExecutable(Argv0 ? Argv0 : "/proc/self/exe", &Anchor);
  if (Exe.empty())
    return "";
  StringRef Dir = sys::path::parent_path(Exe);
  if (sys::path::filename(Dir) == "threadwise" &&
      sys::path::filename(sys::path::parent_path(Dir)) == "libexec")
    return std::string(sys::path::parent_path(sys::path::parent_path(Dir)));
  return std::string(sys::path::parent_path(Dir));
}

} // namespace threadwise
