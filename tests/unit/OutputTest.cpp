//===- OutputTest.cpp - The text, JSON and SARIF writers ------------------===//
#include "threadwise/Output.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

using namespace threadwise;

namespace {

SourcePos pos(std::string File, unsigned Line, unsigned Col) {
  SourcePos P;
  P.File = std::move(File);
  P.Line = Line;
  P.Column = Col;
  return P;
}

Finding raceFinding(const std::string &File) {
  Finding F;
  F.Check = "threadwise-race-unprotected-write";
  F.Pos = pos(File, 3, 3);
  F.Message = "unprotected write to shared variable 'g_hits' races with a concurrent write";
  F.Notes.push_back({pos(File, 3, 3), "conflicting write in another thread"});
  F.Notes.push_back({pos("/elsewhere/main.cpp", 9, 5), "thread 'worker' started here"});
  F.Fingerprint = "threadwise-race-unprotected-write:g_hits:record_hit:0";
  return F;
}

/// A real file, so that the text writer can show source lines.
class TempSource {
public:
  TempSource(llvm::StringRef Text) {
    llvm::SmallString<128> P;
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("tw-output", "cpp", P));
    Path = std::string(P);
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Text;
  }
  ~TempSource() { llvm::sys::fs::remove(Path); }
  std::string Path;
};

std::string text(llvm::ArrayRef<Finding> Fs, const OutputOptions &O = {}) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeText(OS, Fs, O);
  return S;
}

llvm::json::Value parse(const std::string &S) {
  auto V = llvm::json::parse(S);
  EXPECT_TRUE(bool(V)) << llvm::toString(V.takeError()) << "\n" << S;
  return V ? std::move(*V) : llvm::json::Value(nullptr);
}

llvm::json::Value sarif(llvm::ArrayRef<Finding> Fs, const OutputOptions &O) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeSARIF(OS, Fs, O);
  return parse(S);
}

const llvm::json::Object &firstRun(const llvm::json::Value &Log) {
  return *Log.getAsObject()->getArray("runs")->front().getAsObject();
}

TEST(TextOutput, ClangFormatWithSourceAndCaret) {
  TempSource Src("int g_hits;\nvoid record_hit() {\n\t++g_hits;\n}\n");
  Finding F = raceFinding(Src.Path);
  F.Pos.Column = 4; // After the tab and the first "+".
  F.Notes[0].Pos.Column = 2;
  std::string Out = text({F});
  std::string Expected =
      Src.Path + ":3:4: warning: unprotected write to shared variable 'g_hits' races with a "
                 "concurrent write [threadwise-race-unprotected-write]\n"
                 "    3 |         ++g_hits;\n"
                 "      |           ^\n" +
      Src.Path + ":3:2: note: conflicting write in another thread\n" +
      "    3 |         ++g_hits;\n"
      "      |         ^\n"
      "/elsewhere/main.cpp:9:5: note: thread 'worker' started here\n";
  EXPECT_EQ(Out, Expected);
}

TEST(TextOutput, NoteAtTheSameLocationRepeatsNoSnippet) {
  TempSource Src("int g_hits;\nvoid f() { ++g_hits; }\n");
  Finding F = raceFinding(Src.Path);
  F.Pos = F.Notes[0].Pos = pos(Src.Path, 2, 14);
  F.Notes.pop_back();
  std::string Out = text({F});
  std::string Expected = Src.Path + ":2:14: warning: " + F.Message +
                         " [threadwise-race-unprotected-write]\n"
                         "    2 | void f() { ++g_hits; }\n"
                         "      |              ^\n" +
                         Src.Path + ":2:14: note: conflicting write in another thread\n";
  EXPECT_EQ(Out, Expected);
}

TEST(TextOutput, FixItOnTheSameLineAndElsewhere) {
  TempSource Src("int g_hits;\nvoid f() { ++g_hits; }\n");
  Finding F = raceFinding(Src.Path);
  F.Notes.clear();
  F.Pos = pos(Src.Path, 2, 14);
  F.FixDescription = "make 'g_hits' atomic";
  FixIt Fix;
  Fix.File = Src.Path;
  Fix.Offset = 0;
  Fix.Length = 3;
  Fix.Replacement = "std::atomic<int>";
  F.Fixes.push_back(Fix); // Line 1: computed from the offset.
  std::string Out = text({F});
  EXPECT_NE(Out.find(Src.Path + ":1:1: note: make 'g_hits' atomic\n"
                                "    1 | int g_hits;\n"
                                "      | ^~~\n"
                                "      | std::atomic<int>\n"),
            std::string::npos)
      << Out;
}

