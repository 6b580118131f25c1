// A system kind defined and registered from this folder alone (the ledger:
// ledger_connector.cc) syncs with PagerDuty, both ways, through the real
// pipeline: the config loader reads its typed options, mapping validation
// finds its schema, and ferryd's embedded pipeline makes its connector, all
// through its descriptor. Nothing outside tests/seam/ names "ledger".
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mapping/system_schema.h"
#include "tests/seam/ledger_store.h"
#include "tests/support/embedded_pipeline.h"
#include "tests/support/pagerduty_pipeline.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::seam {
namespace {

using ::testing::Contains;

constexpr char kConfig[] = R"(
systems:
  - name: pd
    kind: pagerduty
    url: "http://127.0.0.1:@PD_PORT@"
    token: {env: FERRY_TEST_PD_TOKEN}
    user_email: ferry-bot@example.com
    requests_per_minute: 100000
  - name: books
    kind: ledger
    url: "ledger://@STORE@"
    token: {env: FERRY_SEAM_LEDGER_TOKEN}
    user_email: ferry
    options: {key_prefix: BOOK, page_size: "50"}
mappings:
  - name: incident-to-entry
    source_type: incident
    target_type: entry
    fields:
      - {source: Title, target: Subject, direction: BOTH}
      - source: Status
        target: State
        value_map:
          values: {triggered: open, acknowledged: open, resolved: closed}
    comments: {direction: BOTH}
integrations:
  - name: pd-books
    source: {system: pd, projects: [PSVCWEB]}
    target: {system: books, projects: [BOOK]}
    mapping: incident-to-entry
    direction: BOTH
    poll_interval: 1s
server:
  state_dir: "@DIR@/state"
)";

TEST(LedgerDescriptorTest, ItsOptionsAreCheckedLikeTheRestOfTheConfig) {
  config::ValidationOptions validation;
  validation.system_kinds = engine::ConnectorRegistry::Kinds();
  const std::string yaml = absl::StrReplaceAll(
      kConfig, {{"@PD_PORT@", "1"}, {"@STORE@", "x"}, {"@DIR@", "/tmp"},
                {"key_prefix: BOOK", "key_prefx: BOOK"}});
  const config::LoadedConfig loaded = config::LoadConfigText(yaml, "seam.yaml", validation);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(config::FormatProblem(loaded.problems[0]),
            "seam.yaml:14:15: systems[1].options.key_prefx: unknown field 'key_prefx'. "
            "Fix: did you mean 'key_prefix'?");
}

class ThrowawaySystemTest : public testing::PagerDutyPipelineTest {
 protected:
  void SetUp() override {
    PagerDutyPipelineTest::SetUp();
    setenv("FERRY_SEAM_LEDGER_TOKEN", "unused", 1);
    StartPipeline(kConfig, "seam", {{"@STORE@", "books"}});
  }

  static std::vector<LedgerEntry> Book() { return LedgerStore::Named("books").Entries("BOOK"); }

  static int RemarksContaining(const LedgerEntry& entry, const std::string& text) {
    int count = 0;
    for (const auto& remark : entry.entity.comments()) count += absl::StrContains(remark.body(), text);
    return count;
  }
};

TEST(LedgerDescriptorTest, TheLedgerJoinsThroughItsDescriptorAlone) {
  EXPECT_THAT(engine::ConnectorRegistry::Kinds(), Contains("ledger"));
  const mapping::SystemSchema* schema = mapping::FindSystemSchema("ledger");
  ASSERT_NE(schema, nullptr);
  EXPECT_EQ(schema->PlainCommentKind(), "remark");
  EXPECT_EQ(schema->query_dialect->EscapeValue("O'Brien"), "O''Brien");
}

TEST_F(ThrowawaySystemTest, SyncsWithPagerDutyBothWaysWithoutDuplicates) {
  // PagerDuty → ledger: a new incident becomes an entry, its note a remark.
  const std::string incident = NewIncident("Printer on fire");
  ASSERT_TRUE(testing::WaitUntil([] { return !Book().empty(); })) << "no ledger entry was created";
  LedgerEntry entry = Book().front();
  EXPECT_EQ(entry.entity.fields().at("Subject").text(), "Printer on fire");
  EXPECT_EQ(entry.entity.fields().at("State").lookup().name(), "open");
  EXPECT_EQ(entry.entity.display_key(), "BOOK-1");  // its typed option key_prefix
  ASSERT_TRUE(Call("POST", "/incidents/" + incident + "/notes", "account-full",
                   {{"note", {{"content", "Toner everywhere"}}}}, "ada@example.com"));
  ASSERT_TRUE(testing::WaitUntil([] { return RemarksContaining(Book().front(), "Toner everywhere") > 0; }));

  // Ledger → PagerDuty: a clerk renames the entry and remarks on it.
  ferry::v1::UserRef clerk;
  clerk.set_id("clerk");
  LedgerStore& store = LedgerStore::Named("books");
  ferry::v1::FieldValue subject;
  subject.set_text("Printer fixed");
  ASSERT_TRUE(store.SetFields(entry.entity.id(), {{"Subject", subject}}, clerk).ok());
  ASSERT_TRUE(store.AddRemark(entry.entity.id(), "Replaced the toner", clerk, "").ok());
  ASSERT_TRUE(testing::WaitUntil([&] { return Title(incident) == "Printer fixed"; }));
  ASSERT_TRUE(testing::WaitUntil([&] { return NotesContaining(incident, "Replaced the toner") > 0; }));

  // PagerDuty resolves: the entry closes.
  ASSERT_TRUE(Update(incident, {{"type", "incident_reference"}, {"status", "resolved"}}));
  ASSERT_TRUE(testing::WaitUntil([] {
    return Book().front().entity.fields().at("State").lookup().name() == "closed";
  }));

  // A few more polls change nothing: one entry, each comment once.
  absl::SleepFor(absl::Seconds(3));
  const std::vector<LedgerEntry> book = Book();
  ASSERT_EQ(book.size(), 1u);
  EXPECT_EQ(RemarksContaining(book[0], "Toner everywhere"), 1);
  EXPECT_EQ(RemarksContaining(book[0], "Replaced the toner"), 1);  // the clerk's own
  EXPECT_EQ(NotesContaining(incident, "Replaced the toner"), 1);
  EXPECT_EQ(NotesContaining(incident, "Toner everywhere"), 1);
  EXPECT_EQ(Title(incident), "Printer fixed");
}

}  // namespace
}  // namespace ferry::seam
