#include "mapping/remote_entity.h"

#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "gtest/gtest.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

using ferry::v1::Entity;
using ferry::v1::RemoteEntityWriteback;

const Entity& Source() {
  static const Entity entity = ParseText<Entity>(
      R"pb(system: "jira-cloud" project: "OPS" type: "Bug" id: "10002" display_key: "OPS-12")pb");
  return entity;
}

const Entity& Created() {
  static const Entity entity = ParseText<Entity>(R"pb(
    system: "pd-prod" id: "Q1ABCDEF" display_key: "#1042"
    url: "https://acme.pagerduty.com/incidents/Q1ABCDEF")pb");
  return entity;
}

TEST(RemoteEntityTest, NothingAskedNothingWritten) {
  absl::StatusOr<std::optional<ferry::v1::WriteIntent>> intent = BuildRemoteEntityWriteback(
      RemoteEntityWriteback(), jira::JiraSchema(), Source(), Created());
  ASSERT_TRUE(intent.ok());
  EXPECT_FALSE(intent->has_value());
}

TEST(RemoteEntityTest, WritesIdUrlAndACommentIntoTheSource) {
  const RemoteEntityWriteback writeback = ParseText<RemoteEntityWriteback>(
      R"pb(id_field: "customfield_10050" url_field: "customfield_10051" as_comment: true)pb");
  absl::StatusOr<std::optional<ferry::v1::WriteIntent>> intent =
      BuildRemoteEntityWriteback(writeback, jira::JiraSchema(), Source(), Created());
  ASSERT_TRUE(intent.ok()) << intent.status();
  ASSERT_TRUE(intent->has_value());
  const ferry::v1::WriteIntent& w = **intent;
  EXPECT_EQ(w.target_system(), "jira-cloud");
  EXPECT_EQ(w.target_project(), "OPS");
  EXPECT_EQ(w.change().entity().id(), "10002");
  ASSERT_EQ(w.fields_size(), 2);
  EXPECT_EQ(w.fields(0).target_field(), "customfield_10050");
  EXPECT_EQ(w.fields(0).value().text(), "Q1ABCDEF");
  EXPECT_EQ(w.fields(0).sync_when(), ferry::v1::SYNC_WHEN_UPDATE);
  EXPECT_EQ(w.fields(1).value().text(), "https://acme.pagerduty.com/incidents/Q1ABCDEF");
  ASSERT_EQ(w.comments_size(), 1);
  EXPECT_EQ(w.comments(0).kind(), "comment");
  EXPECT_EQ(w.comments(0).body(),
            "Synced to #1042: https://acme.pagerduty.com/incidents/Q1ABCDEF");
  EXPECT_EQ(w.comments(0).source_comment_id(), "ferry-remote-entity/pd-prod/Q1ABCDEF");
}

TEST(RemoteEntityTest, PagerDutyTakesItAsANote) {
  const RemoteEntityWriteback writeback = ParseText<RemoteEntityWriteback>("as_comment: true");
  absl::StatusOr<std::optional<ferry::v1::WriteIntent>> intent =
      BuildRemoteEntityWriteback(writeback, pagerduty::PagerDutySchema(), Created(), Source());
  ASSERT_TRUE(intent.ok());
  EXPECT_EQ((*intent)->comments(0).kind(), "note");
  EXPECT_EQ((*intent)->fields_size(), 0);
}

TEST(RemoteEntityTest, RefusesFieldsThatCannotBeWritten) {
  for (const char* field : {"Incident Key", "Number", "Nope"}) {
    RemoteEntityWriteback writeback;
    writeback.set_id_field(field);
    absl::StatusOr<std::optional<ferry::v1::WriteIntent>> intent =
        BuildRemoteEntityWriteback(writeback, pagerduty::PagerDutySchema(), Created(), Source());
    ASSERT_FALSE(intent.ok()) << field;
    EXPECT_NE(intent.status().message().find(field), std::string::npos);
  }
}

}  // namespace
}  // namespace ferry::mapping
