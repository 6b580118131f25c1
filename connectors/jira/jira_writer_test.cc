#include "connectors/jira/jira_writer.h"

#include "absl/strings/str_cat.h"
#include "connectors/jira/jira_wiki.h"
#include "connectors/jira/testing/simulated_jira.h"
#include "engine/connector/testing/field_writes.h"
#include "tools/jira_sim/jira_simulator.h"
#include "tools/simcore/fault_injector.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using ferry::engine::CreateRequest;
using ferry::engine::EntityRef;
using ferry::engine::testing::LookupWrite;
using ferry::engine::testing::TextWrite;
using jira_sim::Dialect;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class JiraWriterTest : public ::testing::TestWithParam<Dialect> {
 protected:
  JiraWriterTest() : jira_(GetParam()), writer_(&jira_.api(), "jira") {}

  EntityRef CreateIncident(const std::string& origin) {
    CreateRequest request;
    request.project = "OPS";
    request.type = "Incident";
    request.origin = origin;
    request.fields = {TextWrite("summary", "Checkout errors"),
                      TextWrite("description", "Payments fail.\nSince 10:00."),
                      LookupWrite("priority", "High"), TextWrite("labels", "sev2 payments")};
    auto created = writer_.Create(request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : EntityRef{};
  }

  // A create of an OPS incident with `summary`, whose source is `url`.
  static CreateRequest FromSource(const std::string& origin, const std::string& url,
                                  const std::string& summary) {
    CreateRequest request;
    request.project = "OPS";
    request.type = "Incident";
    request.origin = origin;
    request.source_url = url;
    request.fields = {TextWrite("summary", summary)};
    return request;
  }

  // Creates `request`'s issue and returns its remote links (a JSON
  // array, empty when anything failed).
  nlohmann::json CreateAndListLinks(const CreateRequest& request) {
    auto created = writer_.Create(request);
    EXPECT_TRUE(created.ok()) << created.status();
    if (!created.ok()) return nlohmann::json::array();
    auto links = jira_.api().Get("/issue/" + created->id + "/remotelink");
    EXPECT_TRUE(links.ok()) << links.status();
    return links.ok() ? *links : nlohmann::json::array();
  }

  std::string StatusOf(const EntityRef& ref) {
    auto entity = writer_.Get(ref);
    EXPECT_TRUE(entity.ok()) << entity.status();
    return entity.ok() ? entity->fields().at("status").lookup().name() : "";
  }

  SimulatedJira jira_;
  JiraWriter writer_;
};

TEST_P(JiraWriterTest, CreateWritesFieldsAndGetReadsThemBack) {
  EntityRef ref = CreateIncident("ferry:i:pd:P1");
  ASSERT_FALSE(ref.id.empty());
  EXPECT_THAT(ref.key, StartsWith("OPS-"));
  EXPECT_THAT(ref.url, HasSubstr("/browse/" + ref.key));
  auto entity = writer_.Get(ref);
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->system(), "jira");
  EXPECT_EQ(entity->project(), "OPS");
  EXPECT_EQ(entity->type(), "Incident");
  EXPECT_EQ(entity->id(), ref.id);
  const auto& fields = entity->fields();
  EXPECT_EQ(fields.at("summary").text(), "Checkout errors");
  EXPECT_EQ(fields.at("description").text(), "Payments fail.\nSince 10:00.");
  EXPECT_EQ(fields.at("priority").lookup().name(), "High");
  EXPECT_EQ(fields.at("labels").text(), "sev2 payments");
  EXPECT_EQ(fields.at("status").lookup().name(), "Open");
  EXPECT_EQ(entity->last_changed_by().email(), "ferry@example.com");
}

TEST_P(JiraWriterTest, CreateAddsOneRemoteLinkToTheSource) {
  CreateRequest request =
      FromSource("ferry:i:pd:P7", "https://acme.pagerduty.com/incidents/P7", "Disk full");
  request.source_title = "pagerduty 7";
  const nlohmann::json links = CreateAndListLinks(request);
  ASSERT_EQ(links.size(), 1u) << links.dump();
  const nlohmann::json& link = links[0];
  EXPECT_EQ(link.value("globalId", ""), request.source_url);
  EXPECT_EQ(link["object"].value("url", ""), request.source_url);
  EXPECT_EQ(link["object"].value("title", ""), "pagerduty 7");
  EXPECT_EQ(link["application"].value("type", ""), kRemoteLinkApplication);
}

