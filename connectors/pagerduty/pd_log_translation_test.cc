#include "connectors/pagerduty/pd_log_translation.h"

#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

// An incident as GET /incidents/{id} returns it, acknowledged by Rita.
nlohmann::json Incident() {
  return nlohmann::json::parse(R"({
    "id": "PINC001", "type": "incident", "incident_number": 42, "title": "Disk full",
    "status": "acknowledged", "urgency": "high",
    "created_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-01T10:05:00Z",
    "service": {"id": "PSVCWEB", "type": "service_reference", "summary": "Web"},
    "priority": {"id": "PPRIO1", "type": "priority_reference", "summary": "P1"},
    "first_trigger_log_entry": {"id": "RTRIGGER1", "type": "trigger_log_entry_reference"}
  })");
}

// A log entry of `type` on PINC001 of service PSVCWEB by user `agent_id`.
nlohmann::json Entry(const std::string& id, const std::string& type,
                     const std::string& agent_id = "PRESP01") {
  nlohmann::json entry = nlohmann::json::parse(R"({
    "created_at": "2024-05-01T10:05:00Z",
    "channel": {"type": "web_ui"},
    "service": {"id": "PSVCWEB", "type": "service_reference", "summary": "Web"},
    "incident": {"id": "PINC001", "type": "incident_reference", "summary": "[#42] Disk full"}
  })");
  entry["id"] = id;
  entry["type"] = type;
  entry["agent"] = {{"id", agent_id}, {"type", "user_reference"}, {"summary", "Rita"}};
  return entry;
}

ChangeContext Context() {
  ChangeContext context;
  context.system = "pd-prod";
  context.project = "PSVCWEB";
  context.integration = "pd-to-jira";
  context.me_id = "PBOT001";
  return context;
}

ferry::v1::Comment Note(const std::string& id, const std::string& author_id) {
  ferry::v1::Comment note;
  note.set_id(id);
  note.set_kind("note");
  note.mutable_author()->set_id(author_id);
  return note;
}

TEST(PdLogTranslationTest, EntryMembersAreRead) {
  const nlohmann::json entry = Entry("RACK1", "acknowledge_log_entry");
  EXPECT_EQ(LogEntryId(entry), "RACK1");
  EXPECT_EQ(LogEntryType(entry), "acknowledge_log_entry");
  EXPECT_EQ(LogEntryServiceId(entry), "PSVCWEB");
  EXPECT_EQ(LogEntryIncidentId(entry), "PINC001");
  auto time = LogEntryTime(entry);
  ASSERT_TRUE(time.ok()) << time.status();
  EXPECT_EQ(*time, absl::FromUnixSeconds(1714557900));
  EXPECT_EQ(FirstTriggerId(Incident()), "RTRIGGER1");
  EXPECT_EQ(LogEntryIncidentId(nlohmann::json::object()), "");
  EXPECT_FALSE(LogEntryTime(nlohmann::json::object()).ok());
}

TEST(PdLogTranslationTest, AcknowledgementIsAStatusChangeByItsAgent) {
  const nlohmann::json entry = Entry("RACK1", "acknowledge_log_entry");
  ASSERT_EQ(ChangedIncidentId(entry, "PBOT001", "PSVCWEB"), "PINC001");
  auto event = LogEntryToChange(entry, Incident(),
                                {Note("PNOTE1", "PRESP01"), Note("PNOTE2", "PBOT001")},
                                Context());
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_FALSE(event->created());
  EXPECT_EQ(event->change_id(), "PINC001@RACK1");
  EXPECT_EQ(event->integration(), "pd-to-jira");
  const ferry::v1::Entity& entity = event->entity();
  EXPECT_EQ(entity.system(), "pd-prod");
  EXPECT_EQ(entity.project(), "PSVCWEB");
  EXPECT_EQ(entity.fields().at("Title").text(), "Disk full");
  EXPECT_EQ(entity.last_changed_by().id(), "PRESP01");
  // The integration user's own note stays out; only notes travel.
  ASSERT_EQ(entity.comments_size(), 1);
  EXPECT_EQ(entity.comments(0).id(), "PNOTE1");
  EXPECT_FALSE(entity.comments_complete());
  ASSERT_EQ(event->changes_size(), 1);
  const ferry::v1::FieldChange& change = event->changes(0);
  EXPECT_EQ(change.field(), "Status");
  EXPECT_EQ(change.new_value().lookup().name(), "acknowledged");
  EXPECT_EQ(change.changed_by().id(), "PRESP01");
  EXPECT_EQ(change.changed_at().seconds(), 1714557900);
}

