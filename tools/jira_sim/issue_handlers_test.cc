// Issue create, get, edit (v2 and v3), changelog and moved keys.
#include "gtest/gtest.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

json NewTask(const std::string& summary) {
  return {{"fields",
           {{"project", {{"key", "OPS"}}},
            {"issuetype", {{"name", "Task"}}},
            {"summary", summary}}}};
}

TEST(IssueHandlersTest, CreateThenGetByKeyAndId) {
  TestJira jira(Dialect::kDataCenter);
  json body = NewTask("Disk full");
  body["fields"]["description"] = "Host *backup-1*";
  body["fields"]["customfield_10010"] = "PDEF456";
  body["properties"] = {{{"key", "ferry.link"}, {"value", {{"pd", "PDEF456"}}}}};
  auto created = jira.Post("/rest/api/2/issue", body);
  ASSERT_EQ(created->status, 201) << created->body;
  json ref = Body(created);
  EXPECT_EQ(ref["key"], "OPS-3");
  EXPECT_EQ(ref["id"], "10003");
  EXPECT_EQ(ref["self"], "http://127.0.0.1:" + std::to_string(jira.port()) +
                             "/rest/api/2/issue/10003");

  json by_key = Body(jira.Get("/rest/api/2/issue/ops-3?properties=*all"));
  json by_id = Body(jira.Get("/rest/api/2/issue/10003"));
  EXPECT_EQ(by_key["id"], "10003");
  EXPECT_EQ(by_id["key"], "OPS-3");
  EXPECT_EQ(by_key["fields"]["status"]["name"], "Open");
  EXPECT_EQ(by_key["fields"]["description"], "Host *backup-1*");
  EXPECT_EQ(by_key["fields"]["customfield_10010"], "PDEF456");
  EXPECT_EQ(by_key["fields"]["reporter"]["name"], "ferry");
  EXPECT_EQ(by_key["properties"]["ferry.link"]["pd"], "PDEF456");
  EXPECT_EQ(by_key["fields"]["created"], by_key["fields"]["updated"]);
}

TEST(IssueHandlersTest, CreateValidation) {
  TestJira jira(Dialect::kDataCenter);
  json no_summary = NewTask("x");
  no_summary["fields"].erase("summary");
  auto res = jira.Post("/rest/api/2/issue", no_summary);
  ASSERT_EQ(res->status, 400);
  EXPECT_EQ(Body(res)["errors"]["summary"],
            "You must specify a summary of the issue.");
  json bad_project = NewTask("x");
  bad_project["fields"]["project"] = {{"key", "NOPE"}};
  EXPECT_EQ(Body(jira.Post("/rest/api/2/issue", bad_project))["errors"]["project"],
            "Specify a valid project ID or key");
  json bad_type = NewTask("x");
  bad_type["fields"]["issuetype"] = {{"name", "Incident"}};
  bad_type["fields"]["project"] = {{"key", "WEB"}};
  EXPECT_EQ(Body(jira.Post("/rest/api/2/issue", bad_type))["errors"]["issuetype"],
            "Specify a valid issue type");
  json reporter = NewTask("x");
  reporter["fields"]["reporter"] = {{"name", "alice"}};
  EXPECT_EQ(Body(jira.Post("/rest/api/2/issue", reporter))["errors"]["reporter"],
            "Field 'reporter' cannot be set. It is not on the appropriate "
            "screen, or unknown.");
  auto forbidden = jira.Post("/rest/api/2/issue", NewTask("x"), "viewer");
  EXPECT_EQ(forbidden->status, 403);
}

TEST(IssueHandlersTest, UnknownIssueIs404WithJirasMessage) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.Get("/rest/api/2/issue/OPS-999");
  ASSERT_EQ(res->status, 404);
  EXPECT_EQ(Body(res)["errorMessages"][0],
            "Issue does not exist or you do not have permission to see it.");
}

