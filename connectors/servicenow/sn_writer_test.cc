// The writer against the ServiceNow simulator (with the incident rules):
// what each operation writes, what it costs in API calls, and how a crash's
// leftovers are found again.
#include "connectors/servicenow/sn_writer.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "connectors/pagerduty/pd_comment_marker.h"
#include "connectors/servicenow/sn_query_dialect.h"
#include "connectors/servicenow/sn_reader_rows.h"
#include "connectors/servicenow/testing/simulated_servicenow.h"
#include "engine/connector/testing/field_writes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/testing/fake_clock.h"
#include "nlohmann/json.hpp"

namespace ferry::servicenow {
namespace {

using ::nlohmann::json;
using engine::testing::LookupWrite;
using engine::testing::TextWrite;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "ferry:pd-sn:pagerduty:Q1ABCDEF";

ferry::v1::CommentWrite Comment(const std::string& body, const std::string& kind) {
  ferry::v1::CommentWrite comment;
  comment.set_source_comment_id("N1");
  comment.set_body(body);
  comment.set_kind(kind);
  return comment;
}

class SnWriterTest : public ::testing::Test {
 protected:
  explicit SnWriterTest(const ServiceNowOptions& options = {})
      : sn_(options), writer_(sn_.client(), "servicenow") {}

  engine::EntityRef CreateOne(const std::string& project = "incident") {
    engine::CreateRequest request;
    request.project = project;
    request.type = "incident";
    request.origin = kOrigin;
    request.fields = {TextWrite("short_description", "Disk full on db-1"),
                      TextWrite("description", "only on create", ferry::v1::SYNC_WHEN_CREATE),
                      TextWrite("category", "only on update", ferry::v1::SYNC_WHEN_UPDATE),
                      LookupWrite("impact", "1 - High"), LookupWrite("urgency", "2 - Medium")};
    absl::StatusOr<engine::EntityRef> ref = writer_.Create(request);
    EXPECT_TRUE(ref.ok()) << ref.status();
    return ref.ok() ? *ref : engine::EntityRef{};
  }

  json Row(const std::string& sys_id) {
    const json rows = sn_.Rows("incident", "sys_id=" + sys_id);
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? json::object() : rows[0];
  }

  SimulatedServiceNow sn_;
  SnWriter writer_;
};

TEST_F(SnWriterTest, CreateIsOnePostCarryingTheOriginInCorrelationId) {
  sn_.calls().Take();
  const engine::EntityRef ref = CreateOne();
  const http::testing::CallCounter::Calls calls = sn_.calls().Take();
  EXPECT_EQ(calls.writes, 1);
  EXPECT_EQ(calls.reads, 0);
  EXPECT_TRUE(absl::StartsWith(ref.key, "INC")) << ref.key;
  EXPECT_THAT(ref.url, HasSubstr("incident.do%3Fsys_id%3D" + ref.id));
  const json row = Row(ref.id);
  EXPECT_EQ(row["short_description"], "Disk full on db-1");
  EXPECT_EQ(row["description"], "only on create");
  EXPECT_EQ(row["category"], "");  // sync_when UPDATE waits for an update
  EXPECT_EQ(row["impact"], "1");
  EXPECT_EQ(row["urgency"], "2");
  EXPECT_EQ(row["priority"], "2");  // ServiceNow's matrix: 1 × 2 → 2 High
  EXPECT_EQ(row["correlation_id"], kOrigin);
  EXPECT_EQ(row["correlation_display"], "PagerDuty");
}

TEST_F(SnWriterTest, FindByOriginFindsTheCreateAfterACrashInOneRead) {
  EXPECT_EQ(*writer_.FindByOrigin("incident", kOrigin), std::nullopt);
  const engine::EntityRef ref = CreateOne();
  sn_.calls().Take();
  absl::StatusOr<std::optional<engine::EntityRef>> found =
      writer_.FindByOrigin("incident", kOrigin);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, ref.id);
  EXPECT_EQ((*found)->key, ref.key);
  EXPECT_EQ(sn_.calls().Take().total(), 1);
}

TEST_F(SnWriterTest, AnOriginLongerThanTheColumnIsStoredHashedAndStillFound) {
  const std::string long_origin = "ferry:" + std::string(120, 'x') + ":pagerduty:Q1";
  engine::CreateRequest request;
  request.project = "incident";
  request.origin = long_origin;
  request.fields = {TextWrite("short_description", "long origin")};
  auto ref = writer_.Create(request);
  ASSERT_TRUE(ref.ok()) << ref.status();
  const std::string stored = Row(ref->id)["correlation_id"];
  EXPECT_LE(stored.size(), 100u);
  EXPECT_EQ(stored, CorrelationIdFor(long_origin));
  auto found = writer_.FindByOrigin("incident", long_origin);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, ref->id);
}

