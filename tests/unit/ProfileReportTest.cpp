//===- ProfileReportTest.cpp - Profile reading and the report writers -----===//
#include "analyze/Renderers.h"
#include "threadwise/runtime/Report.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace threadwise::runtime;

namespace {

json::Object hostileProfile() {
  json::Value V = json::parse(R"({
    "format": "threadwise-profile", "version": 1,
    "command": ["./prog", "<b>x</b>"], "start_ns": 1000, "end_ns": 200001000,
    "wall_ns": 200000000, "exit": {"code": 0, "signal": 0},
    "machine": {"cores": 2}, "mode": "preload", "future_field": [1, 2],
    "events": {"available": [{"name": "task-clock", "value": 5}],
               "unavailable": [{"name": "cycles", "reason": "ENOENT"}]},
    "processes": [{"pid": 7, "ppid": 1, "exe": "/bin/prog", "argv": ["./prog"],
      "start_ns": 1000, "end_ns": 200001000, "python": null,
      "threads": [
        {"tid": 7, "name": "<script>alert(1)</script>", "start_ns": 1000,
         "end_ns": 200001000, "user_ns": 50000000, "lock_wait_ns": 150000000,
         "intervals": [[1000, 150001000, "lock", 3]],
         "samples": [[100001000, 25000000, 0]]},
        {"tid": 8, "name": "b", "start_ns": 1000, "end_ns": 200001000,
         "user_ns": 150000000, "lock_wait_ns": 50000000,
         "intervals": [[150001000, 200001000, "lock", 3]]}]}],
    "sites": [{"id": 3, "kind": "lock", "function": "f<T>&", "file": "a\"b.cpp",
               "line": 4, "wait_ns": 200000000, "count": 2}]})")
                      .get();
  return std::move(*V.getAsObject());
}

TEST(ProfileReader, ReadsFieldsAndIgnoresExtras) {
  json::Object Raw = hostileProfile();
  Expected<Profile> P = parseProfile(Raw);
  ASSERT_TRUE(bool(P)) << toString(P.takeError());
  EXPECT_EQ(P->WallNs, 200000000);
  EXPECT_EQ(P->Cores, 2);
  ASSERT_EQ(P->Processes.size(), 1u);
  EXPECT_FALSE(P->Processes[0].Python.Present);
  ASSERT_EQ(P->Processes[0].Threads.size(), 2u);
  EXPECT_EQ(P->Processes[0].Threads[0].Intervals.size(), 1u);
  EXPECT_EQ(P->Processes[0].Threads[0].Intervals[0].Site, 3);
  ASSERT_NE(P->site(3), nullptr);
  EXPECT_EQ(P->EventsUnavailable[0].Reason, "ENOENT");
}

TEST(ProfileReader, RejectsOtherFormatsAndVersions) {
  json::Object Wrong{{"format", "something-else"}, {"version", 1}};
  Expected<Profile> P = parseProfile(Wrong);
  ASSERT_FALSE(bool(P));
  consumeError(P.takeError());
  json::Object Future = hostileProfile();
  Future["version"] = 2;
  Expected<Profile> Q = parseProfile(Future);
  ASSERT_FALSE(bool(Q));
  EXPECT_NE(toString(Q.takeError()).find("version 2"), std::string::npos);
}

TEST(ProfileReader, FindsTheProfileInsideAReport) {
  json::Object Report{{"format", "threadwise-report"},
                      {"profile", hostileProfile()}};
  std::string Why;
  const json::Object *P = findProfileObject(Report, Why);
  ASSERT_NE(P, nullptr);
  EXPECT_EQ(P->getString("format"), "threadwise-profile");
  json::Object Bare{{"format", "threadwise-report"}};
  EXPECT_EQ(findProfileObject(Bare, Why), nullptr);
  EXPECT_FALSE(Why.empty());
}

