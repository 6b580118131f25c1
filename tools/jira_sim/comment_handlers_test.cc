// Comments through HTTP: paging, add, edit, delete, rights, rich text,
// properties.
#include "gtest/gtest.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

TEST(CommentHandlersTest, AddBumpsUpdatedAndReturnsTheComment) {
  TestJira jira(Dialect::kDataCenter);
  jira.simulator().server().clock().Advance(absl::Seconds(5));
  std::string before = Body(jira.Get("/rest/api/2/issue/OPS-2"))["fields"]["updated"];
  auto res = jira.Post("/rest/api/2/issue/OPS-2/comment", {{"body", "Keys rotated."}});
  ASSERT_EQ(res->status, 201) << res->body;
  json comment = Body(res);
  EXPECT_EQ(comment["body"], "Keys rotated.");
  EXPECT_EQ(comment["author"]["name"], "ferry");
  EXPECT_EQ(comment["created"], comment["updated"]);
  json issue = Body(jira.Get("/rest/api/2/issue/OPS-2"));
  EXPECT_NE(issue["fields"]["updated"], before);
  EXPECT_EQ(issue["fields"]["updated"], comment["created"]);
}

// Both REST versions take `properties` on create and show them only with
// expand=properties; a property without a key is refused and adds nothing.
TEST(CommentHandlersTest, PropertiesSetOnCreateShownOnExpand) {
  for (Dialect dialect : {Dialect::kDataCenter, Dialect::kCloud}) {
    TestJira jira(dialect);
    const std::string version = dialect == Dialect::kCloud ? "3" : "2";
    const std::string comments = "/rest/api/" + version + "/issue/OPS-2/comment";
    const json body = dialect == Dialect::kCloud
                          ? json{{"type", "doc"}, {"version", 1},
                                 {"content", {{{"type", "paragraph"},
                                               {"content", {{{"type", "text"}, {"text", "Done."}}}}}}}}
                          : json("Done.");
    const json property = {{"key", "ferry.origin"}, {"value", {{"origin", "o1"}}}};
    auto added = jira.Post(comments, {{"body", body}, {"properties", {property}}});
    ASSERT_EQ(added->status, 201) << added->body;
    EXPECT_FALSE(Body(added).contains("properties"));
    const std::string id = Body(added)["id"];

    json plain = Body(jira.Get(comments));
    EXPECT_FALSE(plain["comments"].back().contains("properties"));
    json expanded = Body(jira.Get(comments + "?expand=renderedBody,properties"));
    EXPECT_EQ(expanded["comments"].back()["properties"], json::array({property}));
    json one = Body(jira.Get(comments + "/" + id + "?expand=properties"));
    EXPECT_EQ(one["properties"], json::array({property}));
    const std::string by_id = "/rest/api/" + version + "/comment/" + id + "/properties/";
    EXPECT_EQ(Body(jira.Get(by_id + "ferry.origin")), property);
    EXPECT_EQ(jira.Get(by_id + "other")->status, 404);
    EXPECT_EQ(jira.Get("/rest/api/" + version + "/comment/999999/properties/ferry.origin")->status,
              404);

    const int before = Body(jira.Get(comments))["total"];
    auto refused = jira.Post(comments, {{"body", body},
                                        {"properties", {{{"value", 1}}}}});
    EXPECT_EQ(refused->status, 400) << refused->body;
    EXPECT_EQ(Body(jira.Get(comments))["total"], before);
  }
}

TEST(CommentHandlersTest, PagedListWithTotal) {
  TestJira jira(Dialect::kDataCenter);
  for (const char* body : {"two", "three"}) {
    ASSERT_EQ(jira.Post("/rest/api/2/issue/OPS-1/comment", {{"body", body}})->status, 201);
  }
  json page = Body(jira.Get("/rest/api/2/issue/OPS-1/comment?startAt=1&maxResults=1"));
  EXPECT_EQ(page["startAt"], 1);
  EXPECT_EQ(page["maxResults"], 1);
  EXPECT_EQ(page["total"], 3);
  ASSERT_EQ(page["comments"].size(), 1u);
  EXPECT_EQ(page["comments"][0]["body"], "two");
  json newest = Body(jira.Get("/rest/api/2/issue/OPS-1/comment?orderBy=-created"));
  EXPECT_EQ(newest["comments"][0]["body"], "three");
  EXPECT_EQ(newest["maxResults"], 50);
}

TEST(CommentHandlersTest, EditAndDelete) {
  TestJira jira(Dialect::kDataCenter);
  json added = Body(jira.Post("/rest/api/2/issue/OPS-2/comment", {{"body", "draft"}}));
  std::string path = "/rest/api/2/issue/OPS-2/comment/" + added["id"].get<std::string>();
  jira.simulator().server().clock().Advance(absl::Seconds(2));
  auto edited = jira.Put(path, {{"body", "final"}});
  ASSERT_EQ(edited->status, 200);
  EXPECT_EQ(Body(edited)["body"], "final");
  EXPECT_NE(Body(edited)["updated"], added["updated"]);
  EXPECT_EQ(Body(jira.Get(path))["body"], "final");
  EXPECT_EQ(jira.Delete(path)->status, 204);
  auto gone = jira.Get(path);
  EXPECT_EQ(gone->status, 404);
}

