#include "tools/servicenow_sim/incident_rules.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::servicenow_sim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kSysId[] = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

WriteContext Ferry(const std::string& now = "2026-12-06 07:05:21") {
  return WriteContext{"f0000000000000000000000000000001", "ferry", now};
}

// A row as the store hands it to BeforeInsert: the posted columns plus the
// system columns.
Record Posted(Record columns) {
  columns["sys_id"] = kSysId;
  columns["sys_mod_count"] = "0";
  return columns;
}

// Inserts `columns`, expecting success; returns the stored row.
Record Insert(const IncidentRules& rules, Record columns) {
  Record row = Posted(std::move(columns));
  WriteEffects effects;
  absl::Status status = rules.BeforeInsert(Ferry(), row, effects);
  EXPECT_TRUE(status.ok()) << status;
  return row;
}

// Applies `written` to `before` as the store does (sys_mod_count advanced)
// and runs BeforeUpdate.
absl::Status Update(const IncidentRules& rules, const Record& before,
                    const Record& written, Record& after,
                    WriteEffects& effects,
                    const WriteContext& context = Ferry()) {
  after = before;
  for (const auto& [column, value] : written) after[column] = value;
  after["sys_mod_count"] =
      std::to_string(std::stoi(before.at("sys_mod_count")) + 1);
  return rules.BeforeUpdate(context, before, after, effects);
}

std::vector<std::string> Tables(const WriteEffects& effects) {
  std::vector<std::string> tables;
  for (const auto& insert : effects.inserts) tables.push_back(insert.table);
  return tables;
}

// A fresh New incident (`before_`) and what an update of it produced.
class IncidentRulesTest : public ::testing::Test {
 protected:
  IncidentRules rules_;
  Record before_ = Insert(rules_, {});
  Record after_;
  WriteEffects effects_;
};

TEST_F(IncidentRulesTest, InsertNumbersIncidentsInOrderWithSevenDigits) {
  IncidentRules rules;
  EXPECT_EQ(Insert(rules, {{"short_description", "a"}})["number"],
            "INC0010001");
  EXPECT_EQ(Insert(rules, {{"short_description", "b"}})["number"],
            "INC0010002");
  EXPECT_EQ(Insert(rules, {{"number", "INC0099999"}})["number"], "INC0099999");
}

TEST_F(IncidentRulesTest, RefusedInsertDoesNotUseANumber) {
  IncidentRules rules;
  Record row = Posted({{"state", "6"}});
  WriteEffects effects;
  EXPECT_FALSE(rules.BeforeInsert(Ferry(), row, effects).ok());
  EXPECT_EQ(Insert(rules, {})["number"], "INC0010001");
}

TEST_F(IncidentRulesTest, InsertFillsDefaultsAndShowsEveryColumn) {
  IncidentRules rules;
  Record row = Insert(rules, {{"short_description", "Disk full"}});
  EXPECT_EQ(row["state"], "1");
  EXPECT_EQ(row["incident_state"], "1");
  EXPECT_EQ(row["impact"], "3");
  EXPECT_EQ(row["urgency"], "3");
  EXPECT_EQ(row["priority"], "5");
  EXPECT_EQ(row["active"], "true");
  EXPECT_EQ(row["opened_at"], "2026-12-06 07:05:21");
  EXPECT_EQ(row["opened_by"], Ferry().user_sys_id);
  for (const char* empty : {"close_code", "close_notes", "hold_reason",
                            "comments", "work_notes", "correlation_id",
                            "correlation_display", "resolved_at"}) {
    ASSERT_TRUE(row.contains(empty)) << empty;
    EXPECT_EQ(row[empty], "") << empty;
  }
}

TEST_F(IncidentRulesTest, PriorityFollowsTheDefaultLookupMatrix) {
  const char* expected[3][3] = {{"1", "2", "3"}, {"2", "3", "4"}, {"3", "4", "5"}};
  IncidentRules rules;
  for (int impact = 1; impact <= 3; ++impact) {
    for (int urgency = 1; urgency <= 3; ++urgency) {
      Record row = Insert(rules, {{"impact", std::to_string(impact)},
                                  {"urgency", std::to_string(urgency)}});
      EXPECT_EQ(row["priority"], expected[impact - 1][urgency - 1])
          << "impact " << impact << " urgency " << urgency;
    }
  }
  EXPECT_EQ(IncidentRules::PriorityFor("4", "1"), "");
}

TEST_F(IncidentRulesTest, WrittenPriorityIsIgnoredAndRecomputed) {
  IncidentRules rules;
  Record before = Insert(rules, {{"impact", "2"}, {"urgency", "2"},
                                 {"priority", "1"}});
  EXPECT_EQ(before["priority"], "3");
  Record after;
  WriteEffects effects;
  ASSERT_TRUE(Update(rules, before, {{"priority", "1"}}, after, effects).ok());
  EXPECT_EQ(after["priority"], "3");
  ASSERT_TRUE(Update(rules, before, {{"urgency", "1"}}, after, effects).ok());
  EXPECT_EQ(after["priority"], "2");
}

