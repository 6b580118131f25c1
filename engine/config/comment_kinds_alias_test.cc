#include "engine/config/comment_kinds_alias.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "engine/config/loader.h"
#include "gtest/gtest.h"

namespace ferry::config {
namespace {

std::string Config(absl::string_view comments) {
  return absl::StrCat(R"(systems:
  - {name: pd, kind: pagerduty, url: "https://api.pagerduty.com", token: {env: PD_TOKEN}}
  - {name: jira, kind: jira, url: "https://example.atlassian.net", token: {env: JIRA_TOKEN}}
mappings:
  - name: m
    source_type: incident
    target_type: Task
    fields:
      - {source: Title, target: summary}
    comments:
)",
                      comments, R"(
integrations:
  - {name: i, source: {system: pd, projects: [P1]}, target: {system: jira, projects: [OPS]}, mapping: m}
)");
}

ValidationOptions Options() {
  ValidationOptions options;
  options.system_kinds = {"jira", "pagerduty"};
  return options;
}

TEST(CommentKindsAliasTest, TheOldEnumLoadsAsKinds) {
  const LoadedConfig loaded =
      LoadConfigText(Config("      pagerduty_source: STATUS_UPDATES"), "f.yaml", Options());
  ASSERT_TRUE(loaded.ok()) << loaded.problems[0].message();
  const ferry::v1::CommentMapping& comments = loaded.config.mappings(0).comments();
  ASSERT_EQ(comments.kinds_size(), 1);
  EXPECT_EQ(comments.kinds(0), "status_update");
  EXPECT_EQ(comments.pagerduty_source(), ferry::v1::CommentMapping::PAGERDUTY_SOURCE_NOTES);
}

TEST(CommentKindsAliasTest, NotesAndStatusUpdatesAreBothKinds) {
  ferry::v1::FerryConfig config;
  config.add_mappings()->mutable_comments()->set_pagerduty_source(
      ferry::v1::CommentMapping::PAGERDUTY_SOURCE_NOTES_AND_STATUS_UPDATES);
  config.add_mappings();  // NOTES, the default: no kinds
  EXPECT_TRUE(ResolveCommentKindsAlias(&config).empty());
  ASSERT_EQ(config.mappings(0).comments().kinds_size(), 2);
  EXPECT_EQ(config.mappings(0).comments().kinds(0), "note");
  EXPECT_EQ(config.mappings(0).comments().kinds(1), "status_update");
  EXPECT_EQ(config.mappings(1).comments().kinds_size(), 0);
}

TEST(CommentKindsAliasTest, BothSpellingsAtOnceAreAProblemWithItsPlace) {
  const LoadedConfig loaded = LoadConfigText(
      Config("      pagerduty_source: STATUS_UPDATES\n      kinds: [note]"), "f.yaml", Options());
  ASSERT_EQ(loaded.problems.size(), 1u);
  const ferry::v1::ConfigProblem& problem = loaded.problems[0];
  EXPECT_EQ(problem.field_path(), "mappings[0].comments.pagerduty_source");
  EXPECT_EQ(problem.file(), "f.yaml");
  EXPECT_EQ(problem.line(), 11);
  EXPECT_FALSE(problem.fix().empty());
}

}  // namespace
}  // namespace ferry::config
