//===- HtmlReport.cpp - One self-contained HTML page ----------------------===//
//
// No network: inline CSS and server-side SVG, so the page opens from a mail
// attachment or a CI artifact. The one script, the flame graph's
// (FlameGraph.cpp), is allowed by its hash. Everything that came from the
// profiled program (argv, thread and function names, paths) goes through
// escapeHtml(): a thread may well be named "<script>".
//
//===----------------------------------------------------------------------===//
#include "analyze/Format.h"
#include "analyze/Renderers.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <map>

using namespace llvm;
using namespace threadwise::runtime;

std::string threadwise::runtime::escapeHtml(StringRef S) {
  std::string Out;
  Out.reserve(S.size());
  for (char C : S) {
    switch (C) {
    case '&':
      Out += "&amp;";
      break;
    case '<':
      Out += "&lt;";
      break;
    case '>':
      Out += "&gt;";
      break;
    case '"':
      Out += "&quot;";
      break;
    case '\'':
      Out += "&#39;";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

namespace {
constexpr int LabelWidth = 230, PlotWidth = 1080, RowHeight = 20, RowGap = 4;
constexpr size_t MaxRows = 200; // beyond that the page stops being readable

struct KindStyle {
  const char *Kind, *Label, *Color;
};
constexpr KindStyle Kinds[] = {
    {"running", "running", "#2ca02c"},
    {"runnable", "runnable (no free core)", "#ff7f0e"},
    {"lock", "lock wait", "#d62728"},
    {"gil", "GIL wait", "#9467bd"},
    {"io", "I/O", "#1f77b4"},
    {"sleep", "sleep", "#9ecae1"},
    {"wait", "condition wait", "#c7c7c7"}};

const char *colorOf(StringRef Kind) {
  for (const KindStyle &K : Kinds)
    if (Kind == K.Kind)
      return K.Color;
  return "#7f7f7f";
}

const char *Style = R"CSS(
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1360px}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
code{background:#f3f3f3;padding:1px 4px;border-radius:3px}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;color:#fff;
 font-weight:600;font-size:18px;background:#2b6cb0}
.v-threads{background:#2f855a}.v-processes{background:#6b46c1}
.v-fix-contention{background:#c53030}.v-serial{background:#4a5568}
table{border-collapse:collapse;margin:4px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f5f5f5} td.l,th.l{text-align:left}
.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.note{color:#555}
svg text{font:12px system-ui,sans-serif;fill:#333}
#tw-flame text{font:11px monospace;pointer-events:none}
#tw-flame .tw-frame{cursor:pointer} #tw-flame .tw-frame:hover rect{stroke:#222}
.sub{color:#555}
)CSS";

class HtmlWriter {
public:
  HtmlWriter(const AnalyzedProfile &A, raw_ostream &OS) : A(A), OS(OS) {}
  void write();

private:
  const AnalyzedProfile &A;
  raw_ostream &OS;

  double x(int64_t Ns) const {
    double Wall = std::max<int64_t>(1, A.P.WallNs);
    return LabelWidth + PlotWidth * double(Ns - A.P.Start) / Wall;
  }
  void header();
  void recommendation();
  void timeline();
  void parallelismChart();
  void sites();
  void processes();
  void threads();
  void events();
  void rect(double X0, double X1, double Y, double H, const char *Color) {
    if (X1 - X0 < 0.3)
      return;
    OS << "<rect x=\"" << formatFixed(X0, 1) << "\" y=\"" << formatFixed(Y, 1)
       << "\" width=\"" << formatFixed(X1 - X0, 1) << "\" height=\""
       << formatFixed(H, 1) << "\" fill=\"" << Color << "\"/>";
  }
};
} // namespace

void HtmlWriter::header() {
  std::string Cmd;
  for (const std::string &S : A.P.Command)
    Cmd += (Cmd.empty() ? "" : " ") + S;
  OS << "<h1>threadwise profile</h1>\n<p><code>" << escapeHtml(Cmd)
     << "</code><br><span class=\"note\">" << formatDuration(A.P.WallNs)
     << " wall, " << A.P.Cores << " cores, " << A.M.Threads << " threads in "
     << A.M.Processes << " process" << (A.M.Processes == 1 ? "" : "es");
  if (A.P.Mode == "attach") // not threadwise's child: its status is unknown
    OS << ", attached";
  else
    OS << ", exit " << A.P.ExitCode;
  if (A.P.ExitSignal)
    OS << " (signal " << A.P.ExitSignal << ")";
  if (!A.P.Hostname.empty())
    OS << ", on " << escapeHtml(A.P.Hostname);
  if (!A.P.Mode.empty())
    OS << ", mode " << escapeHtml(A.P.Mode);
  OS << "</span></p>\n";
}

void HtmlWriter::recommendation() {
  const Recommendation &R = A.R;
  StringRef V = verdictName(R.V);
  OS << "<h2>Recommendation</h2>\n<p><span class=\"verdict v-" << V << "\">"
     << V << "</span> &nbsp;confidence " << formatFixed(R.Confidence)
     << "</p>\n<ul>\n";
  for (const std::string &E : R.Evidence)
    OS << "<li>" << escapeHtml(E) << "</li>\n";
  for (const std::string &N : R.Notes)
    OS << "<li class=\"note\">" << escapeHtml(N) << "</li>\n";
  OS << "</ul>\n";
  const SpeedupPrediction &S = R.Speedup;
  OS << "<table><tr><th class=\"l\">predicted speed-up</th>";
  for (unsigned N : S.Workers)
    OS << "<th>N=" << N << "</th>";
  OS << "</tr>\n";
  auto Row = [&](StringRef Name, const std::vector<double> &V) {
    OS << "<tr><td class=\"l\">" << Name << "</td>";
    for (double X : V)
      OS << "<td>" << formatFixed(X) << "&times;</td>";
    OS << "</tr>\n";
  };
  Row(S.ThreadsModel == "usl"
          ? std::string("threads (USL)")
          : "threads (Amdahl, s=" + formatFixed(S.SerialFraction) + ")",
      S.Threads);
  Row(std::string("processes (spawn ") + formatDuration(S.SpawnCostNs) +
          (S.SpawnCostMeasured ? ", measured)" : ", assumed)"),
      S.Processes);
  Row("threads, contention fixed", S.FixContention);
  OS << "</table>\n";
}

void HtmlWriter::timeline() {
  struct Row {
    const ProfileProcess *Proc;
    const ProfileThread *T;
  };
  std::vector<Row> Rows;
  for (const ProfileProcess &P : A.P.Processes)
    for (const ProfileThread &T : P.Threads)
      Rows.push_back({&P, &T});
  size_t Total = Rows.size();
  if (Rows.size() > MaxRows) { // keep the threads that did the most
    std::stable_sort(Rows.begin(), Rows.end(), [](const Row &L, const Row &R) {
      return L.T->cpuNs() + L.T->IoWaitNs + L.T->LockWaitNs + L.T->GilWaitNs >
             R.T->cpuNs() + R.T->IoWaitNs + R.T->LockWaitNs + R.T->GilWaitNs;
    });
    Rows.resize(MaxRows);
  }
  int Height = 30 + int(Rows.size()) * (RowHeight + RowGap);
  OS << "<h2>Timeline</h2>\n<div class=\"legend\">";
  for (const KindStyle &K : Kinds)
    OS << "<span><i style=\"background:" << K.Color << "\"></i>" << K.Label
       << "</span>";
  OS << "<span><i style=\"background:#eee\"></i>alive, other</span></div>\n";
  OS << "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\""
     << LabelWidth + PlotWidth + 10 << "\" height=\"" << Height << "\">\n";
  // Time axis.
  for (int I = 0; I <= 10; ++I) {
    double X = LabelWidth + PlotWidth * I / 10.0;
    OS << "<line x1=\"" << formatFixed(X, 1) << "\" y1=\"14\" x2=\""
       << formatFixed(X, 1) << "\" y2=\"" << Height
       << "\" stroke=\"#e2e2e2\"/><text x=\"" << formatFixed(X, 1)
       << "\" y=\"11\" text-anchor=\""
       << (I == 0    ? "start"
           : I == 10 ? "end"
                     : "middle")
       << "\">"
       << (I == 0 ? std::string("0") : formatDuration(A.P.WallNs * I / 10.0))
       << "</text>\n";
  }
  int Y = 20;
  for (const Row &R : Rows) {
    const ProfileThread &T = *R.T;
    std::string Label = std::to_string(R.Proc->Pid) + "/" +
                        std::to_string(T.Tid) + " " + T.Name;
    if (Label.size() > 32)
      Label = Label.substr(0, 31) + "~";
    OS << "<g><title>"
       << escapeHtml(std::to_string(R.Proc->Pid) + "/" + std::to_string(T.Tid) +
                     " " + T.Name)
       << ": CPU " << formatDuration(T.cpuNs()) << ", lock "
       << formatDuration(T.LockWaitNs) << ", I/O "
       << formatDuration(T.IoWaitNs + T.SleepNs) << ", GIL "
       << formatDuration(T.GilWaitNs) << "</title><text x=\"4\" y=\"" << Y + 14
       << "\">" << escapeHtml(Label) << "</text>";
    rect(x(T.Start), x(T.End), Y, RowHeight, "#eee");
    // Off-CPU intervals, coalesced per kind below a pixel so a million
    // short lock waits stay a few thousand rectangles.
    std::map<std::string, std::pair<double, double>> Open;
    for (const ProfileInterval &I : T.Intervals) {
      double X0 = x(I.Start), X1 = std::max(x(I.End), X0 + 0.5);
      auto It = Open.find(I.Kind);
      if (It != Open.end() && X0 <= It->second.second + 1.0) {
        It->second.second = std::max(It->second.second, X1);
        continue;
      }
      if (It != Open.end())
        rect(It->second.first, It->second.second, Y, RowHeight,
             colorOf(It->first));
      Open[I.Kind] = {X0, X1};
    }
    for (auto &[Kind, Span] : Open)
      rect(Span.first, Span.second, Y, RowHeight, colorOf(Kind));
    // Running (from the bottom) and runnable (above it) as filled heights.
    for (const CpuSpan &S : cpuSpans(T)) {
      double H = RowHeight * S.Running, D = RowHeight * S.Runnable;
      if (H >= 0.5)
        rect(x(S.Start), x(S.End), Y + RowHeight - H, H, colorOf("running"));
      if (D >= 0.5)
        rect(x(S.Start), x(S.End), Y + RowHeight - H - D, D,
             colorOf("runnable"));
    }
    OS << "</g>\n";
    Y += RowHeight + RowGap;
  }
  OS << "</svg>\n";
  if (Total > Rows.size())
    OS << "<p class=\"note\">" << Total - Rows.size()
       << " less active threads are not drawn.</p>\n";
}

void HtmlWriter::parallelismChart() {
  const std::vector<ParallelismWindow> &W = A.M.Windows;
  if (W.empty())
    return;
  double Max = A.P.Cores;
  for (const ParallelismWindow &P : W)
    Max = std::max(Max, P.Parallelism);
  const int H = 120;
  OS << "<h2>Effective parallelism over time</h2>\n<svg xmlns=\"http://www.w3."
        "org/2000/svg\" width=\""
     << LabelWidth + PlotWidth + 10 << "\" height=\"" << H + 20 << "\">\n";
  double CoresY = 10 + H - H * A.P.Cores / Max;
  OS << "<line x1=\"" << LabelWidth << "\" x2=\"" << LabelWidth + PlotWidth
     << "\" y1=\"" << formatFixed(CoresY, 1) << "\" y2=\""
     << formatFixed(CoresY, 1)
     << "\" stroke=\"#999\" stroke-dasharray=\"4 3\"/><text x=\"4\" y=\""
     << formatFixed(CoresY + 4, 1) << "\">" << A.P.Cores
     << " cores</text>\n<polyline fill=\"none\" stroke=\"#2b6cb0\" "
        "stroke-width=\"2\" points=\"";
  double Wall = std::max<int64_t>(1, A.P.WallNs);
  for (const ParallelismWindow &P : W) {
    double Y = 10 + H - H * P.Parallelism / Max;
    OS << formatFixed(LabelWidth + PlotWidth * P.Start / Wall, 1) << ","
       << formatFixed(Y, 1) << " "
       << formatFixed(LabelWidth + PlotWidth * P.End / Wall, 1) << ","
       << formatFixed(Y, 1) << " ";
  }
  OS << "\"/>\n<text x=\"4\" y=\"" << 10 + H << "\">0</text></svg>\n";
}

void HtmlWriter::sites() {
  OS << "<h2>Contended locks and blocking sites</h2>\n";
  if (A.M.Sites.empty()) {
    OS << "<p class=\"note\">No lock, GIL or blocking site was recorded.</p>\n";
    return;
  }
  OS << "<table><tr><th class=\"l\">site</th><th class=\"l\">kind</th>"
        "<th class=\"l\">API (rule packs)</th><th>wait</th><th>waits</th>"
        "<th>share</th></tr>\n";
  size_t N = 0;
  for (const SiteMetrics &S : A.M.Sites) {
    if (++N > 20)
      break;
    OS << "<tr><td class=\"l\">" << escapeHtml(S.location())
       << "</td><td class=\"l\">" << escapeHtml(S.kindLabel())
       << "</td><td class=\"l\">" << escapeHtml(S.Api) << "</td><td>"
       << formatDuration(S.WaitNs) << "</td><td>" << S.Count << "</td><td>"
       << formatPercent(S.ShareOfWait) << "</td></tr>\n";
  }
  OS << "</table>\n";
}

void HtmlWriter::processes() {
  if (A.M.ProcessList.size() < 2)
    return;
  OS << "<h2>Processes</h2>\n<table><tr><th class=\"l\">pid</th><th>ppid</th>"
        "<th class=\"l\">executable</th><th>threads</th><th>wall</th>"
        "<th>CPU</th><th>parallelism</th><th>start-up</th></tr>\n";
  size_t N = 0;
  for (const ProcessMetrics &P : A.M.ProcessList) {
    if (++N > MaxRows)
      break;
    OS << "<tr><td class=\"l\">" << P.Pid << "</td><td>" << P.Ppid
       << "</td><td class=\"l\">" << escapeHtml(P.Exe) << "</td><td>"
       << P.Threads << "</td><td>" << formatDuration(P.WallNs) << "</td><td>"
       << formatDuration(P.CpuNs) << "</td><td>" << formatFixed(P.Parallelism)
       << "</td><td>" << formatDuration(P.SpawnNs) << "</td></tr>\n";
  }
  OS << "</table>\n";
}

void HtmlWriter::threads() {
  OS << "<h2>Threads</h2>\n<table><tr><th class=\"l\">pid/tid</th><th "
        "class=\"l\">name</th><th>lifetime</th><th>CPU</th><th>lock</th>"
        "<th>I/O + sleep</th><th>GIL</th><th>cond wait</th><th>runnable</th>"
        "</tr>\n";
  size_t N = 0;
  for (const ThreadMetrics &T : A.M.ThreadList) {
    if (++N > MaxRows)
      break;
    OS << "<tr><td class=\"l\">" << T.Pid << "/" << T.Tid
       << "</td><td class=\"l\">" << escapeHtml(T.Name) << "</td><td>"
       << formatDuration(T.LifetimeNs) << "</td><td>" << formatDuration(T.CpuNs)
       << "</td><td>" << formatDuration(T.LockNs) << "</td><td>"
       << formatDuration(T.IoNs + T.SleepNs) << "</td><td>"
       << formatDuration(T.GilNs) << "</td><td>" << formatDuration(T.WaitNs)
       << "</td><td>" << formatDuration(T.RunDelayNs) << "</td></tr>\n";
  }
  OS << "</table>\n";
}

void HtmlWriter::events() {
  OS << "<h2>perf events</h2>\n<p>Available: ";
  if (A.M.EventsAvailable.empty())
    OS << "none";
  for (size_t I = 0; I < A.M.EventsAvailable.size(); ++I)
    OS << (I ? ", " : "") << escapeHtml(A.M.EventsAvailable[I].Name);
  OS << "<br>Fell back: ";
  if (A.M.EventsUnavailable.empty())
    OS << "none";
  for (size_t I = 0; I < A.M.EventsUnavailable.size(); ++I)
    OS << (I ? ", " : "") << escapeHtml(A.M.EventsUnavailable[I].Name) << " ("
       << escapeHtml(A.M.EventsUnavailable[I].Reason) << ")";
  OS << "</p>\n";
}

void HtmlWriter::write() {
  OS << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        // Defence in depth: even an escaping bug could not run script or
        // reach the network from this page.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; style-src 'unsafe-inline'; script-src '"
     << flameScriptHash() << "'\">\n<title>threadwise: "
     << verdictName(A.R.V) << "</title>\n<style>" << Style
     << "</style></head>\n<body>\n";
  header();
  recommendation();
  timeline();
  renderHtmlFlameGraph(A, OS);
  parallelismChart();
  sites();
  processes();
  threads();
  events();
  OS << "</body></html>\n";
}

void threadwise::runtime::renderHtml(const AnalyzedProfile &A,
                                     raw_ostream &OS) {
  HtmlWriter(A, OS).write();
}
