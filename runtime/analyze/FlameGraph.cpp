//===- FlameGraph.cpp - Folded stacks, speedscope JSON, the HTML flame graph ===//
//
// All three read the profile's per-thread stacks (docs/runtime.md "Flame
// graphs"), so their totals per thread and kind are those of the JSON report.
// Frames are merged by label (function name, or module+offset) like
// flamegraph.pl does; file and line go to speedscope, which shows them.
//
//===----------------------------------------------------------------------===//
#include "analyze/Format.h"
#include "analyze/Renderers.h"
#include "threadwise/runtime/Report.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Base64.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include <map>

using namespace llvm;
using namespace threadwise::runtime;

const char *const threadwise::runtime::FlameKinds[] = {
    "cpu", "runnable", "lock", "io", "gil", "sleep", "wait", nullptr};

bool threadwise::runtime::isFlameKind(StringRef Kind) {
  if (Kind == "all")
    return true;
  for (const char *const *K = FlameKinds; *K; ++K)
    if (Kind == *K)
      return true;
  return false;
}

/// Folded-stack frames cannot hold ';' (the separator) or a line break.
static std::string foldSafe(StringRef S) {
  std::string Out;
  for (char C : S)
    Out += C == ';' ? ':' : (C == '\n' || C == '\r') ? ' ' : C;
  return Out;
}

static std::string processLabel(const ProfileProcess &P) {
  StringRef Exe = P.Exe.empty() && !P.Argv.empty() ? StringRef(P.Argv[0]) : StringRef(P.Exe);
  std::string Name = sys::path::filename(Exe).str();
  return (Name.empty() ? std::string("process") : Name) + " [" + std::to_string(P.Pid) + "]";
}

static std::string threadLabel(const ProfileThread &T) {
  return (T.Name.empty() ? std::string("thread") : T.Name) + " [" + std::to_string(T.Tid) + "]";
}

/// Calls F(process, thread, stack) for every stack of the selected kind(s),
/// processes and threads in profile order, kinds in FlameKinds order.
template <typename Fn> static void forEachStack(const Profile &P, StringRef Kind, Fn F) {
  for (const ProfileProcess &Proc : P.Processes)
    for (const ProfileThread &T : Proc.Threads)
      for (const char *const *K = FlameKinds; *K; ++K) {
        if (Kind != "all" && Kind != *K)
          continue;
        for (const ProfileStack &S : T.Stacks)
          if (S.Kind == *K && S.ValueNs > 0)
            F(Proc, T, S);
      }
}

void threadwise::runtime::renderCollapsed(const AnalyzedProfile &A, raw_ostream &OS,
                                          StringRef Kind) {
  // One line per distinct path: stacks that differ only in line numbers fold.
  std::map<std::string, int64_t> Lines;
  std::vector<std::string> Order;
  forEachStack(A.P, Kind, [&](const ProfileProcess &P, const ProfileThread &T,
                              const ProfileStack &S) {
    std::string Line;
    if (Kind == "all")
      Line = S.Kind + ";";
    Line += foldSafe(processLabel(P)) + ";" + foldSafe(threadLabel(T));
    for (int64_t F : S.Frames)
      Line += ";" + foldSafe(P.Frames[F].label());
    auto [It, New] = Lines.emplace(Line, 0);
    if (New)
      Order.push_back(Line);
    It->second += S.ValueNs;
  });
  for (const std::string &L : Order)
    OS << L << " " << Lines[L] << "\n";
}

