#include "connectors/pagerduty/pd_writer.h"

#include "absl/strings/match.h"
#include "connectors/pagerduty/testing/pd_sim_test_base.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

using ::testing::HasSubstr;

ferry::v1::FieldWrite Write(const std::string& field, const std::string& text,
                            ferry::v1::SyncWhen when = ferry::v1::SYNC_WHEN_ALWAYS) {
  ferry::v1::FieldWrite write;
  write.set_target_field(field);
  write.set_source_field("src_" + field);
  if (!text.empty()) write.mutable_value()->set_text(text);
  write.set_sync_when(when);
  return write;
}

ferry::v1::FieldWrite Lookup(const std::string& field, const std::string& name) {
  ferry::v1::FieldWrite write;
  write.set_target_field(field);
  write.mutable_value()->mutable_lookup()->set_name(name);
  return write;
}

class PdWriterTest : public PdSimTest {
 protected:
  void SetUp() override {
    PdSimTest::SetUp();
    auto writer = connector_->NewWriter("jira-to-pd");
    ASSERT_TRUE(writer.ok()) << writer.status();
    writer_ = *std::move(writer);
  }

  void TearDown() override {
    writer_.reset();
    PdSimTest::TearDown();
  }

  engine::EntityRef CreateIncident(const std::string& origin,
                                   std::vector<ferry::v1::FieldWrite> extra = {}) {
    engine::CreateRequest request;
    request.project = "PSVCWEB";
    request.type = "incident";
    request.origin = origin;
    request.fields = {Write("Title", "Disk full on web-1"),
                      Write("Description", "df shows 100%", ferry::v1::SYNC_WHEN_CREATE),
                      Lookup("Priority", "P2"), Lookup("Urgency", "low")};
    for (auto& write : extra) request.fields.push_back(write);
    auto ref = writer_->Create(request);
    EXPECT_TRUE(ref.ok()) << ref.status();
    return ref.ok() ? *ref : engine::EntityRef{};
  }

  std::string FieldText(const ferry::v1::Entity& entity, const std::string& field) {
    auto it = entity.fields().find(field);
    if (it == entity.fields().end()) return "<unset>";
    return it->second.has_lookup() ? it->second.lookup().name() : it->second.text();
  }

  std::unique_ptr<engine::EntityWriter> writer_;
};

TEST_F(PdWriterTest, CreatesWithEveryCreateField) {
  engine::EntityRef ref = CreateIncident("jira:FER-1", {Write("Conference URL", "https://meet/x")});
  ASSERT_FALSE(ref.id.empty());
  EXPECT_FALSE(ref.key.empty());
  auto entity = writer_->Get(ref);
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(FieldText(*entity, "Title"), "Disk full on web-1");
  EXPECT_EQ(FieldText(*entity, "Description"), "df shows 100%");
  EXPECT_EQ(FieldText(*entity, "Priority"), "P2");
  EXPECT_EQ(FieldText(*entity, "Urgency"), "low");
  EXPECT_EQ(FieldText(*entity, "Status"), "triggered");
  EXPECT_EQ(FieldText(*entity, "Conference URL"), "https://meet/x");
  EXPECT_EQ(FieldText(*entity, "Incident Key"), "ferry-jira:FER-1");
  EXPECT_EQ(entity->project(), "PSVCWEB");
  // The acting user is the From user, not the account.
  auto incident = pagerduty_sim::Body(Get("/incidents/" + ref.id + "/log_entries"));
  bool by_bot = false;
  for (const auto& entry : incident["log_entries"]) {
    if (entry["type"] == "trigger_log_entry") by_bot = entry["agent"]["id"] == "PBOT001";
  }
  EXPECT_TRUE(by_bot);
}

TEST_F(PdWriterTest, MappedIncidentKeyIsKept) {
  engine::EntityRef ref = CreateIncident("jira:FER-2", {Write("Incident Key", "db-42")});
  auto entity = writer_->Get(ref);
  ASSERT_TRUE(entity.ok());
  EXPECT_EQ(FieldText(*entity, "Incident Key"), "db-42");
}

TEST_F(PdWriterTest, FindByOriginAfterCrash) {
  engine::EntityRef ref = CreateIncident("jira:FER-3");
  // A new writer (the engine after a restart) finds the incident by origin.
  auto restarted = connector_->NewWriter("jira-to-pd");
  ASSERT_TRUE(restarted.ok());
  auto found = (*restarted)->FindByOrigin("PSVCWEB", "jira:FER-3");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, ref.id);
  auto missing = (*restarted)->FindByOrigin("PSVCWEB", "jira:FER-404");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  // Another service does not hold it.
  auto elsewhere = (*restarted)->FindByOrigin("PSVCDB1", "jira:FER-3");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE(elsewhere->has_value());
}

