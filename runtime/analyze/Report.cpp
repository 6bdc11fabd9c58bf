//===- Report.cpp - writeReports(): analyze once, render every format -----===//
#include "threadwise/runtime/Report.h"
#include "analyze/Renderers.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

using namespace llvm;
using namespace threadwise;
using namespace threadwise::runtime;

// The bundled rule packs name the sites' functions; without them (an unusual
// install) the analysis only loses those labels.
static const RuleSet *bundledRules() {
  static const std::optional<RuleSet> Rules = []() -> std::optional<RuleSet> {
    RuleSet R;
    if (Error E = R.loadDefault()) {
      consumeError(std::move(E));
      return std::nullopt;
    }
    return R;
  }();
  return Rules ? &*Rules : nullptr;
}

void threadwise::runtime::loadRules() { bundledRules(); }

Expected<AnalyzedProfile>
threadwise::runtime::analyzeProfile(const json::Object &Raw) {
  Expected<Profile> P = parseProfile(Raw);
  if (!P)
    return P.takeError();
  AnalyzedProfile A;
  A.P = std::move(*P);
  A.M = computeMetrics(A.P, bundledRules());
  A.R = recommend(A.M);
  A.Raw = &Raw;
  return A;
}

bool threadwise::runtime::writeFileAtomically(
    StringRef Path, function_ref<void(raw_ostream &)> Write, std::string &Err) {
  SmallString<256> Model(Path);
  Model += ".tmp-%%%%%%";
  int FD = -1;
  SmallString<256> Temp;
  if (std::error_code EC = sys::fs::createUniqueFile(Model, FD, Temp)) {
    Err = "cannot create a temporary file next to '" + Path.str() +
          "': " + EC.message();
    return false;
  }
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    Write(OS);
    OS.close();
    if (OS.has_error()) {
      Err = "cannot write '" + Temp.str().str() + "': " + OS.error().message();
      OS.clear_error();
      sys::fs::remove(Temp);
      return false;
    }
  }
  if (std::error_code EC = sys::fs::rename(Temp, Path)) {
    Err = "cannot rename '" + Temp.str().str() + "' to '" + Path.str() +
          "': " + EC.message();
    sys::fs::remove(Temp);
    return false;
  }
  return true;
}

int threadwise::runtime::writeReports(const json::Object &Profile,
                                      const ReportOptions &Opts,
                                      raw_ostream &OS) {
  Expected<AnalyzedProfile> A = analyzeProfile(Profile);
  if (!A) {
    errs() << "threadwise: error: cannot analyze the profile: "
           << toString(A.takeError()) << "\n";
    return 125;
  }
  int Status = 0;
  auto Emit = [&](const std::string &Path, StringRef What,
                  function_ref<void(raw_ostream &)> Write) {
    if (Path.empty())
      return;
    std::string Err;
    if (!writeFileAtomically(Path, Write, Err)) {
      errs() << "threadwise: error: cannot write the " << What
             << " report: " << Err << "\n";
      Status = 125;
    }
  };
  Emit(Opts.JsonPath, "JSON",
       [&](raw_ostream &Out) { writeJsonReport(*A, Out); });
  Emit(Opts.HtmlPath, "HTML", [&](raw_ostream &Out) { renderHtml(*A, Out); });
  Emit(Opts.TracePath, "trace",
       [&](raw_ostream &Out) { renderTrace(*A, Out); });
  Emit(Opts.CollapsedPath, "collapsed",
       [&](raw_ostream &Out) { renderCollapsed(*A, Out, Opts.FlameKind); });
  Emit(Opts.SpeedscopePath, "speedscope",
       [&](raw_ostream &Out) { renderSpeedscope(*A, Out, Opts.FlameKind); });
  if (Opts.Terminal)
    renderText(*A, OS, Opts.Color);
  return Status;
}