void threadwise::runtime::renderSpeedscope(const AnalyzedProfile &A, raw_ostream &OS,
                                           StringRef Kind) {
  json::Array Frames;
  std::map<std::tuple<std::string, std::string, int64_t>, int64_t> FrameIndex;
  auto Index = [&](const ProfileFrame &F) {
    auto Key = std::make_tuple(F.label(), F.File, F.Line);
    auto [It, New] = FrameIndex.emplace(Key, static_cast<int64_t>(Frames.size()));
    if (New) {
      json::Object O{{"name", F.label()}};
      if (!F.File.empty())
        O["file"] = F.File;
      if (F.Line > 0)
        O["line"] = F.Line;
      Frames.push_back(std::move(O));
    }
    return It->second;
  };
  // One sampled profile per (thread, kind), in the order met.
  struct One {
    std::string Name;
    json::Array Samples, Weights;
    int64_t Total = 0;
  };
  std::vector<One> Profiles;
  std::map<std::tuple<int64_t, int64_t, std::string>, size_t> ByKey;
  forEachStack(A.P, Kind, [&](const ProfileProcess &P, const ProfileThread &T,
                              const ProfileStack &S) {
    auto [It, New] = ByKey.emplace(std::make_tuple(P.Pid, T.Tid, S.Kind), Profiles.size());
    if (New)
      Profiles.push_back({processLabel(P) + " / " + threadLabel(T) + " / " + S.Kind, {}, {}, 0});
    One &O = Profiles[It->second];
    json::Array Stack;
    for (int64_t F : S.Frames)
      Stack.push_back(Index(P.Frames[F]));
    O.Samples.push_back(std::move(Stack));
    O.Weights.push_back(S.ValueNs);
    O.Total += S.ValueNs;
  });
  json::Array ProfilesJson;
  for (One &O : Profiles)
    ProfilesJson.push_back(json::Object{{"type", "sampled"},
                                        {"name", O.Name},
                                        {"unit", "nanoseconds"},
                                        {"startValue", 0},
                                        {"endValue", O.Total},
                                        {"samples", std::move(O.Samples)},
                                        {"weights", std::move(O.Weights)}});
  std::string Name = "threadwise";
  for (const std::string &C : A.P.Command)
    Name += " " + C;
  json::Object Doc{{"$schema", "https://www.speedscope.app/file-format-schema.json"},
                   {"shared", json::Object{{"frames", std::move(Frames)}}},
                   {"profiles", std::move(ProfilesJson)},
                   {"name", Name},
                   {"activeProfileIndex", 0},
                   {"exporter", "threadwise 0.1"}};
  OS << json::Value(std::move(Doc)) << "\n";
}

//===--- HTML --------------------------------------------------------------===//

namespace {
/// A merged call tree: kind -> process -> thread -> frames.
struct Node {
  std::string Name;
  int64_t Value = 0;
  std::map<std::string, Node> Children;

  Node &child(const std::string &N) {
    Node &C = Children[N];
    C.Name = N;
    return C;
  }
  /// [name, value, [children]], children below MinValue left out (their
  /// time still counts in this node's value and shows as a gap).
  json::Value toJson(int64_t MinValue, size_t &Budget) const {
    json::Array Kids;
    std::vector<const Node *> Sorted;
    for (const auto &[_, C] : Children)
      Sorted.push_back(&C);
    llvm::stable_sort(Sorted, [](const Node *A, const Node *B) { return A->Value > B->Value; });
    for (const Node *C : Sorted)
      if (C->Value >= MinValue && Budget > 0) {
        --Budget;
        Kids.push_back(C->toJson(MinValue, Budget));
      }
    return json::Array{Name, Value, std::move(Kids)};
  }
};

// The flame graph's script: a constant, so the page's Content-Security-Policy
// allows exactly it by hash and still nothing else.
constexpr const char *FlameScript = R"JS(
(function () {
  var data = JSON.parse(document.getElementById('tw-flame-data').textContent);
  var svg = document.getElementById('tw-flame');
  var info = document.getElementById('tw-flame-info');
  var select = document.getElementById('tw-flame-kind');
  var NS = 'http://www.w3.org/2000/svg', W = 1310, H = 17;
  var colors = {cpu: [20, 70], runnable: [30, 90], lock: [0, 65], io: [205, 60],
                gil: [270, 55], sleep: [190, 45], wait: [0, 0]};
  function fmt(ns) {
    if (ns >= 1e9) return (ns / 1e9).toFixed(2) + ' s';
    if (ns >= 1e6) return (ns / 1e6).toFixed(1) + ' ms';
    if (ns >= 1e3) return (ns / 1e3).toFixed(1) + ' us';
    return ns + ' ns';
  }
  function depth(n) {
    var d = 0;
    n[2].forEach(function (c) { d = Math.max(d, depth(c)); });
    return d + 1;
  }
  function draw(kind, path) {
    var root = data[kind];
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (!root || !path[0]) { svg.setAttribute('height', 0); info.textContent = 'no ' + kind + ' stacks'; return; }
    var focus = path[path.length - 1], total = root[1];
    var rows = path.length - 1 + depth(focus);
    svg.setAttribute('height', rows * H + 2);
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + (rows * H + 2));
    var hue = colors[kind] || [0, 0];
    function rect(n, x, w, y, onPath, parents) {
      var g = document.createElementNS(NS, 'g');
      g.setAttribute('class', 'tw-frame');
      var r = document.createElementNS(NS, 'rect');
      r.setAttribute('x', x); r.setAttribute('y', y); r.setAttribute('width', Math.max(w - 1, 0.5));
      r.setAttribute('height', H - 1);
      var light = 55 + (n[0].length * 7 % 25);
      r.setAttribute('fill', 'hsl(' + hue[0] + ',' + hue[1] + '%,' + (onPath ? 85 : light) + '%)');
      var t = document.createElementNS(NS, 'title');
      var share = total > 0 ? (100 * n[1] / total).toFixed(1) : '0';
      t.textContent = n[0] + '\n' + fmt(n[1]) + ' (' + share + '% of ' + kind + ')';
      g.appendChild(t); g.appendChild(r);
      if (w > 30) {
        var s = document.createElementNS(NS, 'text');
        s.setAttribute('x', x + 3); s.setAttribute('y', y + H - 5);
        var max = Math.floor((w - 6) / 6.5);
        s.textContent = n[0].length > max ? n[0].slice(0, Math.max(max - 2, 0)) + '..' : n[0];
        g.appendChild(s);
      }
      g.addEventListener('click', function () { draw(kind, parents.concat([n])); });
      g.addEventListener('mouseover', function () { info.textContent = t.textContent.replace('\n', ' \u2014 '); });
      svg.appendChild(g);
    }
    for (var i = 0; i < path.length - 1; ++i)
      rect(path[i], 0, W, i * H, true, path.slice(0, i));
    (function layout(n, x, w, d, parents) {
      rect(n, x, w, d * H, false, parents);
      var cx = x;
      n[2].forEach(function (c) {
        var cw = n[1] > 0 ? w * c[1] / n[1] : 0;
        if (cw >= 0.5) layout(c, cx, cw, d + 1, parents.concat([n]));
        cx += cw;
      });
    })(focus, 0, W, path.length - 1, path.slice(0, -1));
    info.textContent = kind + ': ' + fmt(total) + ' in all; click a frame to zoom, the top row to zoom out';
  }
  select.addEventListener('change', function () { draw(select.value, [data[select.value]]); });
  // report.html#flame=lock opens the flame graph on that kind.
  var m = /^#flame=(\w+)$/.exec(location.hash);
  if (m && data[m[1]]) select.value = m[1];
  draw(select.value, [data[select.value]]);
})();
)JS";
} // namespace