// Jira refuses a globalId longer than 255 characters: a long source URL
// still gets its link, under a shortened id that stays the same.
TEST_P(JiraWriterTest, LongSourceUrlGetsALinkWithinTheGlobalIdLimit) {
  const CreateRequest request = FromSource(
      "ferry:i:pd:P9", "https://acme.pagerduty.com/incidents/P9?" + std::string(300, 'q'),
      "Long link");
  const nlohmann::json links = CreateAndListLinks(request);
  ASSERT_EQ(links.size(), 1u) << links.dump();
  const std::string global_id = links[0].value("globalId", "");
  EXPECT_EQ(global_id.size(), kMaxGlobalIdLength);
  EXPECT_EQ(global_id, RemoteLinkGlobalId(request.source_url));
  EXPECT_EQ(links[0]["object"].value("url", ""), request.source_url);
}

TEST(RemoteLinkGlobalIdTest, ShortUrlsAreTheirOwnIdLongOnesAreHashed) {
  EXPECT_EQ(RemoteLinkGlobalId("https://pd.example/incidents/P1"),
            "https://pd.example/incidents/P1");
  const std::string long_url = "https://pd.example/" + std::string(400, 'a');
  const std::string id = RemoteLinkGlobalId(long_url);
  EXPECT_EQ(id.size(), kMaxGlobalIdLength);
  EXPECT_EQ(id.substr(0, 19), "https://pd.example/");
  // The SHA-256 of the whole URL: fixed, so every process agrees.
  EXPECT_EQ(id.substr(id.size() - 65),
            "#f051941d8cc75df10e367247b6761a150482db30a1bb899aa3ecdd2c439ffa38");
  EXPECT_NE(RemoteLinkGlobalId(long_url + "b"), id);
  EXPECT_EQ(RemoteLinkGlobalId(long_url), id);
}

// A crash between the create and its remote link: finding the issue by
// its origin adds the link, once however often it is found.
TEST_P(JiraWriterTest, FindByOriginCompletesTheRemoteLink) {
  CreateRequest request;
  request.project = "OPS";
  request.type = "Incident";
  request.origin = "ferry:i:pd:P12";
  request.source_url = "https://acme.pagerduty.com/incidents/P12";
  request.source_title = "pagerduty 12";
  request.fields = {TextWrite("summary", "Queue backlog")};
  auto created = writer_.Create(request);
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string links_path = "/issue/" + created->id + "/remotelink";
  auto links = jira_.api().Get(links_path);
  ASSERT_TRUE(links.ok() && links->size() == 1u) << links.status();
  const std::string rest = jira_.cloud() ? "/rest/api/3" : "/rest/api/2";
  ASSERT_EQ(jira_.sim()
                .Delete(absl::StrCat(rest, links_path, "/", (*links)[0].value("id", 0)))
                ->status,
            204);

  JiraWriter restarted(&jira_.api(), "jira");
  for (int i = 0; i < 2; ++i) {
    auto found = restarted.FindByOrigin("OPS", request.origin);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_TRUE(found->has_value());
  }
  links = jira_.api().Get(links_path);
  ASSERT_TRUE(links.ok()) << links.status();
  ASSERT_EQ(links->size(), 1u) << links->dump();
  EXPECT_EQ((*links)[0].value("globalId", ""), request.source_url);
  EXPECT_EQ((*links)[0]["object"].value("title", ""), "pagerduty 12");
}

// A crash between the create and the checkpoint while the search index
// lags (Cloud's is eventually consistent): the restarted writer still
// finds the issue by its origin, so it is not created a second time.
TEST_P(JiraWriterTest, FindByOriginSeesAnIssueTheIndexHasNotTakenYet) {
  ASSERT_EQ(jira_.sim().Put("/admin/jira/index_lag", {{"milliseconds", 600000}}, "")->status,
            200);
  EntityRef ours = CreateIncident("ferry:i:pd:P20");
  ASSERT_FALSE(ours.id.empty());
  // Someone creates another issue right after.
  jira_.AsAlice("POST", "/issue",
                {{"fields", {{"project", {{"key", "OPS"}}},
                             {"issuetype", {{"name", "Task"}}},
                             {"summary", "Unrelated"}}}});
  if (jira_.cloud()) {
    // The search does not see it yet.
    SearchRequest search;
    search.jql = "key = " + ours.key;
    auto seen = jira_.api().Search(search);
    ASSERT_TRUE(seen.ok()) << seen.status();
    ASSERT_TRUE(seen->issues.empty());
  }

  JiraWriter restarted(&jira_.api(), "jira");
  auto found = restarted.FindByOrigin("OPS", "ferry:i:pd:P20");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, ours.id);
  EXPECT_EQ((*found)->key, ours.key);
  auto never = restarted.FindByOrigin("OPS", "ferry:i:pd:never-created");
  ASSERT_TRUE(never.ok()) << never.status();
  EXPECT_FALSE(never->has_value());
}

