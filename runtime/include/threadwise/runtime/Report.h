//===- Report.h - Analyze a merged profile and write its reports ----------===//
//
// The contract between the record side (`threadwise profile`, runtime/collect/)
// and the analyze side (runtime/analyze/): the launcher merges one profile JSON
// ("format": "threadwise-profile", "version": 1, see docs/runtime.md "JSON
// schema") and hands it to writeReports(), which computes the verdict and the
// predicted speed-ups and renders every requested report.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_RUNTIME_REPORT_H
#define THREADWISE_RUNTIME_REPORT_H

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace threadwise::runtime {

struct ReportOptions {
  std::string JsonPath, HtmlPath, TracePath; // empty = not requested
  std::string CollapsedPath, SpeedscopePath; // flame graph inputs
  std::string FlameKind = "all";             // docs/runtime.md "Flame graphs"
  bool Terminal = true;                      // print the 20-line summary
  bool Color = false;
};

/// A --flame-kind value: cpu, runnable, lock, io, gil, sleep, wait or all.
bool isFlameKind(llvm::StringRef Kind);

/// Loads the bundled rule packs the analysis names sites with (once per
/// process; ~1 ms of YAML). The launcher calls it while the command runs, so
/// the end of the run does not wait for it.
void loadRules();

/// Analyzes a merged profile and writes the requested reports; prints the
/// terminal summary to OS. Files are written atomically (temp + rename).
/// Returns 0, or 125 when a report could not be written (message on stderr).
int writeReports(const llvm::json::Object &Profile, const ReportOptions &Opts,
                 llvm::raw_ostream &OS);

} // namespace threadwise::runtime

#endif