TEST(IssueHandlersTest, EditBumpsUpdatedAndKeepsHistoryMetadata) {
  TestJira jira(Dialect::kDataCenter);
  std::string before = Body(jira.Get("/rest/api/2/issue/OPS-2"))["fields"]["updated"];
  json edit = {{"fields", {{"summary", "Rotate all backup keys"},
                           {"priority", {{"name", "High"}}}}},
               {"update", {{"labels", {{{"add", "security"}}}}}},
               {"historyMetadata", {{"type", "ferry"}, {"actor", {{"id", "pd"}}}}}};
  auto res = jira.Put("/rest/api/2/issue/OPS-2", edit);
  ASSERT_EQ(res->status, 204) << res->body;
  EXPECT_TRUE(res->body.empty());
  json issue = Body(jira.Get("/rest/api/2/issue/OPS-2?expand=changelog"));
  EXPECT_EQ(issue["fields"]["summary"], "Rotate all backup keys");
  EXPECT_EQ(issue["fields"]["labels"], json({"security"}));
  EXPECT_NE(issue["fields"]["updated"], before);
  json history = issue["changelog"]["histories"][0];
  EXPECT_EQ(history["historyMetadata"]["type"], "ferry");
  EXPECT_EQ(history["author"]["name"], "ferry");
  ASSERT_EQ(history["items"].size(), 3u);
  EXPECT_EQ(history["items"][1]["field"], "priority");
  EXPECT_EQ(history["items"][1]["fromString"], "Low");
  EXPECT_EQ(history["items"][1]["to"], "2");
}

TEST(IssueHandlersTest, EditRefusals) {
  TestJira jira(Dialect::kDataCenter);
  auto status = jira.Put("/rest/api/2/issue/OPS-1",
                         {{"fields", {{"status", {{"name", "Done"}}}}}});
  ASSERT_EQ(status->status, 400);
  EXPECT_EQ(Body(status),
            json::parse(R"({"errorMessages":[],"errors":{"status":
              "Field 'status' cannot be set. It is not on the appropriate screen, or unknown."}})"));
  auto empty = jira.Put("/rest/api/2/issue/OPS-1", json::object());
  EXPECT_EQ(Body(empty)["errorMessages"][0], "one of 'fields' or 'update' required");
  auto web = jira.Put("/rest/api/2/issue/WEB-1",
                      {{"fields", {{"customfield_10010", "x"}}}});
  EXPECT_EQ(Body(web)["errors"]["customfield_10010"],
            "Field 'customfield_10010' cannot be set. It is not on the "
            "appropriate screen, or unknown.");
  EXPECT_EQ(jira.Put("/rest/api/2/issue/OPS-1", {{"fields", {{"summary", "x"}}}},
                     "viewer")->status,
            403);
}

TEST(IssueHandlersTest, NoChangeNoHistoryNoBump) {
  TestJira jira(Dialect::kDataCenter);
  json before = Body(jira.Get("/rest/api/2/issue/OPS-2?expand=changelog"));
  ASSERT_EQ(jira.Put("/rest/api/2/issue/OPS-2",
                     {{"fields", {{"summary", "Rotate backup keys"}}}})->status,
            204);
  json after = Body(jira.Get("/rest/api/2/issue/OPS-2?expand=changelog"));
  EXPECT_EQ(after["fields"]["updated"], before["fields"]["updated"]);
  EXPECT_EQ(after["changelog"]["total"], 0);
}

// expand=changelog is newest first on Cloud and oldest first on Data
// Center; Cloud and searches give the newest 100, Data Center's GET /issue
// the whole history.
TEST(IssueHandlersTest, ExpandChangelogOrderAndCapPerDialect) {
  for (Dialect dialect : {Dialect::kDataCenter, Dialect::kCloud}) {
    TestJira jira(dialect);
    for (int i = 0; i < 105; ++i) {
      ASSERT_EQ(jira.Put("/rest/api/2/issue/OPS-2",
                         {{"fields", {{"summary", "edit " + std::to_string(i)}}}})
                    ->status,
                204);
    }
    const bool dc = dialect == Dialect::kDataCenter;
    json log = Body(jira.Get("/rest/api/2/issue/OPS-2?expand=changelog"))["changelog"];
    EXPECT_EQ(log["total"], 105);
    ASSERT_EQ(log["histories"].size(), dc ? 105u : 100u);
    if (dc) {
      EXPECT_EQ(log["histories"][0]["items"][0]["toString"], "edit 0");
      EXPECT_EQ(log["histories"][104]["items"][0]["toString"], "edit 104");
    } else {
      EXPECT_EQ(log["histories"][0]["items"][0]["toString"], "edit 104");
      EXPECT_EQ(log["histories"][99]["items"][0]["toString"], "edit 5");
    }
    json found = Body(jira.Get(std::string("/rest/api/2/") +
                               (dc ? "search" : "search/jql") +
                               "?jql=key%3DOPS-2&expand=changelog&fields=summary"));
    ASSERT_EQ(found["issues"].size(), 1u) << found.dump();
    const json& searched = found["issues"][0]["changelog"]["histories"];
    ASSERT_EQ(searched.size(), 100u);
    EXPECT_EQ(searched[0]["items"][0]["toString"], dc ? "edit 5" : "edit 104");
    EXPECT_EQ(searched[99]["items"][0]["toString"], dc ? "edit 104" : "edit 5");
  }
}

