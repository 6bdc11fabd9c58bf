//===- GccFlags.cpp - Compile commands written for GCC --------------------===//
//
// Compile databases of GCC builds carry flags clang rejects ("unknown argument:
// '-fno-allow-store-data-races'"), ignores with a warning (-fno-tree-vrp) or
// rejects for the target (-mabi=lp64 on x86). We ask clang's own driver
// option table instead of keeping a list, so a flag clang learns is kept.
//
//===----------------------------------------------------------------------===//
#include "GccFlags.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Driver/Options.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/Arg.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/raw_ostream.h"
#include <mutex>

namespace threadwise {
namespace {

namespace opts = clang::driver::options;

bool unknownWarning(llvm::StringRef Name) {
  // -Werror=foo, -Wno-error=foo, -Wl,... and friends are not warning names.
  if (Name.contains('=') || Name.contains(',') || Name == "error" || Name == "everything")
    return false;
  Name.consume_front("no-");
  return !clang::DiagnosticIDs::getGroupForWarningOption(Name).has_value();
}

bool isGccOnly(const llvm::opt::Arg &A) {
  const llvm::opt::Option &O = A.getOption();
  if (O.getKind() == llvm::opt::Option::UnknownClass)
    return true;
  if (O.matches(opts::OPT_clang_ignored_f_Group) ||
      O.matches(opts::OPT_clang_ignored_gcc_optimization_f_Group) ||
      O.matches(opts::OPT_clang_ignored_m_Group) || O.matches(opts::OPT_mabi_EQ))
    return true;
  if (O.matches(opts::OPT_W_Joined))
    return unknownWarning(A.getValue());
  return false;
}

void noteOnce(llvm::StringRef Flag) {
  static std::mutex M;
  static llvm::StringSet<> Noted;
  std::lock_guard<std::mutex> Lock(M);
  if (Noted.insert(Flag).second)
    llvm::errs() << "threadwise: note: dropped GCC-only flag '" << Flag << "'\n";
}

} // namespace

std::vector<std::string> dropGccOnlyFlags(const std::vector<std::string> &Flags) {
  std::vector<const char *> Argv;
  for (const std::string &F : Flags)
    Argv.push_back(F.c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Args =
      clang::driver::getDriverOptTable().ParseArgs(Argv, MissingIndex, MissingCount);
  std::vector<bool> Drop(Flags.size());
  for (const llvm::opt::Arg *A : Args)
    if (A->getIndex() < Flags.size() && isGccOnly(*A)) {
      // Only one-word flags: their whole text is Flags[index].
      if (A->getAsString(Args) != Flags[A->getIndex()])
        continue;
      Drop[A->getIndex()] = true;
      noteOnce(Flags[A->getIndex()]);
    }
  std::vector<std::string> Out;
  for (size_t I = 0; I < Flags.size(); ++I)
    if (!Drop[I])
      Out.push_back(Flags[I]);
  return Out;
}

} // namespace threadwise
