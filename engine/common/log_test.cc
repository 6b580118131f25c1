#include "engine/common/log.h"

#include <string>
#include <vector>

#include "engine/common/testing/log_capture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "spdlog/spdlog.h"

namespace ferry::log {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

TEST(LogTest, JsonLineHoldsEventAndFields) {
  LogCapture captured({Format::kJson, Level::kInfo});
  Warn("failure.parked", {{"integration", "pd-jira"}, {"attempts", 2}});
  const auto lines = captured.Lines();
  ASSERT_THAT(lines, SizeIs(1));
  const auto line = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(line["level"], "warn");
  EXPECT_EQ(line["event"], "failure.parked");
  EXPECT_EQ(line["integration"], "pd-jira");
  EXPECT_EQ(line["attempts"], 2);
  EXPECT_TRUE(line.contains("time"));
}

TEST(LogTest, TextLineQuotesValuesWithSpaces) {
  LogCapture captured({Format::kText, Level::kInfo});
  Error("failure.exhausted", {{"error", "Priority is required"}, {"id", "f1"}});
  const auto lines = captured.Lines();
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr(" ERROR failure.exhausted "));
  EXPECT_THAT(lines[0], HasSubstr("error=\"Priority is required\""));
  EXPECT_THAT(lines[0], HasSubstr("id=f1"));
}

TEST(LogTest, LevelDropsLinesBelowIt) {
  LogCapture captured({Format::kJson, Level::kWarn});
  Debug("reader.polled");
  Info("ferryd.started");
  Warn("reader.poll_failed");
  const auto lines = captured.Lines();
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr("reader.poll_failed"));
}

TEST(LogTest, DebugLinesShowAtDebugLevel) {
  LogCapture captured({Format::kJson, Level::kDebug});
  Debug("reader.polled", {{"changes", 3}});
  EXPECT_THAT(captured.Lines(), SizeIs(1));
}

TEST(LogTest, SpdlogLinesShareTheFormat) {
  {
    LogCapture captured({Format::kJson, Level::kInfo});
    spdlog::warn("jira {}: could not add the remote link", "jira-prod");
    const auto lines = captured.Lines();
    ASSERT_THAT(lines, SizeIs(1));
    const auto line = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(line["level"], "warn");
    EXPECT_EQ(line["event"], "log.message");
    EXPECT_EQ(line["message"], "jira jira-prod: could not add the remote link");
  }
  LogCapture captured({Format::kText, Level::kInfo});
  spdlog::info("PagerDuty cannot clear an incident's {}", "urgency");
  spdlog::debug("not shown at info");
  const auto lines = captured.Lines();
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], StartsWith("20"));
  EXPECT_THAT(lines[0], HasSubstr(" INFO log.message message=\"PagerDuty cannot "
                                  "clear an incident's urgency\""));
}

TEST(LogTest, InvalidUtf8IsReplacedNotThrown) {
  LogCapture captured({Format::kJson, Level::kInfo});
  Info("reader.entity", {{"title", std::string("bad \xff byte")}});
  const auto lines = captured.Lines();
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_NO_THROW(nlohmann::json::parse(lines[0]));
}

TEST(LogTest, ParseNamesTheAllowedValues) {
  EXPECT_EQ(*ParseFormat("text"), Format::kText);
  EXPECT_EQ(*ParseLevel("debug"), Level::kDebug);
  EXPECT_THAT(std::string(ParseFormat("yaml").status().message()),
              HasSubstr("use json or text"));
  EXPECT_THAT(std::string(ParseLevel("verbose").status().message()),
              HasSubstr("use debug, info, warn or error"));
}

}  // namespace
}  // namespace ferry::log