TEST_F(SnWriterTest, ResolvingFillsCloseCodeAndNotesFromTheOptionsInOnePatch) {
  const engine::EntityRef ref = CreateOne();
  sn_.calls().Take();
  ASSERT_TRUE(writer_.Update(ref, {LookupWrite("state", "Resolved")}).ok());
  const http::testing::CallCounter::Calls calls = sn_.calls().Take();
  EXPECT_EQ(calls.writes, 1);
  EXPECT_EQ(calls.reads, 0);
  const json row = Row(ref.id);
  EXPECT_EQ(row["state"], "6");
  EXPECT_EQ(row["close_code"], "Solved (Permanently)");
  EXPECT_EQ(row["close_notes"], "Resolved in PagerDuty by Ferry");
}

TEST_F(SnWriterTest, AMappedCloseCodeWinsOverTheOptions) {
  const engine::EntityRef ref = CreateOne();
  ASSERT_TRUE(writer_
                  .Update(ref, {LookupWrite("state", "Closed"),
                                LookupWrite("close_code", "Workaround provided")})
                  .ok());
  const json row = Row(ref.id);
  EXPECT_EQ(row["state"], "7");
  EXPECT_EQ(row["close_code"], "Workaround provided");
  EXPECT_EQ(row["close_notes"], "Resolved in PagerDuty by Ferry");
}

TEST_F(SnWriterTest, OnHoldFillsTheHoldReason) {
  const engine::EntityRef ref = CreateOne();
  ASSERT_TRUE(writer_.Update(ref, {LookupWrite("state", "On Hold")}).ok());
  const json row = Row(ref.id);
  EXPECT_EQ(row["state"], "3");
  EXPECT_EQ(row["hold_reason"], "4");  // Awaiting Vendor
}

TEST_F(SnWriterTest, UpdateWritesOnlyFieldsThatApplyAndAnUnknownLabelCostsNoCall) {
  const engine::EntityRef ref = CreateOne();
  ASSERT_TRUE(writer_
                  .Update(ref, {TextWrite("short_description", "Disk full on db-2"),
                                TextWrite("description", "create only",
                                          ferry::v1::SYNC_WHEN_CREATE),
                                TextWrite("category", "storage", ferry::v1::SYNC_WHEN_UPDATE)})
                  .ok());
  json row = Row(ref.id);
  EXPECT_EQ(row["short_description"], "Disk full on db-2");
  EXPECT_EQ(row["description"], "only on create");
  EXPECT_EQ(row["category"], "storage");
  sn_.calls().Take();
  const absl::Status refused = writer_.Update(ref, {LookupWrite("state", "acknowledged")});
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("Resolved"));
  EXPECT_EQ(sn_.calls().Take().total(), 0);
}