TEST(PdLogTranslationTest, EachEntryTypeChangesItsField) {
  const std::pair<const char*, const char*> fields[] = {
      {"resolve_log_entry", "Status"},
      {"escalate_log_entry", "Status"},
      {"priority_change_log_entry", "Priority"},
      {"urgency_change_log_entry", "Urgency"},
      {"assign_log_entry", "Assignee"}};
  for (const auto& [type, field] : fields) {
    auto event = LogEntryToChange(Entry("R1", type), Incident(), {}, Context());
    ASSERT_TRUE(event.ok()) << event.status();
    ASSERT_EQ(event->changes_size(), 1) << type;
    EXPECT_EQ(event->changes(0).field(), field) << type;
  }
  // A note changes no field: the comments carry it.
  auto annotated = LogEntryToChange(Entry("R2", "annotate_log_entry"), Incident(),
                                    {Note("PNOTE1", "PRESP01")}, Context());
  ASSERT_TRUE(annotated.ok()) << annotated.status();
  EXPECT_EQ(annotated->changes_size(), 0);
  EXPECT_EQ(annotated->entity().comments_size(), 1);
}

TEST(PdLogTranslationTest, OnlyTheFirstTriggerIsACreation) {
  auto first = LogEntryToChange(Entry("RTRIGGER1", "trigger_log_entry"), Incident(), {},
                                Context());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->created());
  // Triggered again later (after a resolve): a status change, not a creation.
  auto again = LogEntryToChange(Entry("RTRIGGER2", "trigger_log_entry"), Incident(), {},
                                Context());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->created());
  nlohmann::json without_trigger = Incident();
  without_trigger.erase("first_trigger_log_entry");
  nlohmann::json no_id = Entry("", "trigger_log_entry");
  no_id.erase("id");
  auto unknown = LogEntryToChange(no_id, without_trigger, {}, Context());
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->created());
}

TEST(PdLogTranslationTest, StatusUpdateIsACommentOnlyWhenAsked) {
  nlohmann::json entry = Entry("RUPD1", "status_update_log_entry");
  entry["message"] = "Rolled back deploy 4711";
  auto plain = LogEntryToChange(entry, Incident(), {}, Context());
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->entity().comments_size(), 0);
  ChangeContext asked = Context();
  asked.status_updates_as_comments = true;
  auto event = LogEntryToChange(entry, Incident(), {}, asked);
  ASSERT_TRUE(event.ok()) << event.status();
  ASSERT_EQ(event->entity().comments_size(), 1);
  const ferry::v1::Comment& update = event->entity().comments(0);
  EXPECT_EQ(update.id(), "RUPD1");
  EXPECT_EQ(update.kind(), "status_update");
  EXPECT_EQ(update.body(), "Rolled back deploy 4711");
  EXPECT_EQ(update.author().id(), "PRESP01");
  EXPECT_EQ(update.created_at().seconds(), 1714557900);
}

TEST(PdLogTranslationTest, AMonitoringToolsActionsAreChangesByTheIntegration) {
  nlohmann::json entry = Entry("RACK1", "acknowledge_log_entry");
  entry["agent"] = {{"id", "PINTEG1"},
                    {"type", "events_api_v2_inbound_integration_reference"},
                    {"summary", "Prometheus"}};
  entry["channel"] = {{"type", "api"}};
  ASSERT_EQ(ChangedIncidentId(entry, "PBOT001", "PSVCWEB"), "PINC001");
  auto event = LogEntryToChange(entry, Incident(), {}, Context());
  ASSERT_TRUE(event.ok()) << event.status();
  ASSERT_EQ(event->changes_size(), 1);
  EXPECT_EQ(event->changes(0).field(), "Status");
  EXPECT_EQ(event->changes(0).changed_by().id(), "PINTEG1");
  EXPECT_EQ(event->changes(0).changed_by().name(), "Prometheus");
  // Only a person can be Ferry: an integration or a service that shares the
  // id of Ferry's user (ids are opaque; nothing promises they never
  // collide) still changes the incident.
  entry["agent"]["id"] = "PBOT001";
  EXPECT_EQ(ChangedIncidentId(entry, "PBOT001", "PSVCWEB"), "PINC001");
  entry["agent"]["type"] = "service_reference";
  EXPECT_EQ(ChangedIncidentId(entry, "PBOT001", "PSVCWEB"), "PINC001");
}