TEST_P(JiraWriterTest, CreateWithoutASourceUrlAddsNoRemoteLink) {
  EntityRef ref = CreateIncident("ferry:i:pd:P8");
  ASSERT_FALSE(ref.id.empty());
  auto links = jira_.api().Get("/issue/" + ref.id + "/remotelink");
  ASSERT_TRUE(links.ok()) << links.status();
  EXPECT_TRUE(links->empty()) << links->dump();
}

TEST_P(JiraWriterTest, FindByOriginAfterACrash) {
  EntityRef ref = CreateIncident("ferry:i:pd:P2");
  // A new writer, as after a restart, knows only the origin.
  JiraWriter restarted(&jira_.api(), "jira");
  auto found = restarted.FindByOrigin("OPS", "ferry:i:pd:P2");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, ref.id);
  auto missing = restarted.FindByOrigin("OPS", "ferry:i:pd:P3");
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_FALSE(missing->has_value());
}

TEST_P(JiraWriterTest, UpdateEditsFields) {
  EntityRef ref = CreateIncident("ferry:i:pd:P4");
  ASSERT_TRUE(writer_.Update(ref, {TextWrite("summary", "Checkout fixed"),
                                   LookupWrite("priority", "Low")})
                  .ok());
  auto entity = writer_.Get(ref);
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->fields().at("summary").text(), "Checkout fixed");
  EXPECT_EQ(entity->fields().at("priority").lookup().name(), "Low");
}

TEST_P(JiraWriterTest, JiraErrorsNameTheField) {
  EntityRef ref = CreateIncident("ferry:i:pd:P5");
  absl::Status status = writer_.Update(ref, {LookupWrite("priority", "P9")});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("priority"));
  EXPECT_THAT(std::string(status.message()), ::testing::Not(HasSubstr(jira_.token())));
}

TEST_P(JiraWriterTest, StatusOneAndTwoTransitionsAway) {
  EntityRef ref = CreateIncident("ferry:i:pd:P6");
  ASSERT_TRUE(writer_.Update(ref, {LookupWrite("status", "Done")}).ok());
  EXPECT_EQ(StatusOf(ref), "Done");
  // Done -> Open (Reopen) -> Acknowledged (Acknowledge).
  absl::Status moved = writer_.Update(ref, {LookupWrite("status", "Acknowledged")});
  ASSERT_TRUE(moved.ok()) << moved;
  EXPECT_EQ(StatusOf(ref), "Acknowledged");
}

TEST_P(JiraWriterTest, StatusOnCreateGoesThroughTransitions) {
  CreateRequest request;
  request.project = "OPS";
  request.type = "Incident";
  request.fields = {TextWrite("summary", "Created in progress"),
                    LookupWrite("status", "In Progress")};
  auto created = writer_.Create(request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(StatusOf(*created), "In Progress");
}

TEST_P(JiraWriterTest, UnreachableStatusNamesTheMissingTransition) {
  CreateRequest request;
  request.project = "OPS";
  request.type = "Task";  // The "simple" workflow has no Acknowledged.
  request.fields = {TextWrite("summary", "A task")};
  auto created = writer_.Create(request);
  ASSERT_TRUE(created.ok()) << created.status();
  absl::Status status = writer_.Update(*created, {LookupWrite("status", "Acknowledged")});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(),
              HasSubstr("jira workflow of Task issues in project OPS has no status "
                        "'Acknowledged' (its statuses: Open, In Progress, Done)"));
  // Nothing was tried on the issue.
  EXPECT_EQ(StatusOf(*created), "Open");
}

// The fixture's TRI project: Open -> Triage -> Working -> Done ("Resolve",
// whose screen requires a Resolution, and for Incidents a Root cause), no
// issue in it yet.
EntityRef CreateInTriage(JiraWriter& writer, const std::string& type) {
  CreateRequest request;
  request.project = "TRI";
  request.type = type;
  request.fields = {TextWrite("summary", "Disk full on db-2")};
  auto created = writer.Create(request);
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? *created : EntityRef{};
}