TEST(TextOutput, UnreadableFileHasNoSnippetAndColorsAreOptIn) {
  Finding F = raceFinding("/nonexistent/stats.cpp");
  F.Notes.clear();
  std::string Plain = text({F});
  EXPECT_EQ(Plain, "/nonexistent/stats.cpp:3:3: warning: unprotected write to shared variable "
                   "'g_hits' races with a concurrent write "
                   "[threadwise-race-unprotected-write]\n");
  OutputOptions Color;
  Color.Color = true;
  std::string Colored = text({F}, Color);
  EXPECT_NE(Colored.find("\033[0;1;35mwarning: "), std::string::npos);
  EXPECT_EQ(Plain.find('\033'), std::string::npos);
}

TEST(JSONOutput, FieldsNotesFixesAndErrors) {
  Finding F = raceFinding("/src/a \"quoted\".cpp");
  FixIt Fix;
  Fix.File = F.Pos.File;
  Fix.Offset = 10;
  Fix.Length = 3;
  Fix.Replacement = "std::atomic<int>";
  F.Fixes.push_back(Fix);
  OutputOptions O;
  O.ToolVersion = "1.2.3";
  O.Errors.push_back({"/src/broken.cpp", "could not be parsed"});
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeJSON(OS, {F}, O);
  llvm::json::Value V = parse(S);
  const llvm::json::Object &Root = *V.getAsObject();
  EXPECT_EQ(Root.getInteger("version"), 1);
  EXPECT_EQ(Root.getObject("tool")->getString("version"), "1.2.3");
  const llvm::json::Object &J = *Root.getArray("findings")->front().getAsObject();
  EXPECT_EQ(J.getString("check"), "threadwise-race-unprotected-write");
  EXPECT_EQ(J.getString("file"), "/src/a \"quoted\".cpp");
  EXPECT_EQ(J.getInteger("line"), 3);
  EXPECT_EQ(J.getInteger("column"), 3);
  EXPECT_EQ(J.getString("fingerprint"), F.Fingerprint);
  EXPECT_EQ(J.getArray("notes")->size(), 2u);
  const llvm::json::Object &JF = *J.getArray("fixes")->front().getAsObject();
  EXPECT_EQ(JF.getInteger("offset"), 10);
  EXPECT_EQ(JF.getInteger("length"), 3);
  EXPECT_EQ(JF.getString("replacement"), "std::atomic<int>");
  const llvm::json::Object &E = *Root.getArray("errors")->front().getAsObject();
  EXPECT_EQ(E.getString("file"), "/src/broken.cpp");
}

TEST(SARIFOutput, RelativeURIsFingerprintsAndRelatedLocations) {
  OutputOptions O;
  O.SourceRoot = "/work/proj/";
  O.ToolVersion = "0.1.0";
  O.EnabledChecks = CheckFilter().enabledChecks();
  Finding F = raceFinding("/work/proj/src/stats.cpp");
  llvm::json::Value Log = sarif({F}, O);
  EXPECT_EQ(Log.getAsObject()->getString("version"), "2.1.0");
  EXPECT_EQ(Log.getAsObject()->getString("$schema"),
            "https://json.schemastore.org/sarif-2.1.0.json");
  const llvm::json::Object &Run = firstRun(Log);
  EXPECT_EQ(Run.getObject("originalUriBaseIds")->getObject("%SRCROOT%")->getString("uri"),
            "file:///work/proj/");
  const llvm::json::Object &Driver = *Run.getObject("tool")->getObject("driver");
  EXPECT_EQ(Driver.getString("name"), "threadwise");
  const llvm::json::Object &Rule = *Driver.getArray("rules")->front().getAsObject();
  EXPECT_EQ(Rule.getString("id"), "threadwise-race-unprotected-write");
  EXPECT_EQ(Rule.getString("name"), "RaceUnprotectedWrite");
  EXPECT_TRUE(Rule.getObject("shortDescription"));
  EXPECT_TRUE(Rule.getObject("fullDescription"));
  EXPECT_EQ(Rule.getString("helpUri"), checkDocURL("threadwise-race-unprotected-write"));

  const llvm::json::Object &R = *Run.getArray("results")->front().getAsObject();
  EXPECT_EQ(R.getString("ruleId"), "threadwise-race-unprotected-write");
  EXPECT_EQ(R.getObject("message")->getString("text"),
            "Unprotected write to shared variable 'g_hits' races with a concurrent write.");
  EXPECT_EQ(R.getInteger("ruleIndex"), 0);
  EXPECT_EQ(R.getString("level"), "warning");
  EXPECT_EQ(R.getObject("partialFingerprints")->getString("threadwiseFingerprint/v1"),
            F.Fingerprint);
  const llvm::json::Object &Art = *R.getArray("locations")
                                       ->front()
                                       .getAsObject()
                                       ->getObject("physicalLocation")
                                       ->getObject("artifactLocation");
  EXPECT_EQ(Art.getString("uri"), "src/stats.cpp");
  EXPECT_EQ(Art.getString("uriBaseId"), "%SRCROOT%");

  const llvm::json::Array &Related = *R.getArray("relatedLocations");
  ASSERT_EQ(Related.size(), 2u);
  EXPECT_EQ(Related[1].getAsObject()->getInteger("id"), 1);
  EXPECT_EQ(Related[1].getAsObject()->getObject("message")->getString("text"),
            "Thread 'worker' started here.");
  // A file outside the source root keeps an absolute URI.
  const llvm::json::Object &Outside = *Related[1]
                                           .getAsObject()
                                           ->getObject("physicalLocation")
                                           ->getObject("artifactLocation");
  EXPECT_EQ(Outside.getString("uri"), "file:///elsewhere/main.cpp");
  EXPECT_FALSE(Outside.getString("uriBaseId"));
}

