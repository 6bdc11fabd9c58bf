// NOLINT parsing, baselines and diff parsing (issue 7), without running clang.
#include "threadwise/Baseline.h"
#include "threadwise/ChangedLines.h"
#include "threadwise/Config.h"
#include "threadwise/Suppressions.h"
#include <gtest/gtest.h>

using namespace threadwise;

namespace {
const char *Race = "threadwise-race-unprotected-write";

Finding finding(const std::string &File, unsigned Line, const std::string &FP) {
  Finding F;
  F.Check = Race;
  F.Pos.File = File;
  F.Pos.Line = Line;
  F.Message = "m";
  F.Fingerprint = FP;
  return F;
}
} // namespace

TEST(Suppressions, KindsAndGlobs) {
  FileSuppressions S("a; // NOLINT\n"
                     "b; // NOLINT(threadwise-race-unprotected-write)\n"
                     "c; // NOLINT(other-check)\n"
                     "// NOLINTNEXTLINE(threadwise-race-*)\n"
                     "d;\n"
                     "// NOLINTBEGIN(threadwise-*)\n"
                     "e;\n"
                     "// NOLINTEND(threadwise-*)\n"
                     "f; // NOLINTED is not a comment of ours\n");
  EXPECT_TRUE(S.suppresses(1, Race));
  EXPECT_TRUE(S.suppresses(2, Race));
  EXPECT_FALSE(S.suppresses(3, Race));
  EXPECT_TRUE(S.suppresses(5, Race));
  EXPECT_FALSE(S.suppresses(4 + 2, "other")); // BEGIN line, other check
  EXPECT_TRUE(S.suppresses(7, Race));
  EXPECT_FALSE(S.suppresses(9, Race));
}

TEST(Suppressions, GlobList) {
  EXPECT_TRUE(nolintGlobsMatch(" bugprone-* , threadwise-race-*", Race));
  EXPECT_FALSE(nolintGlobsMatch("threadwise-cpu-*", Race));
  EXPECT_TRUE(nolintGlobsMatch("*", Race));
}

TEST(Baseline, RoundTripAndFixed) {
  std::vector<Finding> Today = {finding("/r/a.cpp", 10, "f1"), finding("/r/b.cpp", 3, "f2")};
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  writeBaseline(OS, Today, "/r");
  llvm::Expected<std::vector<BaselineEntry>> B = parseBaseline(Text);
  ASSERT_TRUE(bool(B)) << llvm::toString(B.takeError());
  ASSERT_EQ(B->size(), 2u);
  EXPECT_EQ((*B)[0].File, "a.cpp");

  // a.cpp's finding moved 5 lines down, b.cpp's is gone, c.cpp's is new.
  std::vector<Finding> Later = {finding("/r/a.cpp", 15, "f1"), finding("/r/c.cpp", 1, "f3")};
  std::vector<BaselineEntry> Fixed = applyBaseline(Later, *B, "/r");
  ASSERT_EQ(Later.size(), 1u);
  EXPECT_EQ(Later[0].Fingerprint, "f3");
  ASSERT_EQ(Fixed.size(), 1u);
  EXPECT_EQ(Fixed[0].File, "b.cpp");
}

TEST(Baseline, RejectsOtherJSON) {
  llvm::Expected<std::vector<BaselineEntry>> B = parseBaseline("{\"findings\": []}");
  EXPECT_FALSE(bool(B));
  llvm::consumeError(B.takeError());
}

TEST(ChangedLines, Hunks) {
  ChangedLines C = ChangedLines::parseDiff("diff --git a/x.cpp b/x.cpp\n"
                                           "--- a/x.cpp\n"
                                           "+++ b/x.cpp\n"
                                           "@@ -3 +3 @@\n"
                                           "@@ -10,0 +11,2 @@ void f() {\n"
                                           "@@ -20,4 +22,0 @@\n"
                                           "--- a/gone.cpp\n"
                                           "+++ /dev/null\n"
                                           "@@ -1,3 +0,0 @@\n",
                                           "/r");
  EXPECT_TRUE(C.contains("/r/x.cpp", 3));
  EXPECT_TRUE(C.contains("/r/x.cpp", 11));
  EXPECT_TRUE(C.contains("/r/x.cpp", 12));
  EXPECT_FALSE(C.contains("/r/x.cpp", 13));
  EXPECT_FALSE(C.contains("/r/x.cpp", 22));
  EXPECT_FALSE(C.contains("/r/gone.cpp", 1));
}

TEST(Config, InheritAndExclude) {
  bool Inherits = false;
  llvm::Expected<Config> Parent =
      parseConfig("Checks: 'threadwise-*'\nExcludePaths: ['vendor/*']\n", "/r", nullptr, Inherits);
  ASSERT_TRUE(bool(Parent)) << llvm::toString(Parent.takeError());
  EXPECT_FALSE(Inherits);
  llvm::Expected<Config> Child = parseConfig(
      "InheritParentConfig: true\nChecks: '-threadwise-race-*'\nCheckOptions: {k: v}\n",
      "/r/sub", &*Parent, Inherits);
  ASSERT_TRUE(bool(Child)) << llvm::toString(Child.takeError());
  EXPECT_TRUE(Inherits);
  EXPECT_EQ(Child->Checks, "threadwise-*,-threadwise-race-*");
  EXPECT_EQ(Child->CheckOptions["k"], "v");
  EXPECT_TRUE(Child->isExcluded("/r/vendor/v.cpp"));
  EXPECT_FALSE(Child->isExcluded("/r/src/v.cpp"));
}