// Moves two new TRI Tasks from Open to `status`, one after the other, and
// returns what the second move cost (the first learns the workflow).
JiraCallCounter::Calls CostOfASecondMove(SimulatedJira& jira, JiraWriter& writer,
                                         const std::string& status) {
  for (int i = 0; i < 2; ++i) {
    EntityRef ref = CreateInTriage(writer, "Task");
    jira.calls().Take();
    absl::Status moved = writer.Update(ref, {LookupWrite("status", status)});
    EXPECT_TRUE(moved.ok()) << moved;
    auto entity = writer.Get(ref);
    EXPECT_TRUE(entity.ok() && entity->fields().at("status").lookup().name() == status);
  }
  return jira.calls().Take();
}

TEST_P(JiraWriterTest, ThreeStatusWorkflowInAFreshProjectInOneGo) {
  // Learned once: the next issue, left by its create in Open, costs one
  // post per hop and no read.
  const JiraCallCounter::Calls second = CostOfASecondMove(jira_, writer_, "Working");
  EXPECT_EQ(second.reads, 0 + 1);  // the test's own Get
  EXPECT_EQ(second.writes, 2);
}

TEST_P(JiraWriterTest, ANewIssueCostsItsCreateAndItsRemoteLink) {
  // The first create of a project and type learns the status its issues
  // are created in (one read); the next ones read nothing.
  for (int i = 0; i < 3; ++i) {
    CreateRequest request = FromSource(absl::StrCat("ferry:i:pd:PN", i),
                                       absl::StrCat("https://pd.example/incidents/PN", i),
                                       "Queue consumers stuck");
    request.fields.push_back(LookupWrite("status", "Open"));
    jira_.calls().Take();
    auto created = writer_.Create(request);
    ASSERT_TRUE(created.ok()) << created.status();
    const JiraCallCounter::Calls calls = jira_.calls().Take();
    // The first also learns the deployment.
    if (i > 0) {
      EXPECT_EQ(calls.reads, 0) << "create " << i;
    }
    EXPECT_EQ(calls.writes, 2) << "create " << i;  // the issue, its remote link
    EXPECT_EQ(StatusOf(*created), "Open");
  }
}

TEST_P(JiraWriterTest, APersonsMoveRightAfterTheCreateIsNotUndone) {
  // Alice resolves the issue the moment Jira has created it, before
  // Ferry's next call; Ferry asked for the status it was created in, so
  // it moves nothing back (it used to read the issue, find it Done and
  // reopen it).
  for (int i = 0; i < 2; ++i) {  // learning the created-in status, then knowing it
    CreateRequest request = FromSource(absl::StrCat("ferry:i:pd:PR", i),
                                       absl::StrCat("https://pd.example/incidents/PR", i),
                                       absl::StrCat("Disk full ", i));
    request.fields.push_back(LookupWrite("status", "Open"));
    jira_.calls().AfterNextWrite([&] {
      const std::string key =
          jira_.sim().simulator().store().Read([&](const jira_sim::State& state) {
            for (const auto& [id, issue] : state.issues) {
              if (issue.summary == request.fields[0].value().text()) return issue.key;
            }
            return std::string();
          });
      jira_.AsAlice("POST", absl::StrCat("/issue/", key, "/transitions"),
                    {{"transition", {{"id", "31"}}}});
    });
    auto created = writer_.Create(request);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(StatusOf(*created), "Done") << "create " << i;
  }
}

TEST_P(JiraWriterTest, AMoveFromAStatusAPersonLeftIsRefusedNotChased) {
  CreateRequest request = FromSource("ferry:i:pd:PM", "https://pd.example/incidents/PM",
                                     "Checkout errors");
  request.fields.push_back(LookupWrite("status", "Acknowledged"));
  auto created = writer_.Create(request);
  ASSERT_TRUE(created.ok()) << created.status();
  // Alice resolves it behind Ferry's back; Ferry, which left the issue
  // Acknowledged, is asked to start progress from there: Start Progress
  // does not leave Done, so Jira refuses it.
  jira_.AsAlice("POST", absl::StrCat("/issue/", created->id, "/transitions"),
                {{"transition", {{"id", "31"}}}});
  jira_.calls().Take();
  absl::Status moved = writer_.Update(*created, {LookupWrite("status", "In Progress")});
  EXPECT_EQ(moved.code(), absl::StatusCode::kAborted) << moved;
  EXPECT_THAT(moved.message(), HasSubstr("is in 'Done', not in 'Acknowledged'"));
  EXPECT_EQ(StatusOf(*created), "Done");
}