TEST(IssueHandlersTest, CloudChangelogEndpointIsOldestFirstAndPaged) {
  TestJira jira(Dialect::kCloud);
  for (const char* s : {"one", "two", "three"}) {
    ASSERT_EQ(jira.Put("/rest/api/3/issue/OPS-2", {{"fields", {{"summary", s}}}})->status,
              204);
  }
  json page = Body(jira.Get("/rest/api/3/issue/OPS-2/changelog?maxResults=2"));
  EXPECT_EQ(page["total"], 3);
  EXPECT_EQ(page["isLast"], false);
  EXPECT_EQ(page["values"][0]["items"][0]["toString"], "one");
  EXPECT_EQ(page["values"][0]["author"]["accountId"], "5b10ac8d82e05b22cc7d4ef5");
  EXPECT_TRUE(page.contains("nextPage"));
  json last = Body(jira.Get("/rest/api/3/issue/OPS-2/changelog?startAt=2"));
  EXPECT_EQ(last["isLast"], true);
  EXPECT_EQ(last["values"][0]["items"][0]["toString"], "three");
  TestJira dc(Dialect::kDataCenter);
  EXPECT_EQ(dc.Get("/rest/api/2/issue/OPS-2/changelog")->status, 404);
}

TEST(IssueHandlersTest, RichTextIsWikiOnV2AndAdfOnV3) {
  TestJira jira(Dialect::kCloud);
  json adf = json::parse(R"({"type":"doc","version":1,"content":[
      {"type":"paragraph","content":[{"type":"text","text":"Hello "},
       {"type":"text","text":"world","marks":[{"type":"strong"}]}]}]})");
  json body = NewTask("ADF");
  body["fields"]["description"] = adf;
  body["fields"]["customfield_10011"] = adf;
  ASSERT_EQ(jira.Post("/rest/api/3/issue", body)->status, 201);
  json v2 = Body(jira.Get("/rest/api/2/issue/OPS-3"));
  EXPECT_EQ(v2["fields"]["description"], "Hello *world*");
  EXPECT_EQ(v2["fields"]["customfield_10011"], "Hello *world*");
  json v3 = Body(jira.Get("/rest/api/3/issue/OPS-3"));
  EXPECT_EQ(v3["fields"]["description"], adf);

  json string_on_v3 = NewTask("x");
  string_on_v3["fields"]["description"] = "plain";
  auto refused = jira.Post("/rest/api/3/issue", string_on_v3);
  ASSERT_EQ(refused->status, 400);
  EXPECT_EQ(Body(refused)["errors"]["description"],
            "Operation value must be an Atlassian Document (see the Atlassian "
            "Document Format)");
  json adf_on_v2 = NewTask("x");
  adf_on_v2["fields"]["description"] = adf;
  EXPECT_EQ(Body(jira.Post("/rest/api/2/issue", adf_on_v2))["errors"]["description"],
            "Operation value must be a string");
}

TEST(IssueHandlersTest, MovedKeysStillResolve) {
  TestJira jira(Dialect::kDataCenter);
  auto moved = jira.Post("/admin/jira/issues/OPS-2/move", {{"project", "WEB"}}, "");
  ASSERT_EQ(moved->status, 200) << moved->body;
  EXPECT_EQ(Body(moved)["key"], "WEB-2");
  json issue = Body(jira.Get("/rest/api/2/issue/OPS-2"));
  EXPECT_EQ(issue["key"], "WEB-2");
  EXPECT_EQ(issue["fields"]["project"]["key"], "WEB");
}

}  // namespace
}  // namespace ferry::jira_sim