std::string threadwise::runtime::flameScriptHash() {
  StringRef S(FlameScript);
  auto Digest = SHA256::hash(ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(S.data()), S.size()));
  return "sha256-" + encodeBase64(Digest);
}

void threadwise::runtime::renderHtmlFlameGraph(const AnalyzedProfile &A, raw_ostream &OS) {
  std::map<std::string, Node> Roots;
  forEachStack(A.P, "all", [&](const ProfileProcess &P, const ProfileThread &T,
                               const ProfileStack &S) {
    Node &Root = Roots[S.Kind];
    Root.Name = "all " + S.Kind;
    Node *N = &Root;
    N->Value += S.ValueNs;
    for (const std::string &L : {processLabel(P), threadLabel(T)}) {
      N = &N->child(L);
      N->Value += S.ValueNs;
    }
    for (int64_t F : S.Frames) {
      N = &N->child(P.Frames[F].label());
      N->Value += S.ValueNs;
    }
  });
  OS << "<h2 id=\"flame\">Flame graph</h2>\n";
  if (Roots.empty()) {
    OS << "<p>No stacks in this profile (recorded without the preload library, or by an "
          "older threadwise).</p>\n";
    return;
  }
  json::Object Data;
  for (auto &[Kind, Root] : Roots) {
    size_t Budget = 20000; // nodes per kind: keeps the page light
    Data[Kind] = Root.toJson(std::max<int64_t>(1, Root.Value / 2000), Budget);
  }
  OS << "<p class=\"sub\">Call stacks by time, per kind: on-CPU (sampled), runnable, and each "
        "off-CPU wait. Widths are time; kind, process and thread are the first rows.</p>\n"
     << "<p><label>Kind <select id=\"tw-flame-kind\">";
  for (const char *const *K = FlameKinds; *K; ++K)
    if (Roots.count(*K))
      OS << "<option value=\"" << *K << "\">" << *K << " ("
         << formatDuration(static_cast<double>(Roots[*K].Value)) << ")</option>";
  OS << "</select></label> <span id=\"tw-flame-info\" class=\"sub\"></span></p>\n"
     << "<svg id=\"tw-flame\" width=\"1310\" xmlns=\"http://www.w3.org/2000/svg\" "
        "font-family=\"monospace\" font-size=\"11\"></svg>\n";
  // JSON inside <script>: '<', '>' and '&' as \u escapes, so no program string
  // can close the element; the browser does not run type=application/json.
  std::string Json;
  raw_string_ostream(Json) << json::Value(std::move(Data));
  std::string Safe;
  for (char C : Json)
    Safe += C == '<' ? "\\u003c" : C == '>' ? "\\u003e" : C == '&' ? "\\u0026" : std::string(1, C);
  OS << "<script type=\"application/json\" id=\"tw-flame-data\">" << Safe << "</script>\n"
     << "<script>" << FlameScript << "</script>\n";
}