TEST_P(JiraWriterTest, DoneFillsTheRequiredResolution) {
  EntityRef ref = CreateInTriage(writer_, "Task");
  absl::Status moved = writer_.Update(ref, {LookupWrite("status", "Done")});
  ASSERT_TRUE(moved.ok()) << moved;
  const std::string api = jira_.cloud() ? "/rest/api/3" : "/rest/api/2";
  nlohmann::json fields =
      jira_sim::Body(jira_.sim().Get(api + "/issue/" + ref.id))["fields"];
  EXPECT_EQ(fields["status"]["name"], "Done");
  EXPECT_EQ(fields["resolution"]["name"], "Done");
  // Reopened, then resolved with the resolution the mapping gives.
  ASSERT_TRUE(writer_.Update(ref, {LookupWrite("status", "Open")}).ok());
  EXPECT_TRUE(
      jira_sim::Body(jira_.sim().Get(api + "/issue/" + ref.id))["fields"]["resolution"]
          .is_null());
  moved = writer_.Update(ref,
                         {LookupWrite("status", "Done"), LookupWrite("resolution", "Won't Do")});
  ASSERT_TRUE(moved.ok()) << moved;
  fields = jira_sim::Body(jira_.sim().Get(api + "/issue/" + ref.id))["fields"];
  EXPECT_EQ(fields["resolution"]["name"], "Won't Do");
}

