#include "connectors/servicenow/sn_reader_rows.h"

#include "absl/time/time.h"
#include "engine/common/proto_time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ferry::servicenow {
namespace {

using json = nlohmann::json;

const absl::Time kT = absl::FromUnixSeconds(1'796'540'721);  // 2026-12-06 07:05:21 UTC

TEST(ReaderRowsTest, DatetimesAreReadAsUtc) {
  EXPECT_EQ(*ParseServiceNowDateTime("2026-12-06 07:05:21"), kT);
  EXPECT_FALSE(ParseServiceNowDateTime("06/12/2026 07:05").ok());
}

TEST(ReaderRowsTest, AnAuditRowIsAFieldChangeWithLabelsAndItsAuthor) {
  const json row = {{"documentkey", "inc1"},     {"fieldname", "state"},
                    {"user", "alice"},          {"oldvalue", "1"},
                    {"newvalue", "6"},          {"sys_created_on", "2026-12-06 07:05:21"},
                    {"record_checkpoint", "4"}, {"sys_id", "a1"}};
  auto entry = ParseAuditRow(row, "GET sys_audit");
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->checkpoint, 4);
  EXPECT_FALSE(IsJournalAudit(*entry));
  const ferry::v1::FieldChange change = FieldChangeOf(*entry);
  EXPECT_EQ(change.field(), "state");
  EXPECT_EQ(change.old_value().lookup().name(), "New");
  EXPECT_EQ(change.new_value().lookup().id(), "6");
  EXPECT_EQ(change.new_value().lookup().name(), "Resolved");
  EXPECT_EQ(change.changed_by().id(), "alice");
  EXPECT_EQ(FromProto(change.changed_at()), kT);
}

TEST(ReaderRowsTest, AnEmptyOldValueIsUnsetAndJournalAuditRowsAreRecognised) {
  const json row = {{"documentkey", "inc1"}, {"fieldname", "work_notes"}, {"user", "alice"},
                    {"oldvalue", ""},        {"newvalue", "checked the logs"},
                    {"sys_created_on", "2026-12-06 07:05:21"}};
  auto entry = ParseAuditRow(row, "GET sys_audit");
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->checkpoint, std::nullopt) << "instances that do not fill record_checkpoint";
  EXPECT_TRUE(IsJournalAudit(*entry));
  EXPECT_FALSE(FieldChangeOf(*entry).has_old_value());
}

TEST(ReaderRowsTest, AMalformedRowNamesTheRequestAndColumn) {
  auto entry = ParseAuditRow(json{{"documentkey", "inc1"}, {"fieldname", "state"},
                                  {"user", "alice"}, {"sys_created_on", "yesterday"}},
                             "GET sys_audit");
  ASSERT_FALSE(entry.ok());
  EXPECT_EQ(entry.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(entry.status().message().find("sys_created_on"), std::string::npos);
  auto journal = ParseJournalRow(json{{"sys_id", "j1"}, {"element_id", 7}}, "GET sys_journal_field");
  ASSERT_FALSE(journal.ok());
  EXPECT_NE(journal.status().message().find("element_id"), std::string::npos) << journal.status();
}

TEST(ReaderRowsTest, AJournalEntryIsACommentOfItsKind) {
  const json row = {{"sys_id", "j1"},          {"element_id", "inc1"},
                    {"element", "work_notes"}, {"value", "rebooted db-2"},
                    {"sys_created_by", "alice"}, {"sys_created_on", "2026-12-06 07:05:21"}};
  auto entry = ParseJournalRow(row, "GET sys_journal_field");
  ASSERT_TRUE(entry.ok()) << entry.status();
  const ferry::v1::Comment comment = CommentOf(*entry);
  EXPECT_EQ(comment.id(), "j1");
  EXPECT_EQ(comment.kind(), "work_notes");
  EXPECT_EQ(comment.body(), "rebooted db-2");
  EXPECT_EQ(comment.author().id(), "alice");
  EXPECT_EQ(FromProto(comment.created_at()), kT);
  EXPECT_EQ(comment.format(), ferry::v1::TEXT_FORMAT_PLAIN);
}

TEST(ReaderRowsTest, OnlyFerrysExactMarkerGivesAnEntryTheMarkersId) {
  EXPECT_EQ(MarkerCommentId("Paged the DBA\n\n(ferry 0123456789ab)"), "ferry-0123456789ab");
  EXPECT_EQ(MarkerCommentId("\n\n(ferry abcdef012345)"), "ferry-abcdef012345");
  // Not the marker: a person's words, upper case, a digit short, no empty
  // line before it, text after it.
  EXPECT_EQ(MarkerCommentId("Paged the DBA"), std::nullopt);
  EXPECT_EQ(MarkerCommentId("x\n\n(ferry 0123456789AB)"), std::nullopt);
  EXPECT_EQ(MarkerCommentId("x\n\n(ferry 0123456789a)"), std::nullopt);
  EXPECT_EQ(MarkerCommentId("x\n(ferry 0123456789ab)"), std::nullopt);
  EXPECT_EQ(MarkerCommentId("x\n\n(ferry 0123456789ab) ok"), std::nullopt);
  EXPECT_EQ(MarkerCommentId("(ferry 0123456789ab)"), std::nullopt);

  JournalEntry entry;
  entry.sys_id = "a1b2c3";
  entry.value = "mine";
  EXPECT_EQ(JournalCommentId(entry), "a1b2c3");
  entry.value = "copied\n\n(ferry 0123456789ab)";
  EXPECT_EQ(JournalCommentId(entry), "ferry-0123456789ab");
}

TEST(ReaderRowsTest, AnIncidentRowIsAnEntityWithLabelsAndItsRevision) {
  const json row = {{"sys_id", "inc1"},
                    {"number", "INC0010001"},
                    {"sys_mod_count", "3"},
                    {"sys_created_on", "2026-12-06 07:00:00"},
                    {"sys_updated_on", "2026-12-06 07:05:21"},
                    {"short_description", "db-2 down"},
                    {"state", "2"},
                    {"impact", "1"},
                    {"assigned_to", "u42"},
                    {"close_notes", ""}};
  auto entity = EntityOfIncident(row, "sn", "incident", "https://x/inc1", "GET incident");
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->id(), "inc1");
  EXPECT_EQ(entity->display_key(), "INC0010001");
  EXPECT_EQ(entity->revision(), 3);
  EXPECT_EQ(entity->type(), "incident");
  EXPECT_EQ(FromProto(entity->updated_at()), kT);
  EXPECT_EQ(entity->fields().at("short_description").text(), "db-2 down");
  EXPECT_EQ(entity->fields().at("state").lookup().name(), "In Progress");
  EXPECT_EQ(entity->fields().at("impact").lookup().name(), "1 - High");
  EXPECT_EQ(entity->fields().at("assigned_to").user().id(), "u42");
  EXPECT_EQ(entity->fields().count("close_notes"), 0u) << "empty values are left out";
  EXPECT_EQ(entity->fields().count("sys_updated_on"), 1u);
}

}  // namespace
}  // namespace ferry::servicenow