// The engine's crash path: Create landed, the link was never written, and
// a new writer is asked about the same request. With a mapped Incident Key
// the origin's key is not on the incident, so only FindCreated finds it.
TEST_F(PdWriterTest, CreateWithMappedIncidentKeyIsFoundAfterCrash) {
  engine::CreateRequest request;
  request.project = "PSVCWEB";
  request.type = "incident";
  request.origin = "jira:FER-7";
  request.fields = {Write("Title", "Queue backlog"),
                    Write("Incident Key", "FER-7", ferry::v1::SYNC_WHEN_CREATE)};
  auto created = writer_->Create(request);
  ASSERT_TRUE(created.ok()) << created.status();
  writer_.reset();  // The crash: nothing recorded the link.

  auto restarted = connector_->NewWriter("jira-to-pd");
  ASSERT_TRUE(restarted.ok());
  auto by_origin = (*restarted)->FindByOrigin("PSVCWEB", "jira:FER-7");
  ASSERT_TRUE(by_origin.ok()) << by_origin.status();
  EXPECT_FALSE(by_origin->has_value());
  auto found = (*restarted)->FindCreated(request);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, created->id);

  // A later incident with the same key (the first one resolved) is the one
  // a create that is in doubt now would have made.
  ASSERT_EQ(Update(created->id, {{"status", "resolved"}})->status, 200);
  auto second = (*restarted)->Create(request);
  ASSERT_TRUE(second.ok()) << second.status();
  found = (*restarted)->FindCreated(request);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, second->id);

  engine::CreateRequest other = request;
  other.origin = "jira:FER-8";
  other.fields = {Write("Title", "Other"),
                  Write("Incident Key", "FER-8", ferry::v1::SYNC_WHEN_CREATE)};
  auto none = (*restarted)->FindCreated(other);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // Without a mapped key FindCreated looks for the origin's key.
  other.origin = "jira:FER-9";
  other.fields = {Write("Title", "Disk full on web-1")};
  auto plain = (*restarted)->Create(other);
  ASSERT_TRUE(plain.ok()) << plain.status();
  found = (*restarted)->FindCreated(other);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, plain->id);
}

TEST_F(PdWriterTest, FindsResolvedIncidentByOrigin) {
  engine::EntityRef ref = CreateIncident("jira:FER-4", {Lookup("Status", "resolved")});
  auto found = writer_->FindByOrigin("PSVCWEB", "jira:FER-4");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, ref.id);
  auto entity = writer_->Get(ref);
  ASSERT_TRUE(entity.ok());
  EXPECT_EQ(FieldText(*entity, "Status"), "resolved");
}

TEST_F(PdWriterTest, UpdatesTitleStatusAndPriority) {
  engine::EntityRef ref = CreateIncident("jira:FER-5");
  ASSERT_TRUE(writer_->Update(ref, {Write("Title", "Disk full on web-2"),
                                    Lookup("Status", "acknowledged"),
                                    Lookup("Priority", "P1")})
                  .ok());
  auto entity = writer_->Get(ref);
  ASSERT_TRUE(entity.ok());
  EXPECT_EQ(FieldText(*entity, "Title"), "Disk full on web-2");
  EXPECT_EQ(FieldText(*entity, "Status"), "acknowledged");
  EXPECT_EQ(FieldText(*entity, "Priority"), "P1");
  // Writing the current status again is not an error.
  EXPECT_TRUE(writer_->Update(ref, {Lookup("Status", "acknowledged")}).ok());
}

