#include "engine/config/source_map.h"

#include "gtest/gtest.h"

namespace ferry::config {
namespace {

TEST(SourceMapTest, FindsExactPath) {
  SourceMap sources;
  sources.Record("integrations[0].poll_interval", {12, 5});
  const SourcePosition position = sources.Find("integrations[0].poll_interval");
  EXPECT_EQ(position.line, 12);
  EXPECT_EQ(position.column, 5);
}

TEST(SourceMapTest, MissingFieldFallsBackToNearestAncestor) {
  SourceMap sources;
  sources.Record("integrations", {3, 1});
  sources.Record("integrations[1]", {9, 5});
  EXPECT_EQ(sources.Find("integrations[1].source.system").line, 9);
  EXPECT_EQ(sources.Find("integrations[2].name").line, 3);
  EXPECT_EQ(sources.Find("systems[0]").line, 0);
}

TEST(FormatProblemTest, NamesFileLinePathMessageAndFix) {
  SourceMap sources;
  sources.Record("systems[0].url", {4, 10});
  const auto problem = MakeProblem("ferry.yaml", sources, "systems[0].url",
                                   "bad URL", "write https://...");
  EXPECT_EQ(FormatProblem(problem),
            "ferry.yaml:4:10: systems[0].url: bad URL. Fix: write https://...");
}

TEST(FormatProblemTest, LeavesOutWhatIsUnknown) {
  ferry::v1::ConfigProblem problem;
  problem.set_file("ferry.yaml");
  problem.set_message("cannot open the config file");
  EXPECT_EQ(FormatProblem(problem), "ferry.yaml: cannot open the config file");
}

}  // namespace
}  // namespace ferry::config