TEST(PdLogTranslationTest, AMergedIncidentsResolveNamesTheSurvivingIncident) {
  nlohmann::json incident = Incident();
  incident["status"] = "resolved";
  incident["resolve_reason"] = {
      {"type", "merge_resolve_reason"},
      {"incident",
       {{"id", "PINC009"},
        {"type", "incident_reference"},
        {"summary", "[#9] Database down"},
        {"html_url", "https://x.pagerduty.com/incidents/PINC009"}}}};
  auto event = LogEntryToChange(Entry("RRES1", "resolve_log_entry"), incident, {}, Context());
  ASSERT_TRUE(event.ok()) << event.status();
  ASSERT_EQ(event->changes_size(), 1);
  EXPECT_EQ(event->changes(0).new_value().lookup().name(), "resolved");
  ASSERT_EQ(event->entity().comments_size(), 1);
  const ferry::v1::Comment& comment = event->entity().comments(0);
  EXPECT_EQ(comment.id(), "RRES1");
  EXPECT_EQ(comment.kind(), "note");
  EXPECT_EQ(comment.author().id(), "PRESP01");
  EXPECT_EQ(comment.body(),
            "Merged into PagerDuty incident [#9] Database down "
            "(https://x.pagerduty.com/incidents/PINC009), which carries on with its alerts.");
  // A plain resolve says nothing more.
  auto plain = LogEntryToChange(Entry("RRES2", "resolve_log_entry"), Incident(), {}, Context());
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->entity().comments_size(), 0);
  EXPECT_EQ(MergeText(Incident()), std::nullopt);
}

TEST(PdLogTranslationTest, AnAlertGroupedIntoTheIncidentIsAComment) {
  nlohmann::json grouped = Entry("RTRIGGER2", "trigger_log_entry");
  grouped["agent"] = {{"id", "PINTEG1"},
                      {"type", "events_api_v2_inbound_integration_reference"},
                      {"summary", "Prometheus"}};
  grouped["channel"] = {{"type", "api"}, {"summary", "Replication lag on db-1"}};
  auto event = LogEntryToChange(grouped, Incident(), {}, Context());
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_FALSE(event->created());
  ASSERT_EQ(event->entity().comments_size(), 1);
  EXPECT_EQ(event->entity().comments(0).id(), "RTRIGGER2");
  EXPECT_EQ(event->entity().comments(0).body(),
            "New alert from Prometheus: Replication lag on db-1");
  // The incident's own first trigger, and a person reopening, say nothing.
  nlohmann::json first = grouped;
  first["id"] = "RTRIGGER1";
  auto created = LogEntryToChange(first, Incident(), {}, Context());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->created());
  EXPECT_EQ(created->entity().comments_size(), 0);
  EXPECT_EQ(AlertAddedText(Entry("RTRIGGER3", "trigger_log_entry")), std::nullopt);
}

TEST(PdLogTranslationTest, EntriesThatAreNotChangesToSync) {
  EXPECT_EQ(ChangedIncidentId(Entry("R1", "notify_log_entry"), "PBOT001", "PSVCWEB"),
            std::nullopt);
  // Ferry's own write must not come back as a change.
  EXPECT_EQ(ChangedIncidentId(Entry("R2", "acknowledge_log_entry", "PBOT001"), "PBOT001",
                              "PSVCWEB"),
            std::nullopt);
  // An assignment by the escalation policy follows a change already read;
  // one by a person is a change.
  nlohmann::json automatic = Entry("R3", "assign_log_entry");
  automatic["agent"] = {{"id", "PEP1"}, {"type", "escalation_policy_reference"}};
  EXPECT_EQ(ChangedIncidentId(automatic, "PBOT001", "PSVCWEB"), std::nullopt);
  EXPECT_EQ(ChangedIncidentId(Entry("R4", "assign_log_entry"), "PBOT001", "PSVCWEB"),
            "PINC001");
  EXPECT_EQ(ChangedIncidentId(Entry("R5", "acknowledge_log_entry"), "PBOT001", "PSVCDB1"),
            std::nullopt);
  nlohmann::json no_incident = Entry("R6", "acknowledge_log_entry");
  no_incident.erase("incident");
  EXPECT_EQ(ChangedIncidentId(no_incident, "PBOT001", "PSVCWEB"), std::nullopt);
}

TEST(PdLogTranslationTest, MalformedEntryTimeOrIncidentIsRefused) {
  nlohmann::json entry = Entry("R1", "acknowledge_log_entry");
  entry["created_at"] = "yesterday";
  EXPECT_EQ(LogEntryToChange(entry, Incident(), {}, Context()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LogEntryToChange(Entry("R2", "acknowledge_log_entry"), nlohmann::json::object(),
                             {}, Context())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::pagerduty
