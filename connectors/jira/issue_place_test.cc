#include "connectors/jira/issue_place.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

json History(const std::string& id, const std::string& created, const std::string& from,
             const std::string& to, const json& metadata = nullptr) {
  json history = {{"id", id},
                  {"created", created},
                  {"items", {{{"field", "status"}, {"fieldId", "status"},
                              {"fromString", from}, {"toString", to}}}}};
  if (!metadata.is_null()) history["historyMetadata"] = metadata;
  return history;
}

json Issue(const std::string& status, const json& histories) {
  return {{"id", "10001"},
          {"key", "OPS-2"},
          {"fields", {{"status", {{"name", status}}},
                      {"project", {{"key", "OPS"}}},
                      {"issuetype", {{"name", "Incident"}}}}},
          {"transitions", {{{"id", "21"}, {"name", "Acknowledge"},
                            {"to", {{"name", "Acknowledged"}}}}}},
          {"changelog", {{"histories", histories}}}};
}

TEST(IssuePlaceTest, ANewIssueIsWhereItWasCreated) {
  auto place = IssuePlaceFromIssue(Issue("Open", json::array()), "ferry", "GET /issue/10001");
  ASSERT_TRUE(place.ok()) << place.status();
  EXPECT_EQ(place->key, "OPS-2");
  EXPECT_EQ(place->project, "OPS");
  EXPECT_EQ(place->type, "Incident");
  EXPECT_EQ(place->status, "Open");
  EXPECT_EQ(place->created_in, "Open");
  EXPECT_FALSE(place->moved_by_others);
  ASSERT_EQ(place->transitions.size(), 1u);
  EXPECT_EQ(place->transitions[0].to_status, "Acknowledged");
}

TEST(IssuePlaceTest, APersonsMoveLeavesTheCreationStatusKnown) {
  // Newest first, as Cloud lists them: Ferry's move, then a person's.
  const json histories = {
      History("3", "2026-12-06T07:00:02.000+0000", "Acknowledged", "In Progress"),
      History("2", "2026-12-06T07:00:01.000+0000", "Open", "Acknowledged",
              {{"type", "ferry"}})};
  auto place = IssuePlaceFromIssue(Issue("In Progress", histories), "ferry", "GET");
  ASSERT_TRUE(place.ok()) << place.status();
  EXPECT_EQ(place->created_in, "Open");
  EXPECT_EQ(place->status, "In Progress");
  EXPECT_TRUE(place->moved_by_others);
}

TEST(IssuePlaceTest, FerrysOwnLastMoveIsNotSomeoneElses) {
  const json histories = {History("2", "2026-12-06T07:00:01.000+0000", "Open", "Acknowledged",
                                  {{"type", "ferry"}})};
  auto place = IssuePlaceFromIssue(Issue("Acknowledged", histories), "ferry", "GET");
  ASSERT_TRUE(place.ok()) << place.status();
  EXPECT_FALSE(place->moved_by_others);
}

TEST(IssuePlaceTest, AnAnswerWithoutAStatusNamesTheMember) {
  json issue = Issue("Open", json::array());
  issue["fields"].erase("status");
  auto place = IssuePlaceFromIssue(issue, "ferry", "jira GET /issue/10001");
  EXPECT_FALSE(place.ok());
  EXPECT_THAT(std::string(place.status().message()), ::testing::HasSubstr("status"));
}

TEST(IssuePlaceTest, StatusNamesCompareWithoutCase) {
  EXPECT_TRUE(SameStatus("In Progress", "in progress"));
  EXPECT_FALSE(SameStatus("Open", "Reopened"));
}

}  // namespace
}  // namespace ferry::jira