TEST(CommentHandlersTest, EmptyBodyAndMissingRights) {
  TestJira jira(Dialect::kDataCenter);
  auto empty = jira.Post("/rest/api/2/issue/OPS-2/comment", {{"body", "  "}});
  ASSERT_EQ(empty->status, 400);
  EXPECT_EQ(Body(empty)["errors"]["comment"], "Comment body can not be empty!");
  EXPECT_EQ(jira.Post("/rest/api/2/issue/OPS-2/comment", {{"body", "hi"}}, "viewer")->status,
            403);
  // alice's fixture comment: viewer may neither edit nor delete it.
  json list = Body(jira.Get("/rest/api/2/issue/OPS-1/comment"));
  std::string path =
      "/rest/api/2/issue/OPS-1/comment/" + list["comments"][0]["id"].get<std::string>();
  EXPECT_EQ(jira.Put(path, {{"body", "x"}}, "viewer")->status, 403);
  EXPECT_EQ(jira.Delete(path, "viewer")->status, 403);
}

TEST(CommentHandlersTest, AdfOnV3WikiOnV2) {
  TestJira jira(Dialect::kCloud);
  json adf = json::parse(R"({"type":"doc","version":1,"content":[
      {"type":"paragraph","content":[{"type":"text","text":"Ack","marks":[{"type":"em"}]}]}]})");
  auto res = jira.Post("/rest/api/3/issue/OPS-2/comment", {{"body", adf}});
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(Body(res)["body"], adf);
  EXPECT_EQ(Body(res)["author"]["accountId"], "5b10ac8d82e05b22cc7d4ef5");
  json v2 = Body(jira.Get("/rest/api/2/issue/OPS-2/comment"));
  EXPECT_EQ(v2["comments"][0]["body"], "_Ack_");
  EXPECT_EQ(v2["maxResults"], 100);
  EXPECT_EQ(jira.Post("/rest/api/3/issue/OPS-2/comment", {{"body", "plain"}})->status, 400);
}

// Cloud validates ADF: a document that breaks the schema (an empty text
// node, an unknown node or mark) is 400 INVALID_INPUT, for comments and
// rich-text fields alike, and nothing is written.
TEST(CommentHandlersTest, InvalidAdfIsRefusedAsCloudDoes) {
  TestJira jira(Dialect::kCloud);
  const json invalid_input = json::parse(R"({"errorMessages":["INVALID_INPUT"],"errors":{}})");
  for (const char* bad : {
           R"({"type":"paragraph","content":[{"type":"text","text":""}]})",
           R"({"type":"paragraph","content":[{"type":"text","text":"x","marks":[{"type":"blink"}]}]})",
           R"({"type":"fancyBlock","content":[]})"}) {
    json adf = {{"type", "doc"}, {"version", 1}, {"content", {json::parse(bad)}}};
    auto comment = jira.Post("/rest/api/3/issue/OPS-2/comment", {{"body", adf}});
    ASSERT_EQ(comment->status, 400) << bad;
    EXPECT_EQ(Body(comment), invalid_input) << bad;
    auto edit = jira.Put("/rest/api/3/issue/OPS-2", {{"fields", {{"description", adf}}}});
    ASSERT_EQ(edit->status, 400) << bad;
    EXPECT_EQ(Body(edit), invalid_input) << bad;
  }
  EXPECT_EQ(Body(jira.Get("/rest/api/3/issue/OPS-2/comment"))["total"], 0);
}

// Cloud keeps the ADF it was given: empty paragraphs, which wiki cannot
// hold, come back on v3; a v2 edit replaces the document.
TEST(CommentHandlersTest, V3ReadsGiveTheAdfAsWritten) {
  TestJira jira(Dialect::kCloud);
  json adf = json::parse(R"({"type":"doc","version":1,"content":[
      {"type":"paragraph","content":[{"type":"text","text":"one"}]},
      {"type":"paragraph","content":[]},
      {"type":"paragraph","content":[{"type":"text","text":"two"}]}]})");
  auto res = jira.Post("/rest/api/3/issue/OPS-2/comment", {{"body", adf}});
  ASSERT_EQ(res->status, 201) << res->body;
  json v3 = Body(jira.Get("/rest/api/3/issue/OPS-2/comment"));
  EXPECT_EQ(v3["comments"][0]["body"], adf);
  const std::string path =
      "/rest/api/2/issue/OPS-2/comment/" + v3["comments"][0]["id"].get<std::string>();
  ASSERT_EQ(jira.Put(path, {{"body", "*edited*"}})->status, 200);
  json edited = Body(jira.Get("/rest/api/3/issue/OPS-2/comment"));
  EXPECT_EQ(edited["comments"][0]["body"]["content"][0]["content"][0]["marks"][0]["type"],
            "strong");
}

}  // namespace
}  // namespace ferry::jira_sim