TEST_F(IncidentRulesTest, ValuesOutsideTheChoiceListsAreRefusedNamingTheField) {
  IncidentRules rules;
  Record before = Insert(rules, {});
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"state", "4"}, {"impact", "0"}, {"urgency", "High"},
           {"hold_reason", "2"}}) {
    Record after;
    WriteEffects effects;
    absl::Status status = Update(rules, before, {{field, value}}, after, effects);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(status.message(), HasSubstr("incident." + field)) << status;
  }
}

TEST_F(IncidentRulesTest, SeededRowWithoutChoiceValuesCanStillBeUpdated) {
  // Rows loaded by Store::Seed skip the rules: no impact, urgency or state.
  Record seeded{{"sys_id", "0123456789abcdef0123456789abcdef"},
                {"sys_mod_count", "0"},
                {"short_description", "seeded"},
                {"priority", "4"}};
  ASSERT_TRUE(Update(rules_, seeded, {{"short_description", "edited"}}, after_,
                     effects_)
                  .ok());
  EXPECT_EQ(after_["priority"], "4");
  EXPECT_FALSE(
      Update(rules_, seeded, {{"impact", "9"}}, after_, effects_).ok());
}

TEST_F(IncidentRulesTest, IncidentStateMirrorsStateBothWays) {
  ASSERT_TRUE(Update(rules_, before_, {{"state", "2"}}, after_, effects_).ok());
  EXPECT_EQ(after_["incident_state"], "2");
  ASSERT_TRUE(
      Update(rules_, before_, {{"incident_state", "2"}}, after_, effects_).ok());
  EXPECT_EQ(after_["state"], "2");
  EXPECT_EQ(Insert(rules_, {{"incident_state", "2"}})["state"], "2");
}

TEST_F(IncidentRulesTest, OnHoldNeedsAHoldReason) {
  absl::Status status = Update(rules_, before_, {{"state", "3"}}, after_, effects_);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(),
            "Data Policy Exception: The following fields are mandatory: "
            "On hold reason");
  EXPECT_TRUE(Update(rules_, before_, {{"state", "3"}, {"hold_reason", "4"}},
                     after_, effects_)
                  .ok());
}

TEST_F(IncidentRulesTest, AwaitingCallerNeedsACommentInTheSameWrite) {
  absl::Status status = Update(
      rules_, before_, {{"state", "3"}, {"hold_reason", "1"}}, after_, effects_);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("Additional comments"));
  ASSERT_TRUE(Update(rules_, before_,
                     {{"state", "3"}, {"hold_reason", "1"},
                      {"comments", "Can you reproduce it?"}},
                     after_, effects_)
                  .ok());
  // Once there, other writes need no new comment.
  Record on_hold = after_;
  EXPECT_TRUE(Update(rules_, on_hold, {{"urgency", "1"}}, after_, effects_).ok());
}

TEST_F(IncidentRulesTest, ResolvedAndClosedNeedCloseCodeAndNotes) {
  IncidentRules rules;
  Record before = Insert(rules, {});
  for (const char* state : {"6", "7"}) {
    Record after;
    WriteEffects effects;
    absl::Status status = Update(rules, before, {{"state", state}}, after, effects);
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(status.message(),
              "Data Policy Exception: The following fields are mandatory: "
              "Resolution code, Resolution notes");
    status = Update(rules, before,
                    {{"state", state}, {"close_code", "Solved (Permanently)"}},
                    after, effects);
    EXPECT_EQ(status.message(),
              "Data Policy Exception: The following fields are mandatory: "
              "Resolution notes");
  }
}

TEST_F(IncidentRulesTest, ResolvingAndClosingStampWhoAndWhenAndDeactivate) {
  IncidentRules rules;
  Record before = Insert(rules, {});
  Record resolved;
  WriteEffects effects;
  ASSERT_TRUE(Update(rules, before,
                     {{"state", "6"},
                      {"close_code", "Solved (Permanently)"},
                      {"close_notes", "Restarted"}},
                     resolved, effects, Ferry("2026-12-06 08:00:00"))
                  .ok());
  EXPECT_EQ(resolved["active"], "false");
  EXPECT_EQ(resolved["resolved_at"], "2026-12-06 08:00:00");
  EXPECT_EQ(resolved["resolved_by"], Ferry().user_sys_id);
  EXPECT_EQ(resolved["closed_at"], "");

  Record closed;
  ASSERT_TRUE(Update(rules, resolved, {{"state", "7"}}, closed, effects,
                     Ferry("2026-12-06 09:00:00"))
                  .ok());
  EXPECT_EQ(closed["closed_at"], "2026-12-06 09:00:00");
  EXPECT_EQ(closed["resolved_at"], "2026-12-06 08:00:00");
  EXPECT_EQ(closed["active"], "false");

  Record reopened;
  ASSERT_TRUE(
      Update(rules, resolved, {{"state", "2"}}, reopened, effects).ok());
  EXPECT_EQ(reopened["active"], "true");
}

