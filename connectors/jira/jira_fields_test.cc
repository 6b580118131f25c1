#include "connectors/jira/jira_fields.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

ferry::v1::FieldWrite Write(const std::string& field, ferry::v1::FieldValue value) {
  ferry::v1::FieldWrite write;
  write.set_target_field(field);
  write.set_source_field("source");
  *write.mutable_value() = std::move(value);
  return write;
}

ferry::v1::FieldValue Text(const std::string& text) {
  ferry::v1::FieldValue value;
  value.set_text(text);
  return value;
}

TEST(JiraFieldsTest, ParsesJiraTimestampsInAnyOffset) {
  auto utc = ParseJiraTime("2024-05-01T00:15:00.123+0000");
  auto sydney = ParseJiraTime("2024-05-01T10:15:00.123+1000");
  ASSERT_TRUE(utc.ok() && sydney.ok());
  EXPECT_EQ(*utc, *sydney);
  EXPECT_EQ(absl::ToUnixMillis(*utc) % 1000, 123);
  EXPECT_THAT(ParseJiraTime("May 1st").status().message(), HasSubstr("'May 1st'"));
}

TEST(JiraFieldsTest, IssueBecomesAnEntityWithJiraFieldNames) {
  json issue = json::parse(R"({
    "id": "10042", "key": "OPS-7", "self": "https://jira.example.com/rest/api/2/issue/10042",
    "fields": {
      "summary": "Disk full", "labels": ["sev1", "disk"],
      "status": {"id": "3", "name": "In Progress"},
      "priority": {"id": "2", "name": "High"},
      "issuetype": {"id": "10002", "name": "Incident"},
      "project": {"id": "10000", "key": "OPS"},
      "assignee": null,
      "reporter": {"key": "JIRAUSER1", "name": "alice", "displayName": "Alice",
                   "emailAddress": "alice@example.com"},
      "created": "2024-05-01T00:00:00.000+0000",
      "updated": "2024-05-01T00:15:00.000+0000",
      "customfield_10010": "PABC123", "customfield_10020": 3.5,
      "customfield_10030": {"id": "7", "value": "EMEA"},
      "comment": {"comments": [{"id": "1", "author": {"key": "JIRAUSER1"},
                                "body": "h1. Hi", "created": "2024-05-01T00:05:00.000+0000",
                                "updated": "2024-05-01T00:05:00.000+0000"}]}}})");
  auto entity = EntityFromIssue(issue, "jira-dc", /*cloud=*/false);
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->system(), "jira-dc");
  EXPECT_EQ(entity->project(), "OPS");
  EXPECT_EQ(entity->type(), "Incident");
  EXPECT_EQ(entity->id(), "10042");
  EXPECT_EQ(entity->display_key(), "OPS-7");
  EXPECT_EQ(entity->url(), "https://jira.example.com/browse/OPS-7");
  const auto& f = entity->fields();
  EXPECT_EQ(f.at("summary").text(), "Disk full");
  EXPECT_EQ(f.at("labels").text(), "sev1 disk");
  EXPECT_EQ(f.at("status").lookup().name(), "In Progress");
  EXPECT_EQ(f.at("status").lookup().id(), "3");
  EXPECT_EQ(f.at("priority").lookup().name(), "High");
  EXPECT_EQ(f.at("reporter").user().id(), "JIRAUSER1");
  EXPECT_EQ(f.count("assignee"), 0u);
  EXPECT_EQ(f.at("customfield_10010").text(), "PABC123");
  EXPECT_EQ(f.at("customfield_10020").number(), 3.5);
  EXPECT_EQ(f.at("customfield_10030").lookup().name(), "EMEA");
  EXPECT_EQ(f.at("key").text(), "OPS-7");
  EXPECT_EQ(entity->updated_at().seconds(), 1714522500);
  ASSERT_EQ(entity->comments_size(), 1);
  EXPECT_EQ(entity->comments(0).format(), ferry::v1::TEXT_FORMAT_MARKDOWN);
  EXPECT_TRUE(entity->comments_complete());
}

