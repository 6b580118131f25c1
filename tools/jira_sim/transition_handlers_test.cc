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


// Both dialects, on the fixture's TRI project: Open -> Triage -> Working ->
// Done, whose "Resolve" screen asks for a Resolution (required) and, for
// Incidents, a required "Root cause" (customfield_10012).
class ScreenTest : public ::testing::TestWithParam<Dialect> {
 protected:
  std::string Api() const {
    return GetParam() == Dialect::kCloud ? "/rest/api/3" : "/rest/api/2";
  }
  // Creates a TRI issue of `type` and moves it to Working.
  std::string WorkingIssue(const std::string& type) {
    json created = Body(jira_.Post(
        Api() + "/issue",
        {{"fields", {{"project", {{"key", "TRI"}}},
                     {"issuetype", {{"name", type}}},
                     {"summary", "Disk full"}}}}));
    const std::string key = created["key"];
    for (const char* id : {"11", "21"}) {
      EXPECT_EQ(Move(key, {{"transition", {{"id", id}}}})->status, 204);
    }
    return key;
  }
  httplib::Result Move(const std::string& key, const json& body) {
    return jira_.Post(Api() + "/issue/" + key + "/transitions", body);
  }
  json Fields(const std::string& key) {
    return Body(jira_.Get(Api() + "/issue/" + key))["fields"];
  }

  TestJira jira_{GetParam()};
};

TEST_P(ScreenTest, ExpandShowsTheScreenWithRequiredAndAllowedValues) {
  const std::string key = WorkingIssue("Incident");
  json plain = Body(jira_.Get(Api() + "/issue/" + key + "/transitions"));
  ASSERT_EQ(plain["transitions"].size(), 1u);
  EXPECT_EQ(plain["transitions"][0]["hasScreen"], true);
  EXPECT_FALSE(plain["transitions"][0].contains("fields"));
  json listed = Body(jira_.Get(Api() + "/issue/" + key +
                               "/transitions?expand=transitions.fields"));
  const json& fields = listed["transitions"][0]["fields"];
  EXPECT_EQ(fields["resolution"]["required"], true);
  EXPECT_EQ(fields["resolution"]["name"], "Resolution");
  EXPECT_EQ(fields["resolution"]["schema"]["system"], "resolution");
  ASSERT_EQ(fields["resolution"]["allowedValues"].size(), 3u);
  EXPECT_EQ(fields["resolution"]["allowedValues"][0]["name"], "Done");
  EXPECT_EQ(fields["customfield_10012"]["required"], true);
  EXPECT_EQ(fields["customfield_10012"]["name"], "Root cause");
  EXPECT_EQ(fields["customfield_10012"]["schema"]["type"], "string");
  // The same expand on GET /issue.
  json issue = Body(jira_.Get(Api() + "/issue/" + key +
                              "?fields=status&expand=transitions.fields"));
  EXPECT_EQ(issue["transitions"][0]["fields"], fields);
}

TEST_P(ScreenTest, MissingRequiredFieldsAreRefusedTogether) {
  const std::string key = WorkingIssue("Incident");
  auto refused = Move(key, {{"transition", {{"id", "31"}}}});
  ASSERT_EQ(refused->status, 400);
  EXPECT_EQ(Body(refused)["errors"],
            json({{"resolution", "Resolution is required."},
                  {"customfield_10012", "Root cause is required."}}));
  EXPECT_EQ(Body(refused)["errorMessages"], json::array());
  auto half = Move(key, {{"transition", {{"id", "31"}}},
                         {"fields", {{"resolution", {{"name", "Done"}}}}}});
  ASSERT_EQ(half->status, 400);
  EXPECT_EQ(Body(half)["errors"],
            json({{"customfield_10012", "Root cause is required."}}));
  auto bad = Move(key, {{"transition", {{"id", "31"}}},
                        {"fields", {{"resolution", {{"name", "Fixed"}}},
                                    {"customfield_10012", "disk"},
                                    {"priority", {{"name", "High"}}}}}});
  ASSERT_EQ(bad->status, 400);
  EXPECT_TRUE(Body(bad)["errors"].contains("resolution"));
  EXPECT_EQ(Body(bad)["errors"]["priority"],
            "Field 'priority' cannot be set. It is not on the appropriate "
            "screen, or unknown.");
  EXPECT_EQ(Fields(key)["status"]["name"], "Working");
}