TEST_F(SnWriterTest, ACommentIsOnePatchAndItsIdIsTheOneTheReaderReportsItBy) {
  const engine::EntityRef ref = CreateOne();
  sn_.calls().Take();
  absl::StatusOr<std::string> note =
      writer_.AddComment(ref, Comment("Investigating", "work_notes"), kOrigin + std::string("/c1"));
  ASSERT_TRUE(note.ok()) << note.status();
  const http::testing::CallCounter::Calls calls = sn_.calls().Take();
  EXPECT_EQ(calls.writes, 1);
  EXPECT_EQ(calls.reads, 0) << "no journal read for the new entry's id";
  EXPECT_EQ(calls.total(), 1);
  absl::StatusOr<std::string> comment =
      writer_.AddComment(ref, Comment("We are on it", "comments"), kOrigin + std::string("/c2"));
  ASSERT_TRUE(comment.ok()) << comment.status();
  EXPECT_NE(*note, *comment);
  const json entries = sn_.Rows("sys_journal_field", "element_id=" + ref.id);
  ASSERT_EQ(entries.size(), 2u);
  for (const json& entry : entries) {
    const bool is_note = entry["element"] == "work_notes";
    const std::string value = entry["value"].get<std::string>();
    EXPECT_THAT(value, HasSubstr(is_note ? "Investigating\n\n(ferry " : "We are on it\n\n(ferry "));
    // The id returned is the one a reader reports this entry by.
    JournalEntry read;
    read.sys_id = entry["sys_id"].get<std::string>();
    read.value = value;
    EXPECT_EQ(CommentOf(read).id(), is_note ? *note : *comment);
  }
}

TEST_F(SnWriterTest, FindCommentFindsTheEntryByItsMarker) {
  const engine::EntityRef ref = CreateOne();
  const std::string origin = kOrigin + std::string("/c1");
  EXPECT_EQ(*writer_.FindComment(ref, origin), std::nullopt);
  auto id = writer_.AddComment(ref, Comment("Investigating", "comments"), origin);
  ASSERT_TRUE(id.ok()) << id.status();
  // Someone else writes after it.
  sn_.As("itil_only", "PATCH", "/incident/" + ref.id, {{"work_notes", "later note"}});
  auto found = writer_.FindComment(ref, origin);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, *id);
  EXPECT_EQ(*writer_.FindComment(ref, kOrigin + std::string("/other")), std::nullopt);
}

TEST_F(SnWriterTest, AfterACrashBetweenThePatchAndTheRecordFindCommentGivesTheSameId) {
  const engine::EntityRef ref = CreateOne();
  const std::string origin = kOrigin + std::string("/crash");
  // The PATCH landed, the process died before the engine recorded the id:
  // here the entry is written as the writer writes it, and only its text
  // is known afterwards.
  sn_.As("ferry", "PATCH", "/incident/" + ref.id,
         {{"comments", pagerduty::WithOriginMarker("Paged the DBA", origin)}});
  sn_.As("itil_only", "PATCH", "/incident/" + ref.id, {{"comments", "a person's, later"}});
  auto found = writer_.FindComment(ref, origin);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  // What a writer that had not crashed would have returned for it.
  EXPECT_EQ(**found, *MarkerCommentId(pagerduty::WithOriginMarker("", origin)));
}