TEST_F(IncidentRulesTest, CanceledIsInactiveWithoutCloseFields) {
  ASSERT_TRUE(Update(rules_, before_, {{"state", "8"}}, after_, effects_).ok());
  EXPECT_EQ(after_["active"], "false");
}

TEST_F(IncidentRulesTest, JournalWritesBecomeSysJournalFieldRows) {
  ASSERT_TRUE(Update(rules_, before_,
                     {{"comments", "Customer told"}, {"work_notes", "Internal"}},
                     after_, effects_)
                  .ok());
  EXPECT_EQ(after_["comments"], "");
  EXPECT_EQ(after_["work_notes"], "");
  ASSERT_THAT(Tables(effects_),
              ElementsAre("sys_journal_field", "sys_audit",
                          "sys_journal_field", "sys_audit"));
  const Record& comment = effects_.inserts[0].row;
  EXPECT_EQ(comment.at("element"), "comments");
  EXPECT_EQ(comment.at("element_id"), kSysId);
  EXPECT_EQ(comment.at("name"), "incident");
  EXPECT_EQ(comment.at("value"), "Customer told");
  EXPECT_EQ(comment.at("sys_created_on"), "2026-12-06 07:05:21");
  EXPECT_EQ(comment.at("sys_created_by"), "ferry");
  EXPECT_EQ(effects_.inserts[2].row.at("element"), "work_notes");
  EXPECT_EQ(effects_.inserts[2].row.at("value"), "Internal");
}

TEST_F(IncidentRulesTest, JournalOnInsertIsKeptButNotAudited) {
  IncidentRules rules;
  Record row = Posted({{"work_notes", "Opened by Ferry"}});
  WriteEffects effects;
  ASSERT_TRUE(rules.BeforeInsert(Ferry(), row, effects).ok());
  EXPECT_EQ(row["work_notes"], "");
  EXPECT_THAT(Tables(effects), ElementsAre("sys_journal_field"));
}

TEST_F(IncidentRulesTest, AuditRowsForChangedAuditedFieldsAndJournalEntries) {
  IncidentRules rules;
  Record before = Insert(rules, {{"short_description", "Disk full"}});
  Record after;
  WriteEffects effects;
  ASSERT_TRUE(Update(rules, before,
                     {{"urgency", "1"},
                      {"short_description", "Disk full on db1"},
                      {"correlation_id", "PD-Q1"},
                      {"correlation_display", "PagerDuty"},
                      {"comments", "Looking"}},
                     after, effects)
                  .ok());
  std::vector<std::string> fields;
  for (const auto& insert : effects.inserts) {
    if (insert.table == "sys_audit") fields.push_back(insert.row.at("fieldname"));
  }
  // correlation_display is not audited; priority follows urgency.
  EXPECT_THAT(fields, ElementsAre("urgency", "priority", "short_description",
                                  "correlation_id", "comments"));
  const Record* urgency = nullptr;
  const Record* comment = nullptr;
  for (const auto& insert : effects.inserts) {
    if (insert.table != "sys_audit") continue;
    if (insert.row.at("fieldname") == "urgency") urgency = &insert.row;
    if (insert.row.at("fieldname") == "comments") comment = &insert.row;
  }
  ASSERT_NE(urgency, nullptr);
  EXPECT_EQ(urgency->at("tablename"), "incident");
  EXPECT_EQ(urgency->at("documentkey"), kSysId);
  EXPECT_EQ(urgency->at("user"), "ferry");
  EXPECT_EQ(urgency->at("oldvalue"), "3");
  EXPECT_EQ(urgency->at("newvalue"), "1");
  EXPECT_EQ(urgency->at("record_checkpoint"), "1");
  EXPECT_EQ(urgency->at("sys_created_on"), "2026-12-06 07:05:21");
  ASSERT_NE(comment, nullptr);
  EXPECT_EQ(comment->at("oldvalue"), "JOURNAL FIELD ADDITION");
  EXPECT_EQ(comment->at("newvalue"), "Looking");
  EXPECT_EQ(after["correlation_display"], "PagerDuty");
}

TEST_F(IncidentRulesTest, NoAuditRowsWhenNothingChanged) {
  ASSERT_TRUE(Update(rules_, before_, {{"impact", "3"}}, after_, effects_).ok());
  EXPECT_THAT(effects_.inserts, IsEmpty());
}

TEST_F(IncidentRulesTest, RefusedUpdateAddsNoRows) {
  EXPECT_FALSE(Update(rules_, before_, {{"state", "6"}, {"comments", "done"}},
                      after_, effects_)
                   .ok());
  EXPECT_THAT(effects_.inserts, IsEmpty());
}

}  // namespace
}  // namespace ferry::servicenow_sim