TEST_P(JiraWriterTest, MissingRequiredFieldFailsPreciselyThenConfigFixesIt) {
  EntityRef ref = CreateInTriage(writer_, "Incident");
  absl::Status failed = writer_.Update(ref, {LookupWrite("status", "Done")});
  EXPECT_EQ(failed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(failed.message(),
            absl::StrCat("jira issue ", ref.key,
                         ": jira transition 'Resolve' to 'Done' needs field 'Root cause' "
                         "(customfield_10012), which is required and Ferry has no value "
                         "for. Fix: set it under the options of system 'jira': "
                         "transition_fields: {customfield_10012: \"<value>\"}"));
  // It got as far as it could.
  EXPECT_EQ(StatusOf(ref), "Working");
  // The same writer still moves other issues (nothing negative is kept).
  EntityRef task = CreateInTriage(writer_, "Task");
  ASSERT_TRUE(writer_.Update(task, {LookupWrite("status", "Done")}).ok());
  // The config is fixed and reloaded (a new writer); the reprocess succeeds.
  JiraWriter fixed(&jira_.api(), "jira", {{"customfield_10012", "disk full"}});
  absl::Status moved = fixed.Update(ref, {LookupWrite("status", "Done")});
  ASSERT_TRUE(moved.ok()) << moved;
  const std::string api = jira_.cloud() ? "/rest/api/3" : "/rest/api/2";
  nlohmann::json fields =
      jira_sim::Body(jira_.sim().Get(api + "/issue/" + ref.id))["fields"];
  EXPECT_EQ(fields["status"]["name"], "Done");
  EXPECT_EQ(fields["customfield_10012"], "disk full");
  EXPECT_EQ(fields["resolution"]["name"], "Done");
}

TEST_P(JiraWriterTest, ScreensOfTransitionsLearnedFromAnotherIssueAreReadOnce) {
  // Alice's issue sits in Working, so what leaves Working is learned from it
  // (a search lists transitions without their screens).
  nlohmann::json other = jira_.AsAlice(
      "POST", "/issue",
      {{"fields", {{"project", {{"key", "TRI"}}},
                   {"issuetype", {{"name", "Task"}}},
                   {"summary", "Other"}}}});
  for (const char* id : {"11", "21"}) {
    jira_.AsAlice("POST", absl::StrCat("/issue/", std::string(other["key"]), "/transitions"),
                  {{"transition", {{"id", id}}}});
  }
  // Everything is known after the first move, screens included.
  const JiraCallCounter::Calls second = CostOfASecondMove(jira_, writer_, "Done");
  EXPECT_EQ(second.reads, 0 + 1);  // the test's own Get
  EXPECT_EQ(second.writes, 3);
}

TEST_P(JiraWriterTest, ResolutionRidesOnTheTransitionAtCreateOrIsAnEdit) {
  CreateRequest request;
  request.project = "TRI";
  request.type = "Task";
  request.fields = {TextWrite("summary", "Duplicate page"), LookupWrite("status", "Done"),
                    LookupWrite("resolution", "Duplicate")};
  auto created = writer_.Create(request);
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string api = jira_.cloud() ? "/rest/api/3" : "/rest/api/2";
  nlohmann::json fields =
      jira_sim::Body(jira_.sim().Get(api + "/issue/" + created->id))["fields"];
  EXPECT_EQ(fields["status"]["name"], "Done");
  EXPECT_EQ(fields["resolution"]["name"], "Duplicate");
  // Without a status to carry it, it is an edit: not on this edit screen.
  absl::Status alone = writer_.Update(*created, {LookupWrite("resolution", "Done")});
  EXPECT_EQ(alone.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(alone.message(), HasSubstr("resolution"));
}

TEST_P(JiraWriterTest, AMoveFromWhereFerryLeftTheIssueReadsNothing) {
  // A first issue around the whole workflow teaches every status.
  EntityRef first = CreateInTriage(writer_, "Task");
  ASSERT_TRUE(writer_.Update(first, {LookupWrite("status", "Done")}).ok());
  ASSERT_TRUE(writer_.Update(first, {LookupWrite("status", "Open")}).ok());

  EntityRef ref = CreateInTriage(writer_, "Task");
  ASSERT_TRUE(writer_.Update(ref, {LookupWrite("status", "Working")}).ok());
  jira_.calls().Take();
  ASSERT_TRUE(writer_.Update(ref, {LookupWrite("status", "Done")}).ok());
  JiraCallCounter::Calls calls = jira_.calls().Take();
  EXPECT_EQ(calls.reads, 0);
  EXPECT_EQ(calls.writes, 1);
  // Someone reopens it and triages it behind Ferry's back: Ferry's plan
  // from Done starts with Reopen, which Jira refuses, so it reads where the
  // issue is, finds a person moved it, and moves nothing: the engine
  // decides again.
  for (const char* id : {"41", "11"}) {
    jira_.AsAlice("POST", absl::StrCat("/issue/", ref.id, "/transitions"),
                  {{"transition", {{"id", id}}}});
  }
  jira_.calls().Take();
  absl::Status moved = writer_.Update(ref, {LookupWrite("status", "Working")});
  EXPECT_EQ(moved.code(), absl::StatusCode::kAborted) << moved;
  calls = jira_.calls().Take();
  EXPECT_EQ(calls.reads, 1);   // after the refused Reopen
  EXPECT_EQ(calls.writes, 1);  // Reopen (refused)
  // Asked again (the engine's decision, having read it), it goes on from
  // where the read found it.
  moved = writer_.Update(ref, {LookupWrite("status", "Working")});
  ASSERT_TRUE(moved.ok()) << moved;
  calls = jira_.calls().Take();
  EXPECT_EQ(calls.reads, 0);
  EXPECT_EQ(calls.writes, 1);  // Start Work
  EXPECT_EQ(StatusOf(ref), "Working");
}

TEST_P(JiraWriterTest, EditsDoNotReadTheIssueFirst) {
  EntityRef ref = CreateIncident("ferry:i:pd:P12");
  jira_.calls().Take();
  ASSERT_TRUE(writer_.Update(ref, {TextWrite("summary", "Renamed")}).ok());
  const JiraCallCounter::Calls calls = jira_.calls().Take();
  EXPECT_EQ(calls.reads, 0);
  EXPECT_EQ(calls.writes, 1);
}

TEST_P(JiraWriterTest, CommentsCarryTheirOriginAcrossACrash) {
  EntityRef ref = CreateIncident("ferry:i:pd:P7");
  ferry::v1::CommentWrite comment;
  comment.set_body("Rolled back.\nWatching errors.");
  comment.set_format(ferry::v1::TEXT_FORMAT_PLAIN);
  auto id = writer_.AddComment(ref, comment, "ferry:i:pd:P7/comment/N1");
  ASSERT_TRUE(id.ok()) << id.status();

  JiraWriter restarted(&jira_.api(), "jira");
  auto found = restarted.FindComment(ref, "ferry:i:pd:P7/comment/N1");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, *id);
  auto missing = restarted.FindComment(ref, "ferry:i:pd:P7/comment/N2");
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_FALSE(missing->has_value());

  auto entity = writer_.Get(ref);
  ASSERT_TRUE(entity.ok()) << entity.status();
  ASSERT_EQ(entity->comments_size(), 1);
  // The marker is in a comment property: the text is the comment alone.
  EXPECT_EQ(entity->comments(0).body(), "Rolled back.\nWatching errors.");
  EXPECT_EQ(entity->comments(0).author().email(), "ferry@example.com");
}

// Upgrade: a comment posted by the previous Ferry, with the origin as the
// text's last line and no comment property, is still found by its origin,
// so its link is kept and it is not posted again.
TEST_P(JiraWriterTest, CommentsWithTheLegacyOriginLineAreStillFound) {
  EntityRef ref = CreateIncident("ferry:i:pd:P12");
  const std::string origin = "ferry:i:pd:P12/comment/N1";
  const std::string line = LegacyCommentOriginLine(origin);
  EXPECT_EQ(line, "ferry-origin: " + origin);
  // The body exactly as the previous version built it.
  nlohmann::json body;
  if (jira_.cloud()) {
    body = TextToAdf("Rolled back.");
    const nlohmann::json tail = TextToAdf("\n" + line);
    for (const nlohmann::json& paragraph : tail["content"]) {
      body["content"].push_back(paragraph);
    }
  } else {
    body = "Rolled back.\n\n" + line;
  }
  auto posted = jira_.api().Post(absl::StrCat("/issue/", ref.id, "/comment"),
                                 {{"body", body}});
  ASSERT_TRUE(posted.ok()) << posted.status();
  ferry::v1::CommentWrite later;
  later.set_body("Watching.");
  ASSERT_TRUE(writer_.AddComment(ref, later, "ferry:i:pd:P12/comment/N2").ok());

  JiraWriter restarted(&jira_.api(), "jira");
  auto found = restarted.FindComment(ref, origin);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->value_or(""), (*posted)["id"].get<std::string>());
  auto other = restarted.FindComment(ref, "ferry:i:pd:P12/comment/N3");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE(other->has_value());
}