TEST_F(PdWriterTest, AcknowledgedToTriggeredSaysWhy) {
  engine::EntityRef ref = CreateIncident("jira:FER-6");
  ASSERT_TRUE(writer_->Update(ref, {Lookup("Status", "acknowledged")}).ok());
  absl::Status back = writer_->Update(ref, {Lookup("Status", "triggered")});
  EXPECT_EQ(back.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(back.message(), HasSubstr("acknowledged"));
  EXPECT_THAT(back.message(), HasSubstr("triggered"));
}

TEST_F(PdWriterTest, AcknowledgedToTriggeredReescalatesWhenAsked) {
  engine::EntityRef ref = CreateIncident("jira:FER-13");
  ASSERT_TRUE(writer_->Update(ref, {Lookup("Status", "acknowledged")}).ok());
  auto api = MakeApi("account-full", "ferry-bot@example.com");
  PdWriter reescalating(api, /*reescalate_acknowledged=*/true);
  ASSERT_TRUE(reescalating.Update(ref, {Lookup("Status", "triggered")}).ok());
  auto entity = writer_->Get(ref);
  ASSERT_TRUE(entity.ok());
  EXPECT_EQ(FieldText(*entity, "Status"), "triggered");
}

TEST_F(PdWriterTest, DescriptionIsRefusedAfterCreate) {
  engine::EntityRef ref = CreateIncident("jira:FER-7");
  absl::Status status = writer_->Update(ref, {Write("Description", "new text")});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("sync_when"));
  // With sync_when CREATE the writer leaves it out of updates.
  EXPECT_TRUE(writer_->Update(ref, {Write("Description", "x", ferry::v1::SYNC_WHEN_CREATE)}).ok());
}

TEST_F(PdWriterTest, ClearingConferenceBridgeIsANoOp) {
  engine::EntityRef ref = CreateIncident("jira:FER-8", {Write("Conference Number", "+1 555")});
  EXPECT_TRUE(writer_->Update(ref, {Write("Conference Number", "")}).ok());
  auto entity = writer_->Get(ref);
  ASSERT_TRUE(entity.ok());
  EXPECT_EQ(FieldText(*entity, "Conference Number"), "+1 555");
}

TEST_F(PdWriterTest, UnknownPriorityNamesTheKnownOnes) {
  engine::CreateRequest request;
  request.project = "PSVCWEB";
  request.fields = {Write("Title", "x"), Lookup("Priority", "Sev1")};
  auto ref = writer_->Create(request);
  EXPECT_EQ(ref.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ref.status().message(), HasSubstr("Sev1"));
  EXPECT_THAT(ref.status().message(), HasSubstr("P1, P2, P3"));
}

TEST_F(PdWriterTest, NotesCarryTheOriginAndAreFoundAfterCrash) {
  engine::EntityRef ref = CreateIncident("jira:FER-9");
  ferry::v1::CommentWrite comment;
  comment.set_body("Jira says: looking into it");
  comment.set_kind("note");
  auto id = writer_->AddComment(ref, comment, "jira:FER-9/c/100");
  ASSERT_TRUE(id.ok()) << id.status();
  auto restarted = connector_->NewWriter("jira-to-pd");
  ASSERT_TRUE(restarted.ok());
  auto found = (*restarted)->FindComment(ref, "jira:FER-9/c/100");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, *id);
  auto missing = (*restarted)->FindComment(ref, "jira:FER-9/c/101");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

// The note says what the comment says, then only the short marker: no
// origin spelled out.
TEST_F(PdWriterTest, NotesEndWithTheShortMarkerOnly) {
  engine::EntityRef ref = CreateIncident("jira:FER-12");
  ferry::v1::CommentWrite comment;
  comment.set_body("Jira says: rolled back");
  ASSERT_TRUE(writer_->AddComment(ref, comment, "ferry:jira-to-pd:jira:10001/comment/1").ok());
  nlohmann::json notes = pagerduty_sim::Body(Get("/incidents/" + ref.id + "/notes"));
  ASSERT_EQ(notes["notes"].size(), 1u) << notes;
  EXPECT_THAT(notes["notes"][0]["content"].get<std::string>(),
              ::testing::MatchesRegex("Jira says: rolled back\n\n\\(ferry [0-9a-f]{12}\\)"));
}

// Upgrade: a note the previous version posted, with the origin spelled out
// in its footer, is still found by that origin and not posted again.
TEST_F(PdWriterTest, NotesWithTheLegacyFooterAreStillFound) {
  engine::EntityRef ref = CreateIncident("jira:FER-13");
  const std::string origin = "ferry:jira-to-pd:jira:10001/comment/7";
  auto posted = Call("POST", "/incidents/" + ref.id + "/notes", "responder-token",
                     {{"note", {{"content", "Jira says: paged\n\n-- ferry origin: " + origin}}}},
                     "rita@example.com");
  ASSERT_TRUE(posted) << "no answer";
  ASSERT_EQ(posted->status / 100, 2) << posted->body;
  auto found = writer_->FindComment(ref, origin);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->value_or(""), pagerduty_sim::Body(posted)["note"]["id"]);
  auto other = writer_->FindComment(ref, origin + "0");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE(other->has_value());
}

