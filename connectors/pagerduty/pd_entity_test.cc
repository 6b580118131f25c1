#include "connectors/pagerduty/pd_entity.h"

#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

TEST(PdEntityTest, IncidentFieldsUseTheSchemaNames) {
  const nlohmann::json incident = nlohmann::json::parse(R"({
    "id": "PINC001", "incident_number": 42, "title": "Disk full",
    "incident_key": "disk-1", "status": "acknowledged", "urgency": "high",
    "html_url": "https://x.pagerduty.com/incidents/PINC001",
    "created_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-01T11:00:00+01:00",
    "service": {"id": "PSVC", "type": "service_reference", "summary": "Web"},
    "priority": {"id": "PPRIO1", "type": "priority", "name": "P1"},
    "escalation_policy": {"id": "PEP", "summary": "Web EP"},
    "assignments": [{"assignee": {"id": "PUSER", "summary": "Rita"}}],
    "body": {"type": "incident_body", "details": "df says 100%"},
    "conference_bridge": {"conference_number": "+1 555", "conference_url": null},
    "last_status_change_by": {"id": "PUSER", "type": "user_reference", "summary": "Rita"}
  })");
  auto entity = IncidentToEntity(incident, "pd-prod");
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->system(), "pd-prod");
  EXPECT_EQ(entity->project(), "PSVC");
  EXPECT_EQ(entity->display_key(), "42");
  const auto& f = entity->fields();
  EXPECT_EQ(f.at("Id").text(), "PINC001");
  EXPECT_EQ(f.at("Number").number(), 42);
  EXPECT_EQ(f.at("Incident Key").text(), "disk-1");
  EXPECT_EQ(f.at("Title").text(), "Disk full");
  EXPECT_EQ(f.at("Description").text(), "df says 100%");
  EXPECT_EQ(f.at("Status").lookup().name(), "acknowledged");
  EXPECT_EQ(f.at("Urgency").lookup().name(), "high");
  EXPECT_EQ(f.at("Priority").lookup().name(), "P1");
  EXPECT_EQ(f.at("Priority").lookup().id(), "PPRIO1");
  EXPECT_EQ(f.at("Service").lookup().name(), "Web");
  EXPECT_EQ(f.at("Escalation Policy").lookup().id(), "PEP");
  EXPECT_EQ(f.at("Assignee").user().id(), "PUSER");
  EXPECT_EQ(f.at("Conference Number").text(), "+1 555");
  EXPECT_EQ(f.count("Conference URL"), 0u);
  // 10:00Z and 11:00+01:00 are the same instant.
  EXPECT_EQ(f.at("Created").time().seconds(), 1714557600);
  EXPECT_EQ(f.at("Updated").time().seconds(), 1714557600);
  EXPECT_EQ(entity->last_changed_by().name(), "Rita");
}

TEST(PdEntityTest, AMonitoringToolsCustomDetailsReadAsText) {
  const nlohmann::json incident = nlohmann::json::parse(R"({
    "id": "PINC002", "title": "Disk almost full on db-1",
    "body": {"type": "incident_body", "details": {
      "used": "97%", "free_bytes": 1024, "mounted": true, "owner": null,
      "disks": ["/var", "/tmp"], "host": {"name": "db-1", "rack": 4}, "tags": {}}}
  })");
  auto entity = IncidentToEntity(incident, "pd-prod");
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->fields().at("Description").text(),
            "disks:\n"
            "  - /var\n"
            "  - /tmp\n"
            "free_bytes: 1024\n"
            "host:\n"
            "  name: db-1\n"
            "  rack: 4\n"
            "mounted: true\n"
            "owner: -\n"
            "tags: -\n"
            "used: 97%");
  EXPECT_EQ(DetailsAsText("as typed"), "as typed");
  EXPECT_EQ(DetailsAsText(nlohmann::json::object()), "");
  EXPECT_EQ(DetailsAsText(nlohmann::json::parse(R"([{"a": 1}, 2])")), "-\n  a: 1\n- 2");
}

TEST(PdEntityTest, IncidentWithoutIdIsRefused) {
  EXPECT_EQ(IncidentToEntity(nlohmann::json::object(), "pd").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PdEntityTest, NoteBecomesAComment) {
  const nlohmann::json note = nlohmann::json::parse(R"({
    "id": "PNOTE1", "content": "on it", "created_at": "2024-05-01T10:00:00Z",
    "user": {"id": "PUSER", "type": "user_reference", "summary": "Rita"}})");
  auto comment = NoteToComment(http::JsonReader(note, "GET /incidents/P1/notes"));
  ASSERT_TRUE(comment.ok());
  EXPECT_EQ(comment->kind(), "note");
  EXPECT_EQ(comment->author().name(), "Rita");
  EXPECT_EQ(comment->body(), "on it");
  EXPECT_EQ(comment->created_at().seconds(), 1714557600);
}

TEST(PdEntityTest, IncidentKeyForOrigin) {
  EXPECT_EQ(IncidentKeyForOrigin("jira:FER-1"), "ferry-jira:FER-1");
}

}  // namespace
}  // namespace ferry::pagerduty