// A Jira that ignores expand=properties on the comment list: each comment's
// property is read on its own, and the comment is still found.
TEST_P(JiraWriterTest, CommentFoundWhenTheListLeavesPropertiesOut) {
  EntityRef ref = CreateIncident("ferry:i:pd:P14");
  ferry::v1::CommentWrite comment;
  comment.set_body("Rolled back.");
  auto first = writer_.AddComment(ref, comment, "ferry:i:pd:P14/comment/N1");
  auto second = writer_.AddComment(ref, comment, "ferry:i:pd:P14/comment/N2");
  ASSERT_TRUE(first.ok() && second.ok());
  const std::string comments =
      absl::StrCat("/rest/api/", jira_.cloud() ? "3" : "2", "/issue/", ref.id, "/comment");
  nlohmann::json page = jira_sim::Body(jira_.sim().Get(comments));
  ASSERT_FALSE(page["comments"][0].contains("properties"));
  simcore::FaultRule rule;
  rule.path_prefix = comments;
  rule.method = "GET";
  rule.remaining = 1;
  rule.status = 200;
  rule.body = page.dump();
  jira_.sim().simulator().server().faults().Add(rule);

  auto found = writer_.FindComment(ref, "ferry:i:pd:P14/comment/N2");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->value_or(""), *second);
  EXPECT_TRUE(jira_.sim().simulator().server().faults().List().empty());
}

// The marker is the comment property, not the text: a person rewriting the
// comment's text does not lose Ferry its comment.
TEST_P(JiraWriterTest, CommentOriginSurvivesAnEditOfTheText) {
  EntityRef ref = CreateIncident("ferry:i:pd:P13");
  ferry::v1::CommentWrite comment;
  comment.set_body("First words.");
  auto id = writer_.AddComment(ref, comment, "ferry:i:pd:P13/comment/N1");
  ASSERT_TRUE(id.ok()) << id.status();
  jira_.AsAlice("PUT", absl::StrCat("/issue/", ref.id, "/comment/", *id),
                {{"body", "Edited by a person."}});
  auto found = writer_.FindComment(ref, "ferry:i:pd:P13/comment/N1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->value_or(""), *id);
}

TEST_P(JiraWriterTest, CloudCommentBodiesAreAdf) {
  EntityRef ref = CreateIncident("ferry:i:pd:P8");
  ferry::v1::CommentWrite comment;
  comment.set_body("Mitigated");
  ASSERT_TRUE(writer_.AddComment(ref, comment, "o").ok());
  const std::string version = jira_.cloud() ? "3" : "2";
  nlohmann::json page = jira_sim::Body(jira_.sim().Get(
      absl::StrCat("/rest/api/", version, "/issue/", ref.id, "/comment")));
  ASSERT_EQ(page["comments"].size(), 1u);
  const nlohmann::json& body = page["comments"][0]["body"];
  if (jira_.cloud()) {
    EXPECT_EQ(body["type"], "doc");
    EXPECT_EQ(body["content"][0]["content"][0]["text"], "Mitigated");
    EXPECT_EQ(body["content"].size(), 1u) << body;
  } else {
    EXPECT_EQ(body, "Mitigated");
  }
}

TEST_P(JiraWriterTest, FormattedWikiSurvivesARoundTrip) {
  const std::string wiki =
      "h2. Impact\nCheckout is *down*, see [status|https://status.example.com]\n* eu-west\n* us-east";
  EntityRef ref = CreateIncident("ferry:i:pd:P10");
  ASSERT_TRUE(writer_.Update(ref, {TextWrite("description", wiki)}).ok());
  ferry::v1::CommentWrite comment;
  comment.set_body(wiki);
  comment.set_format(ferry::v1::TEXT_FORMAT_JIRA_WIKI);
  ASSERT_TRUE(writer_.AddComment(ref, comment, "o").ok());

  auto entity = writer_.Get(ref);
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->fields().at("description").text(), wiki);
  ASSERT_EQ(entity->comments_size(), 1);
  // Comments are read as Markdown.
  EXPECT_EQ(entity->comments(0).format(), ferry::v1::TEXT_FORMAT_MARKDOWN);
  EXPECT_EQ(entity->comments(0).body(),
            "## Impact\nCheckout is **down**, see "
            "[status](https://status.example.com)\n- eu-west\n- us-east");
  if (jira_.cloud()) {
    nlohmann::json page = jira_sim::Body(jira_.sim().Get(
        absl::StrCat("/rest/api/3/issue/", ref.id, "/comment")));
    const nlohmann::json& doc = page["comments"][0]["body"];
    EXPECT_EQ(doc["content"][0]["type"], "heading");
    EXPECT_EQ(doc["content"][1]["content"][1]["marks"][0]["type"], "strong");
    EXPECT_EQ(doc["content"][2]["type"], "bulletList");
  }
}

