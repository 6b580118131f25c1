// Workflow transitions through HTTP.
#include "gtest/gtest.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

std::vector<std::string> Names(const json& transitions) {
  std::vector<std::string> names;
  for (const json& t : transitions["transitions"]) names.push_back(t["name"]);
  return names;
}

TEST(TransitionHandlersTest, OnlyTransitionsFromTheCurrentStatus) {
  TestJira jira(Dialect::kDataCenter);
  json from_open = Body(jira.Get("/rest/api/2/issue/OPS-1/transitions"));
  EXPECT_EQ(Names(from_open),
            (std::vector<std::string>{"Acknowledge", "Start Progress", "Resolve"}));
  EXPECT_EQ(from_open["transitions"][0]["to"]["name"], "Acknowledged");
  ASSERT_EQ(jira.Post("/rest/api/2/issue/OPS-1/transitions",
                      {{"transition", {{"id", 11}}}, {"fields", json::object()}})
                ->status,
            204);
  EXPECT_EQ(Names(Body(jira.Get("/rest/api/2/issue/OPS-1/transitions"))),
            (std::vector<std::string>{"Start Progress", "Resolve"}));
  // Task uses the "simple" workflow: its global Done is offered everywhere.
  EXPECT_EQ(Names(Body(jira.Get("/rest/api/2/issue/OPS-2/transitions"))),
            (std::vector<std::string>{"Start Progress", "Done"}));
}

TEST(TransitionHandlersTest, StringIdsStatusChangelogAndUpdated) {
  TestJira jira(Dialect::kDataCenter);
  std::string before = Body(jira.Get("/rest/api/2/issue/OPS-1"))["fields"]["updated"];
  auto res = jira.Post("/rest/api/2/issue/OPS-1/transitions",
                       {{"transition", {{"id", "31"}}},
                        {"update", {{"comment", {{{"add", {{"body", "Fixed."}}}}}}}},
                        {"historyMetadata", {{"type", "ferry"}}}});
  ASSERT_EQ(res->status, 204) << res->body;
  json issue = Body(jira.Get("/rest/api/2/issue/OPS-1?expand=changelog"));
  EXPECT_EQ(issue["fields"]["status"]["name"], "Done");
  EXPECT_NE(issue["fields"]["updated"], before);
  json item = issue["changelog"]["histories"][0]["items"][0];
  EXPECT_EQ(item, json::parse(R"({"field":"status","fieldtype":"jira","fieldId":"status",
      "from":"1","fromString":"Open","to":"10001","toString":"Done"})"));
  EXPECT_EQ(issue["changelog"]["histories"][0]["historyMetadata"]["type"], "ferry");
  EXPECT_EQ(issue["fields"]["comment"]["comments"][1]["body"], "Fixed.");
}

TEST(TransitionHandlersTest, InvalidFromCurrentStatusIsJirasMessage) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.Post("/rest/api/2/issue/OPS-1/transitions",
                       {{"transition", {{"id", "41"}}}});
  ASSERT_EQ(res->status, 400);
  EXPECT_EQ(Body(res)["errorMessages"][0],
            "It seems that you have tried to perform a workflow operation "
            "(Reopen) that is not valid for the current state of this issue "
            "(OPS-1). The likely cause is that somebody has changed the issue "
            "recently, please look at the issue history for details.");
  auto unknown = jira.Post("/rest/api/2/issue/OPS-1/transitions",
                           {{"transition", {{"id", "999"}}}});
  EXPECT_EQ(Body(unknown)["errorMessages"][0],
            "Transition id '999' is not valid for this issue.");
  auto missing = jira.Post("/rest/api/2/issue/OPS-1/transitions", json::object());
  EXPECT_EQ(missing->status, 400);
}

TEST(TransitionHandlersTest, FieldsOnAScreenlessTransitionAreRefused) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.Post("/rest/api/2/issue/OPS-1/transitions",
                       {{"transition", {{"id", "31"}}},
                        {"fields", {{"resolution", {{"name", "Fixed"}}}}}});
  ASSERT_EQ(res->status, 400);
  EXPECT_EQ(Body(res)["errors"]["resolution"],
            "Field 'resolution' cannot be set. It is not on the appropriate "
            "screen, or unknown.");
  EXPECT_EQ(Body(jira.Get("/rest/api/2/issue/OPS-1"))["fields"]["status"]["name"],
            "Open");
}

TEST(TransitionHandlersTest, UserWithoutTransitionRightSeesNone) {
  TestJira jira(Dialect::kDataCenter);
  json none = Body(jira.Get("/rest/api/2/issue/OPS-1/transitions", "viewer"));
  EXPECT_TRUE(none["transitions"].empty());
  EXPECT_EQ(jira.Post("/rest/api/2/issue/OPS-1/transitions",
                      {{"transition", {{"id", "11"}}}}, "viewer")
                ->status,
            400);
}

TEST(TransitionHandlersTest, TransitionIdFilter) {
  TestJira jira(Dialect::kCloud);
  json one = Body(jira.Get("/rest/api/3/issue/OPS-1/transitions?transitionId=21"));
  EXPECT_EQ(Names(one), (std::vector<std::string>{"Start Progress"}));
}

}  // namespace
}  // namespace ferry::jira_sim