TEST_F(SnWriterTest, AnEntryAnOlderVersionWroteIsFoundByItsSysId) {
  const engine::EntityRef ref = CreateOne();
  const std::string origin = kOrigin + std::string("/old");
  sn_.As("ferry", "PATCH", "/incident/" + ref.id,
         {{"comments", "Paged the DBA\n\n-- ferry origin: " + origin}});
  auto found = writer_.FindComment(ref, origin);
  ASSERT_TRUE(found.ok()) << found.status();
  const json entries = sn_.Rows("sys_journal_field", "element_id=" + ref.id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(*found, entries[0]["sys_id"].get<std::string>());
}

TEST_F(SnWriterTest, LookupAndsTheQueryWithTheProjectsGroup) {
  const engine::EntityRef in_group = CreateOne(servicenow_sim::TestServiceNow::kNetworkGroup);
  EXPECT_EQ(Row(in_group.id)["assignment_group"], servicenow_sim::TestServiceNow::kNetworkGroup);
  engine::CreateRequest other;
  other.project = "incident";
  other.origin = "ferry:pd-sn:pagerduty:Q2";
  other.fields = {TextWrite("short_description", "Disk full on db-1")};
  ASSERT_TRUE(writer_.Create(other).ok());
  const EncodedQueryDialect dialect;
  const std::string query = "short_description=" + dialect.EscapeValue("Disk full on db-1");
  auto all = writer_.Lookup("incident", query);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 2u);
  auto grouped = writer_.Lookup(servicenow_sim::TestServiceNow::kNetworkGroup, query);
  ASSERT_TRUE(grouped.ok()) << grouped.status();
  ASSERT_EQ(grouped->size(), 1u);
  EXPECT_EQ((*grouped)[0].id, in_group.id);
  // A caret in the value stays in the value.
  auto none =
      writer_.Lookup("incident", "short_description=" + dialect.EscapeValue("x^ORactive=true"));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(writer_.Lookup("OPS", query).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SnWriterTest, GetShowsChoicesByLabelAndWhoChangedItLast) {
  const engine::EntityRef ref = CreateOne();
  sn_.As("itil_only", "PATCH", "/incident/" + ref.id, {{"state", "2"}});
  auto entity = writer_.Get(ref);
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->id(), ref.id);
  EXPECT_EQ(entity->display_key(), ref.key);
  EXPECT_EQ(entity->fields().at("state").lookup().name(), "In Progress");
  EXPECT_EQ(entity->fields().at("priority").lookup().name(), "2 - High");
  EXPECT_EQ(entity->last_changed_by().id(), "itil_only");
  EXPECT_EQ(entity->revision(), 1);
}

TEST(SnWriterRateLimitTest, AnHourlyLimitSpentIsResourceExhaustedNamingTheRuleAndTheWait) {
  SimulatedServiceNow sn;
  ASSERT_TRUE(sn.sim()
                  .simulator()
                  .rate_rules()
                  .Replace({{"rules", {{{"type", "user"}, {"user", "ferry"}, {"limit", 1}}}}})
                  .ok());
  http::FakeClock clock(http::FakeClock::Mode::kInstant);
  auto client = TableClient::Create(sn.config(), sn.token(), {}, &clock);
  ASSERT_TRUE(client.ok()) << client.status();
  SnWriter writer(*std::move(client), "servicenow");
  engine::CreateRequest request;
  request.project = "incident";
  request.origin = kOrigin;
  request.fields = {TextWrite("short_description", "first")};
  ASSERT_TRUE(writer.Create(request).ok());
  request.origin = "ferry:pd-sn:pagerduty:Q2";
  const absl::StatusOr<engine::EntityRef> refused = writer.Create(request);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted) << refused.status();
  EXPECT_THAT(refused.status().message(), HasSubstr("Rate limit of 1 requests per hour"));
  EXPECT_THAT(refused.status().message(), HasSubstr("gave up"));
  // The refused create was not applied: one incident.
  EXPECT_EQ(sn.Rows("incident", "").size(), 1u);
}

class SnWriterWorkNotesTest : public SnWriterTest {
 protected:
  static ServiceNowOptions WorkNotes() {
    ServiceNowOptions options;
    options.set_comment_element("work_notes");
    options.set_close_code("Solution provided");
    options.set_correlation_display("PD");
    return options;
  }
  SnWriterWorkNotesTest() : SnWriterTest(WorkNotes()) {}
};

TEST_F(SnWriterWorkNotesTest, AnotherSystemsCommentKindGoesToTheOptionsElement) {
  const engine::EntityRef ref = CreateOne();
  EXPECT_EQ(Row(ref.id)["correlation_display"], "PD");
  auto id = writer_.AddComment(ref, Comment("from a PagerDuty note", "note"), kOrigin);
  ASSERT_TRUE(id.ok()) << id.status();
  const json entries = sn_.Rows("sys_journal_field", "element_id=" + ref.id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["element"], "work_notes");
  ASSERT_TRUE(writer_.Update(ref, {LookupWrite("state", "Resolved")}).ok());
  EXPECT_EQ(Row(ref.id)["close_code"], "Solution provided");
}

}  // namespace
}  // namespace ferry::servicenow