// A system field in a shape Jira never gives it (a broken proxy, a
// plugin) is an error naming the issue and the field: read as an empty
// value, it would be synced to the other side as a cleared field.
TEST(JiraFieldsTest, SystemFieldsOfTheWrongShapeAreErrorsNamingThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("status": "Open")", "fields.status"},
      {R"("status": {"name": "Open"})", "fields.status.id"},
      {R"("priority": {"id": 2, "name": "High"})", "fields.priority.id"},
      {R"("project": ["OPS"])", "fields.project"},
      {R"("assignee": "alice")", "fields.assignee"},
      {R"("reporter": {"displayName": 7})", "fields.reporter.displayName"},
      {R"("summary": 12)", "fields.summary"},
      {R"("updated": "yesterday")", "fields.updated"},
      {R"("labels": "sev1")", "fields.labels"},
      {R"("labels": ["sev1", 2])", "fields.labels[1]"},
      {R"("description": 5)", "fields.description"},
  };
  for (const auto& [field, named] : cases) {
    const json issue = json::parse(absl::StrCat(R"({"id": "10042", "key": "OPS-7", "fields": {)",
                                                field, "}}"));
    for (bool cloud : {false, true}) {
      auto entity = EntityFromIssue(issue, "jira", cloud);
      EXPECT_TRUE(absl::IsUnavailable(entity.status())) << field << ": " << entity.status();
      EXPECT_THAT(entity.status().message(), HasSubstr("jira issue 10042")) << field;
      EXPECT_THAT(entity.status().message(), HasSubstr(named)) << field;
    }
  }
  // Null system fields and custom fields of any shape are no error.
  const json fine = json::parse(R"({"id": "1", "fields": {"status": null, "assignee": null,
      "description": {"type": "doc", "version": 1, "content": []},
      "customfield_1": [1, {"a": true}], "customfield_2": false}})");
  EXPECT_TRUE(EntityFromIssue(fine, "jira", true).ok());
}

TEST(JiraFieldsTest, ChangelogItemsBecomeFieldChanges) {
  json item = {{"field", "status"}, {"fieldId", "status"}, {"from", "1"},
               {"fromString", "Open"}, {"to", "3"}, {"toString", "In Progress"}};
  ferry::v1::UserRef alice;
  alice.set_id("a");
  auto change = FieldChangeFromItem(item, alice, absl::FromUnixSeconds(100));
  EXPECT_EQ(change.field(), "status");
  EXPECT_EQ(change.old_value().lookup().name(), "Open");
  EXPECT_EQ(change.new_value().lookup().id(), "3");
  EXPECT_EQ(change.changed_by().id(), "a");
  EXPECT_EQ(change.changed_at().seconds(), 100);

  json cleared = {{"field", "Summary"}, {"from", nullptr}, {"fromString", "Old"},
                  {"to", nullptr}, {"toString", nullptr}};
  auto text = FieldChangeFromItem(cleared, alice, absl::FromUnixSeconds(1));
  EXPECT_EQ(text.field(), "summary");
  EXPECT_EQ(text.old_value().text(), "Old");
  EXPECT_FALSE(text.has_new_value());
}

TEST(JiraFieldsTest, WritesPerDeployment) {
  EXPECT_EQ(*FieldJson(Write("description", Text("a\nb")), false), json("a\nb"));
  EXPECT_EQ((*FieldJson(Write("description", Text("a")), true))["type"], "doc");
  // Plain text from PagerDuty stays literal on Cloud: no wiki markup read
  // into it.
  EXPECT_EQ(*FieldJson(Write("description", Text("2 *3* [a|https://b]")), true),
            json::parse(R"({"type":"doc","version":1,"content":[{"type":"paragraph",
              "content":[{"type":"text","text":"2 *3* [a|https://b]"}]}]})"));
  EXPECT_EQ(*FieldJson(Write("labels", Text("x  y")), true), json({"x", "y"}));
  EXPECT_EQ(*FieldJson(Write("labels", {}), true), json::array());
  ferry::v1::FieldValue high;
  high.mutable_lookup()->set_name("High");
  EXPECT_EQ(*FieldJson(Write("priority", high), true), json({{"name", "High"}}));
  EXPECT_EQ(*FieldJson(Write("customfield_10030", high), true), json({{"value", "High"}}));
  ferry::v1::FieldValue user;
  user.mutable_user()->set_id("u1");
  EXPECT_EQ(*FieldJson(Write("assignee", user), true), json({{"accountId", "u1"}}));
  EXPECT_TRUE(FieldJson(Write("summary", {}), false)->is_null());
  auto wrong = FieldJson(Write("priority", Text("High")), false);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(wrong.status().message(), HasSubstr("'priority'"));
}

}  // namespace
}  // namespace ferry::jira