TEST_P(ScreenTest, ResolutionIsSetOnTheWayToDoneAndClearedOnReopen) {
  const std::string key = WorkingIssue("Incident");
  auto done = Move(key, {{"transition", {{"id", "31"}}},
                         {"fields", {{"resolution", {{"name", "Won't Do"}}},
                                     {"customfield_10012", "disk"}}},
                         {"historyMetadata", {{"type", "ferry"}}}});
  ASSERT_EQ(done->status, 204) << done->body;
  json fields = Fields(key);
  EXPECT_EQ(fields["status"]["name"], "Done");
  EXPECT_EQ(fields["resolution"]["name"], "Won't Do");
  EXPECT_EQ(fields["resolution"]["id"], "10001");
  EXPECT_EQ(fields["customfield_10012"], "disk");
  // The entry of the move to Done (the order of histories differs by
  // deployment).
  const json read = Body(jira_.Get(Api() + "/issue/" + key + "?expand=changelog"));
  json history;
  for (const json& h : read["changelog"]["histories"]) {
    for (const json& item : h["items"]) {
      if (item["field"] == "status" && item["toString"] == "Done") history = h;
    }
  }
  std::vector<std::string> changed;
  for (const json& item : history["items"]) changed.push_back(item["field"]);
  EXPECT_EQ(changed, (std::vector<std::string>{"status", "Root cause", "resolution"}));
  EXPECT_EQ(history["items"][2]["toString"], "Won't Do");
  ASSERT_EQ(Move(key, {{"transition", {{"id", "41"}}}})->status, 204);
  EXPECT_TRUE(Fields(key)["resolution"].is_null());
  // A required field the issue already holds need not be given again.
  ASSERT_EQ(Move(key, {{"transition", {{"id", "11"}}}})->status, 204);
  ASSERT_EQ(Move(key, {{"transition", {{"id", "21"}}}})->status, 204);
  EXPECT_EQ(Move(key, {{"transition", {{"id", "31"}}},
                       {"fields", {{"resolution", {{"id", "10000"}}}}}})
                ->status,
            204);
  EXPECT_EQ(Fields(key)["resolution"]["name"], "Done");
}

INSTANTIATE_TEST_SUITE_P(Dialects, ScreenTest,
                         ::testing::Values(Dialect::kDataCenter, Dialect::kCloud));

TEST(TransitionHandlersTest, WorkflowsAreForAdministratorsOnly) {
  TestJira cloud(Dialect::kCloud);
  auto refused = cloud.Get("/rest/api/3/workflow/search?expand=transitions");
  ASSERT_EQ(refused->status, 403);
  EXPECT_EQ(Body(refused), json::parse(R"({"errorMessages":
      ["Only Jira administrators can access workflows."],"errors":{}})"));
  json page = Body(cloud.Get(
      "/rest/api/3/workflow/search?workflowName=triage&expand=transitions,statuses",
      "alice"));
  EXPECT_EQ(page["total"], 1);
  EXPECT_EQ(page["isLast"], true);
  const json& triage = page["values"][0];
  EXPECT_EQ(triage["id"]["name"], "triage");
  ASSERT_EQ(triage["transitions"].size(), 4u);
  EXPECT_EQ(triage["transitions"][2],
            json::parse(R"({"id":"31","name":"Resolve","description":"","from":["10003"],
                "to":"10001","type":"directed",
                "screen":{"id":"sim-31","name":"Resolve screen"}})"));
  EXPECT_EQ(triage["statuses"].size(), 4u);
  TestJira dc(Dialect::kDataCenter);
  EXPECT_EQ(dc.Get("/rest/api/2/workflow/search", "alice")->status, 404);
}

}  // namespace
}  // namespace ferry::jira_sim