TEST(HtmlReport, EscapesEveryProgramString) {
  EXPECT_EQ(escapeHtml("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  json::Object Raw = hostileProfile();
  Expected<AnalyzedProfile> A = analyzeProfile(Raw);
  ASSERT_TRUE(bool(A));
  std::string Html;
  raw_string_ostream OS(Html);
  renderHtml(*A, OS);
  EXPECT_EQ(Html.find("<script"), std::string::npos);
  EXPECT_EQ(Html.find("<b>x"), std::string::npos);
  EXPECT_NE(Html.find("&lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(Html.find("f&lt;T&gt;&amp;"), std::string::npos);
  EXPECT_NE(Html.find("<svg id=\"timeline\""), std::string::npos);
  // Self-contained: nothing is fetched.
  EXPECT_EQ(Html.find("http://"), Html.find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(Html.find("https://"), std::string::npos);
}

TEST(TextReport, NeutralisesControlCharacters) {
  json::Object Raw = hostileProfile();
  (*Raw.getArray("command"))[1] = "\x1b[2J";
  (*(*Raw.getArray("sites"))[0].getAsObject())["function"] = "evil\x1b]0;x\x07";
  Expected<AnalyzedProfile> A = analyzeProfile(Raw);
  ASSERT_TRUE(bool(A));
  std::string Text;
  raw_string_ostream OS(Text);
  renderText(*A, OS, /*Color=*/false);
  EXPECT_EQ(Text.find('\x1b'), std::string::npos);
  EXPECT_EQ(Text.find('\x07'), std::string::npos);
  EXPECT_NE(Text.find("evil?]0;x?"), std::string::npos) << Text;
}

TEST(TraceReport, HasMetadataAndCompleteEvents) {
  json::Object Raw = hostileProfile();
  Expected<AnalyzedProfile> A = analyzeProfile(Raw);
  ASSERT_TRUE(bool(A));
  std::string Text;
  raw_string_ostream OS(Text);
  renderTrace(*A, OS);
  Expected<json::Value> Parsed = json::parse(Text);
  ASSERT_TRUE(bool(Parsed)) << toString(Parsed.takeError());
  json::Value &Trace = *Parsed;
  const json::Array *Events = Trace.getAsObject()->getArray("traceEvents");
  ASSERT_NE(Events, nullptr);
  unsigned Meta = 0, Lock = 0;
  for (const json::Value &E : *Events) {
    const json::Object *O = E.getAsObject();
    StringRef Ph = *O->getString("ph");
    if (Ph == "M")
      ++Meta;
    if (Ph == "X" && O->getString("cat") == StringRef("lock")) {
      ++Lock;
      // Microseconds from the start of the run.
      if (O->getInteger("tid") == 8) {
        EXPECT_DOUBLE_EQ(*O->getNumber("ts"), 150000.0);
      }
    }
  }
  EXPECT_EQ(Meta, 3u); // one process, two threads
  EXPECT_EQ(Lock, 2u);
}

TEST(JsonReport, EmbedsTheProfileAndTheVerdict) {
  json::Object Raw = hostileProfile();
  Expected<AnalyzedProfile> A = analyzeProfile(Raw);
  ASSERT_TRUE(bool(A));
  json::Value Report = renderJsonReport(*A);
  const json::Object *O = Report.getAsObject();
  EXPECT_EQ(O->getString("format"), "threadwise-report");
  EXPECT_EQ(O->getInteger("version"), 1);
  const json::Object *Rec = O->getObject("recommendation");
  ASSERT_NE(Rec, nullptr);
  EXPECT_TRUE(Rec->getString("verdict").has_value());
  ASSERT_NE(Rec->getObject("predicted_speedup"), nullptr);
  std::string Why;
  EXPECT_NE(findProfileObject(*O, Why), nullptr);
}

TEST(WriteReports, WritesAtomicallyAndReports125OnFailure) {
  SmallString<128> Dir;
  ASSERT_FALSE(sys::fs::createUniqueDirectory("tw-report", Dir));
  ReportOptions Opts;
  Opts.JsonPath = (Dir + "/r.json").str();
  Opts.HtmlPath = (Dir + "/r.html").str();
  Opts.TracePath = (Dir + "/r.trace.json").str();
  std::string Text;
  raw_string_ostream OS(Text);
  EXPECT_EQ(writeReports(hostileProfile(), Opts, OS), 0);
  EXPECT_NE(Text.find("threadwise: verdict"), std::string::npos);
  EXPECT_LE(std::count(Text.begin(), Text.end(), '\n'), 20);
  for (const std::string &F : {Opts.JsonPath, Opts.HtmlPath, Opts.TracePath})
    EXPECT_TRUE(sys::fs::exists(F)) << F;
  // No temporary file is left behind.
  std::error_code EC;
  unsigned Files = 0;
  for (sys::fs::directory_iterator I(Dir, EC), E; I != E && !EC;
       I.increment(EC))
    ++Files;
  EXPECT_EQ(Files, 3u);

  ReportOptions Bad;
  Bad.Terminal = false;
  Bad.JsonPath = (Dir + "/missing-dir/r.json").str();
  EXPECT_EQ(writeReports(hostileProfile(), Bad, OS), 125);
  sys::fs::remove_directories(Dir);
}

} // namespace