TEST_F(PdWriterTest, StatusUpdatesAreFoundByOrigin) {
  engine::EntityRef ref = CreateIncident("jira:FER-10");
  ferry::v1::CommentWrite update;
  update.set_body("Mitigated");
  update.set_kind("status_update");
  auto id = writer_->AddComment(ref, update, "jira:FER-10/c/1");
  ASSERT_TRUE(id.ok()) << id.status();
  auto found = writer_->FindComment(ref, "jira:FER-10/c/1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->has_value());
}

TEST_F(PdWriterTest, LookupByKeyIdAndNumber) {
  engine::EntityRef ref = CreateIncident("jira:FER-11", {Write("Incident Key", "web/disk 1")});
  auto by_key = writer_->Lookup("PSVCWEB", "incident_key=web%2Fdisk+1");
  ASSERT_TRUE(by_key.ok()) << by_key.status();
  ASSERT_EQ(by_key->size(), 1u);
  EXPECT_EQ((*by_key)[0].id, ref.id);
  auto by_id = writer_->Lookup("PSVCWEB", "ID=" + ref.id);
  ASSERT_TRUE(by_id.ok());
  ASSERT_EQ(by_id->size(), 1u);
  auto by_number = writer_->Lookup("PSVCWEB", "ID=" + ref.key);
  ASSERT_TRUE(by_number.ok()) << by_number.status();
  ASSERT_EQ(by_number->size(), 1u);
  EXPECT_EQ((*by_number)[0].id, ref.id);
  auto none = writer_->Lookup("PSVCWEB", "ID=PNOPE99");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto other_service = writer_->Lookup("PSVCDB1", "ID=" + ref.id);
  ASSERT_TRUE(other_service.ok());
  EXPECT_TRUE(other_service->empty());
  EXPECT_EQ(writer_->Lookup("PSVCWEB", "title=x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PdWriterTest, ObserverWriteNamesRoleAndService) {
  auto observer = MakeConnector("observer-token", "");
  auto writer = observer->NewWriter("jira-to-pd");
  ASSERT_TRUE(writer.ok());
  engine::CreateRequest request;
  request.project = "PSVCWEB";
  request.fields = {Write("Title", "x")};
  auto created = (*writer)->Create(request);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(created.status().message(), HasSubstr("Responder"));
  EXPECT_THAT(created.status().message(), HasSubstr("PSVCWEB"));
  engine::EntityRef ref = CreateIncident("jira:FER-12");
  absl::Status update = (*writer)->Update(ref, {Write("Title", "y")});
  EXPECT_EQ(update.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(update.message(), HasSubstr("service PSVCWEB"));
  EXPECT_THAT(update.message(), HasSubstr("Responder"));
  absl::Status status = (*writer)->Update(ref, {Lookup("Status", "acknowledged")});
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("Responder"));
  for (const std::string kind : {"note", "status_update"}) {
    ferry::v1::CommentWrite comment;
    comment.set_kind(kind);
    comment.set_body("from Jira");
    auto posted = (*writer)->AddComment(ref, comment, "jira:FER-12/c/1");
    EXPECT_EQ(posted.status().code(), absl::StatusCode::kPermissionDenied) << kind;
    EXPECT_THAT(posted.status().message(), HasSubstr("Responder")) << kind;
    EXPECT_THAT(posted.status().message(), HasSubstr("service PSVCWEB")) << kind;
  }
  // Reading is what an Observer may do: the incident reads back.
  auto got = (*writer)->Get(ref);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(FieldText(*got, "Title"), "Disk full on web-1");
  engine::ReaderOptions options;
  options.project = "PSVCWEB";
  ferry::v1::SourcePosition start;
  *start.mutable_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::Now() - absl::Minutes(1)));
  options.start = start;
  auto reader = observer->NewReader(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(**reader, &end);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().entity().id(), ref.id);
}

TEST_F(PdWriterTest, ErrorsNeverCarryTheToken) {
  auto bad = MakeConnector("secret-token-1234567", "ferry-bot@example.com");
  auto writer = bad->NewWriter("x");
  ASSERT_TRUE(writer.ok());
  auto got = (*writer)->Get(engine::EntityRef{"P123", "", ""});
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(absl::StrContains(got.status().message(), "secret-token-1234567"));
  EXPECT_THAT(std::string(got.status().message()), HasSubstr("valid, active PagerDuty API key"));
}

}  // namespace
}  // namespace ferry::pagerduty
