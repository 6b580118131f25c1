// Notes and status updates through HTTP.
#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty_sim {
namespace {

using NotesTest = SimFixture;

TEST_F(NotesTest, CreateListEditDelete) {
  const std::string id = NewIncident("x");
  auto created = Call("POST", "/incidents/" + id + "/notes", "account-full",
                      {{"note", {{"content", "first look"}}}}, "rita@example.com");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;
  auto note = Body(created)["note"];
  const std::string note_id = note["id"];
  EXPECT_EQ(note["content"], "first look");
  EXPECT_EQ(note["user"]["id"], "PRESP01");
  EXPECT_EQ(note["user"]["type"], "user_reference");
  EXPECT_EQ(note["channel"]["summary"], "The PagerDuty website or APIs");
  EXPECT_TRUE(note.contains("created_at"));

  auto listed = Get("/incidents/" + id + "/notes");
  ASSERT_EQ(listed->status, 200);
  auto body = Body(listed);
  EXPECT_EQ(body["notes"].size(), 1u);
  EXPECT_FALSE(body.contains("limit")) << "notes are not paginated";

  auto edited = Call("PUT", "/incidents/" + id + "/notes/" + note_id, "responder-token",
                     {{"note", {{"content", "second look"}}}});
  ASSERT_EQ(edited->status, 200) << edited->body;
  EXPECT_EQ(Body(edited)["note"]["content"], "second look");

  auto deleted = Call("DELETE", "/incidents/" + id + "/notes/" + note_id, "responder-token");
  EXPECT_EQ(deleted->status, 204);
  EXPECT_TRUE(Body(Get("/incidents/" + id + "/notes"))["notes"].empty());
  EXPECT_EQ(Call("DELETE", "/incidents/" + id + "/notes/" + note_id, "responder-token")->status,
            404);
}

TEST_F(NotesTest, ValidationAndMissingIncident) {
  const std::string id = NewIncident("x");
  auto empty = Call("POST", "/incidents/" + id + "/notes", "responder-token",
                    {{"note", {{"content", ""}}}});
  EXPECT_EQ(empty->status, 400);
  EXPECT_NE(empty->body.find("note.content"), std::string::npos);
  auto missing = Call("POST", "/incidents/PNOPE/notes", "responder-token",
                      {{"note", {{"content", "x"}}}});
  EXPECT_EQ(missing->status, 404);
  auto no_from = Call("POST", "/incidents/" + id + "/notes", "account-full",
                      {{"note", {{"content", "x"}}}});
  EXPECT_EQ(no_from->status, 400);
}

TEST_F(NotesTest, AtMost2000NotesPerIncident) {
  const std::string id = NewIncident("x");
  ASSERT_EQ(client_->Put("/admin/rate_limit", R"({"limit": 100000})", "application/json")->status,
            200);
  for (int i = 0; i < 2000; ++i) {
    auto res = Call("POST", "/incidents/" + id + "/notes", "responder-token",
                    {{"note", {{"content", "n" + std::to_string(i)}}}});
    ASSERT_EQ(res->status, 200) << i << ": " << res->body;
  }
  auto over = Call("POST", "/incidents/" + id + "/notes", "responder-token",
                   {{"note", {{"content", "one too many"}}}});
  EXPECT_EQ(over->status, 400);
  EXPECT_NE(over->body.find("2000"), std::string::npos);
}

TEST_F(NotesTest, StatusUpdatesArePostOnly) {
  const std::string id = NewIncident("x");
  auto res = Call("POST", "/incidents/" + id + "/status_updates", "account-full",
                  {{"message", "We are investigating"}, {"subject", "Update"}},
                  "rita@example.com");
  ASSERT_EQ(res->status, 200) << res->body;
  auto update = Body(res)["status_update"];
  EXPECT_EQ(update["message"], "We are investigating");
  EXPECT_EQ(update["subject"], "Update");
  EXPECT_EQ(update["sender"]["id"], "PRESP01");
  EXPECT_TRUE(update.contains("id"));
  EXPECT_EQ(Get("/incidents/" + id + "/status_updates")->status, 404);
  EXPECT_EQ(Call("POST", "/incidents/" + id + "/status_updates", "responder-token",
                 {{"subject", "no message"}})->status,
            400);
}

}  // namespace
}  // namespace ferry::pagerduty_sim
