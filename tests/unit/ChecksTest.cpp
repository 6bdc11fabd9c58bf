//===- ChecksTest.cpp - The check registry and clang-tidy style globs -----===//
#include "threadwise/Checks.h"
#include "gtest/gtest.h"

using namespace threadwise;

namespace {

CheckFilter parse(llvm::StringRef Globs) {
  llvm::Expected<CheckFilter> F = CheckFilter::parse(Globs);
  if (!F) {
    ADD_FAILURE() << Globs.str() << ": " << llvm::toString(F.takeError());
    return CheckFilter();
  }
  return std::move(*F);
}

std::string parseError(llvm::StringRef Globs) {
  llvm::Expected<CheckFilter> F = CheckFilter::parse(Globs);
  if (F) {
    ADD_FAILURE() << "'" << Globs.str() << "' should be rejected";
    return "";
  }
  return llvm::toString(F.takeError());
}

TEST(ChecksTest, RegistryNamesFollowTheConvention) {
  ASSERT_FALSE(allChecks().empty());
  for (const CheckInfo &C : allChecks()) {
    llvm::StringRef Name = C.Name;
    EXPECT_TRUE(Name.starts_with("threadwise-")) << Name.str();
    EXPECT_GE(Name.count('-'), 2u) << "threadwise-<group>-<name>: " << Name.str();
    EXPECT_TRUE(C.Summary && *C.Summary) << Name.str();
    EXPECT_TRUE(C.Description && *C.Description) << Name.str();
    EXPECT_EQ(findCheck(Name), &C);
    EXPECT_NE(checkDocURL(Name).find("docs/checks/" + Name.str() + ".md"), std::string::npos);
  }
  EXPECT_TRUE(findCheck("threadwise-race-unprotected-write"));
  EXPECT_FALSE(findCheck("threadwise-no-such-check"));
  EXPECT_FALSE(findCheck("threadwise-race"));
}

TEST(ChecksTest, DefaultEnablesEveryCheck) {
  CheckFilter F;
  EXPECT_EQ(F.enabledChecks().size(), allChecks().size());
  EXPECT_TRUE(F.isEnabled("threadwise-race-unprotected-write"));
  EXPECT_TRUE(F.isEnabled("threadwise-cpu-serialized-by-lock"));
  EXPECT_FALSE(F.isEnabled("clang-analyzer-core.NullDereference"))
      << "only threadwise's own checks";
}

TEST(ChecksTest, NegateAllThenEnableOneGroup) {
  CheckFilter F = parse("-*,threadwise-race-*");
  EXPECT_TRUE(F.isEnabled("threadwise-race-unprotected-write"));
  EXPECT_TRUE(F.isEnabled("threadwise-race-anything"));
  EXPECT_FALSE(F.isEnabled("threadwise-cpu-serialized-by-lock"));
  EXPECT_FALSE(F.isEnabled("threadwise-python-gil-held-cpu-loop"));
}

TEST(ChecksTest, LaterGlobsWin) {
  CheckFilter Off = parse("threadwise-*,-threadwise-race-*");
  EXPECT_FALSE(Off.isEnabled("threadwise-race-unprotected-write"));
  EXPECT_TRUE(Off.isEnabled("threadwise-cpu-serialized-by-lock"));

  CheckFilter On = parse("-threadwise-race-*,threadwise-race-*");
  EXPECT_TRUE(On.isEnabled("threadwise-race-unprotected-write"));

  CheckFilter Exact = parse("-*,threadwise-race-*,-threadwise-race-unprotected-write");
  EXPECT_FALSE(Exact.isEnabled("threadwise-race-unprotected-write"));
  EXPECT_TRUE(Exact.isEnabled("threadwise-race-other"));
}

TEST(ChecksTest, WhitespaceAndEmptyGlobsAreIgnored) {
  CheckFilter F = parse(" -* , ,threadwise-cpu-* ,");
  EXPECT_TRUE(F.isEnabled("threadwise-cpu-serialized-by-lock"));
  EXPECT_FALSE(F.isEnabled("threadwise-race-unprotected-write"));
  CheckFilter Spaced = parse("-*, - threadwise-cpu-*, threadwise-race-*");
  EXPECT_FALSE(Spaced.isEnabled("threadwise-cpu-serialized-by-lock"));
  EXPECT_TRUE(Spaced.isEnabled("threadwise-race-unprotected-write"));
}

TEST(ChecksTest, NothingEnabledWithoutAPositiveGlob) {
  EXPECT_TRUE(parse("-*").enabledChecks().empty());
  EXPECT_TRUE(parse("-threadwise-*").enabledChecks().empty());
  EXPECT_FALSE(parse("-*").isEnabled("threadwise-race-unprotected-write"));
}

TEST(ChecksTest, EnabledChecksFollowsTheFilter) {
  CheckFilter F = parse("-*,threadwise-race-unprotected-write");
  std::vector<const CheckInfo *> On = F.enabledChecks();
  ASSERT_EQ(On.size(), 1u);
  EXPECT_STREQ(On[0]->Name, "threadwise-race-unprotected-write");
  for (const CheckInfo *C : CheckFilter().enabledChecks())
    EXPECT_TRUE(CheckFilter().isEnabled(C->Name));
}

TEST(ChecksTest, InvalidGlobsAreErrors) {
  std::string Msg = parseError("-*,threadwise-race-[");
  EXPECT_NE(Msg.find("threadwise-race-["), std::string::npos) << Msg;
  Msg = parseError("threadwise-*,-");
  EXPECT_NE(Msg.find("invalid check glob"), std::string::npos) << Msg;
  parseError("threadwise-\\");
}

} // namespace
