#include "connectors/pagerduty/pd_comment_marker.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

TEST(PdCommentMarkerTest, ShortMarkerAfterAnEmptyLine) {
  const std::string text = WithOriginMarker("on it", "ferry:jira-to-pd:jira:10001/comment/10042");
  EXPECT_THAT(text, ::testing::MatchesRegex("on it\n\n\\(ferry [0-9a-f]{12}\\)"));
  // Stable across versions: this exact marker must keep being recognised.
  EXPECT_EQ(WithOriginMarker("", "jira:FER-1/c/9"),
            WithOriginMarker("", "jira:FER-1/c/9"));
  EXPECT_TRUE(CarriesOrigin(text, "ferry:jira-to-pd:jira:10001/comment/10042"));
  EXPECT_FALSE(CarriesOrigin(text, "ferry:jira-to-pd:jira:10001/comment/10043"));
  EXPECT_FALSE(CarriesOrigin("on it", "ferry:jira-to-pd:jira:10001/comment/10042"));
}

// Notes posted before the short marker keep their link after an upgrade.
TEST(PdCommentMarkerTest, LegacyFooterIsRecognised) {
  const std::string legacy = "hello\n\nworld\n\n-- ferry origin: jira:FER-1/c/9";
  EXPECT_TRUE(CarriesOrigin(legacy, "jira:FER-1/c/9"));
  EXPECT_FALSE(CarriesOrigin(legacy, "jira:FER-1/c/90"));
  EXPECT_FALSE(CarriesOrigin(legacy, "jira:FER-1/c/"));
}

}  // namespace
}  // namespace ferry::pagerduty