// PagerDuty → Jira → PagerDuty: a note written to Jira (Markdown, or plain
// text that only looks like markup) reads back as the same string.
TEST_P(JiraWriterTest, NotesReadBackUnchanged) {
  EntityRef ref = CreateIncident("ferry:i:pd:P11");
  const std::vector<std::pair<std::string, ferry::v1::TextFormat>> notes = {
      {"# Impact\nCheckout is **down** for _some_ users, see `db-1` and "
       "[status](https://status.example.com).\n\n- eu-west\n- us-east\n"
       "1. fail over\n2. ~~page~~ call the DBA\n> quoted\n```\nSELECT *;\n```",
       ferry::v1::TEXT_FORMAT_MARKDOWN},
      {"2 * 3 and *not bold*, snake_case, {{x}}\n# not a heading\n- not a list",
       ferry::v1::TEXT_FORMAT_PLAIN},
  };
  for (size_t i = 0; i < notes.size(); ++i) {
    ferry::v1::CommentWrite comment;
    comment.set_body(notes[i].first);
    comment.set_format(notes[i].second);
    const std::string origin = absl::StrCat("o", i);
    ASSERT_TRUE(writer_.AddComment(ref, comment, origin).ok());
    auto entity = writer_.Get(ref);
    ASSERT_TRUE(entity.ok()) << entity.status();
    ASSERT_EQ(entity->comments_size(), static_cast<int>(i + 1));
    EXPECT_EQ(entity->comments(i).body(), notes[i].first);
    auto found = writer_.FindComment(ref, origin);
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_EQ(found->value_or(""), entity->comments(i).id());
  }
}

TEST_P(JiraWriterTest, LookupRunsTheQueryInTheProject) {
  auto found = writer_.Lookup("OPS", "summary ~ \"Database\"");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().key, "OPS-1");
  auto none = writer_.Lookup("WEB", "summary ~ \"Database\"");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
}

TEST_P(JiraWriterTest, AMovedIssueStaysLinkedById) {
  EntityRef ref = CreateIncident("ferry:i:pd:P9");
  auto moved = jira_.sim().Post(
      absl::StrCat("/admin/jira/issues/", ref.key, "/move"), {{"project", "WEB"}});
  ASSERT_TRUE(moved && moved->status == 200) << (moved ? moved->body : "");
  ASSERT_TRUE(writer_.Update(ref, {TextWrite("summary", "Moved and edited")}).ok());
  auto entity = writer_.Get(ref);
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->id(), ref.id);
  EXPECT_EQ(entity->project(), "WEB");
  EXPECT_THAT(entity->display_key(), StartsWith("WEB-"));
  EXPECT_EQ(entity->fields().at("summary").text(), "Moved and edited");
}

INSTANTIATE_TEST_SUITE_P(BothDeployments, JiraWriterTest, BothDialects(), DialectName);

}  // namespace
}  // namespace ferry::jira