TEST(SARIFOutput, FixesAndToolErrors) {
  OutputOptions O;
  O.SourceRoot = "/p";
  O.Errors.push_back({"/p/broken.cpp", "could not be parsed"});
  Finding F = raceFinding("/p/a.cpp");
  F.FixDescription = "make 'g_hits' atomic";
  FixIt Fix;
  Fix.File = "/p/a.cpp";
  Fix.Offset = 4;
  Fix.Length = 3;
  Fix.Replacement = "std::atomic<int>";
  F.Fixes.push_back(Fix);
  llvm::json::Value Log = sarif({F}, O);
  const llvm::json::Object &Run = firstRun(Log);
  const llvm::json::Object &Inv = *Run.getArray("invocations")->front().getAsObject();
  EXPECT_EQ(Inv.getBoolean("executionSuccessful"), false);
  EXPECT_EQ(Inv.getArray("toolExecutionNotifications")->size(), 1u);
  const llvm::json::Object &R = *Run.getArray("results")->front().getAsObject();
  const llvm::json::Object &Change =
      *R.getArray("fixes")->front().getAsObject()->getArray("artifactChanges")->front().getAsObject();
  EXPECT_EQ(Change.getObject("artifactLocation")->getString("uri"), "a.cpp");
  const llvm::json::Object &Rep = *Change.getArray("replacements")->front().getAsObject();
  EXPECT_EQ(Rep.getObject("deletedRegion")->getInteger("byteOffset"), 4);
  EXPECT_EQ(Rep.getObject("insertedContent")->getString("text"), "std::atomic<int>");
}

TEST(JSONOutput, InvalidUTF8IsReplacedNotFatal) {
  Finding F = raceFinding("/src/caf\xe9.cpp"); // Latin-1 file name.
  F.Message = "write to 'd\xe9j\xe0'";
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeJSON(OS, {F}, {});
  llvm::json::Value V = parse(S);
  const llvm::json::Object &J = *V.getAsObject()->getArray("findings")->front().getAsObject();
  EXPECT_EQ(J.getString("file"), "/src/caf\xef\xbf\xbd.cpp");
  OutputOptions O;
  O.SourceRoot = "/src";
  llvm::json::Value Log = sarif({F}, O);
  EXPECT_TRUE(Log.getAsObject());
}

TEST(URIs, EncodingAndRoots) {
  EXPECT_EQ(fileURI("/a b/c#d.cpp"), "file:///a%20b/c%23d.cpp");
  EXPECT_EQ(relativeURI("/root/x/y.c", "/root"), "x/y.c");
  EXPECT_EQ(relativeURI("/root/x/y.c", "/root/"), "x/y.c");
  EXPECT_EQ(relativeURI("/rootless/y.c", "/root"), "");
  EXPECT_EQ(relativeURI("/root/a b.c", "/root"), "a%20b.c");
}

} // namespace
