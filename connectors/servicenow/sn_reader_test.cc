// ServiceNowReader against the ServiceNow simulator: writes are made
// through the simulator's store with the second they happen in given
// explicitly (the store runs the incident rules, journal and audit rows
// as a Table API write does), so "in the same second as the last poll" is
// exact, not a race with the wall clock.
#include "connectors/servicenow/sn_reader.h"

#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "connectors/servicenow/sn_options.pb.h"
#include "connectors/servicenow/sn_reader_query.h"
#include "connectors/servicenow/testing/simulated_servicenow.h"
#include "engine/common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/simcore/fault_injector.h"
#include "tools/servicenow_sim/store.h"

namespace ferry::servicenow {
namespace {

using ferry::engine::ChangePage;
using ferry::v1::SourcePosition;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// 2026-12-06 07:00:00 UTC: the integration's start; writes come after it.
const absl::Time kStart = absl::FromUnixSeconds(1'796'540'400);

class ServiceNowReaderTest : public ::testing::Test {
 protected:
  std::unique_ptr<ServiceNowReader> NewReader(const std::string& criteria = "",
                                              SimulatedServiceNow* servicenow = nullptr,
                                              const std::string& project_scope = "") {
    ServiceNowReaderOptions options;
    options.project_scope = project_scope;
    options.reader.integration = "pd-sn";
    options.reader.project = "incident";
    options.reader.criteria = criteria;
    options.reader.start.emplace();
    *options.reader.start->mutable_time() = ToProto(kStart);
    options.system = "sn";
    options.user_name = "ferry";
    return std::make_unique<ServiceNowReader>(
        (servicenow != nullptr ? *servicenow : servicenow_).client().get(), std::move(options));
  }

  // Inserts an incident as `user`, `seconds` after kStart, through the
  // simulator's store (its incident rules run as for a Table API write);
  // its sys_id.
  std::string Create(const std::string& user, int seconds, servicenow_sim::Record columns,
                     SimulatedServiceNow* servicenow = nullptr) {
    auto row = Store(servicenow).Insert("incident", std::move(columns), As(user, seconds));
    EXPECT_TRUE(row.ok()) << row.status();
    return row.ok() ? (*row)["sys_id"] : "";
  }

  // Updates incident `sys_id` as `user`, `seconds` after kStart.
  void Update(const std::string& user, int seconds, const std::string& sys_id,
              servicenow_sim::Record columns) {
    auto row = Store(nullptr).Update("incident", sys_id, std::move(columns), As(user, seconds));
    EXPECT_TRUE(row.ok()) << row.status();
  }

  servicenow_sim::Store& Store(SimulatedServiceNow* servicenow) {
    return (servicenow != nullptr ? *servicenow : servicenow_).sim().simulator().store();
  }

  static servicenow_sim::WriteContext As(const std::string& user, int seconds) {
    return {absl::StrCat("sysid-of-", user), user,
            ServiceNowDateTime(kStart + absl::Seconds(seconds))};
  }

  ChangePage Read(ServiceNowReader& reader, const std::optional<SourcePosition>& after,
                  int max_changes = 100) {
    auto page = reader.ReadChanges(after, max_changes);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? *std::move(page) : ChangePage();
  }

  // Reads until nothing more is waiting; every change of every page.
  std::vector<ferry::v1::ChangeEvent> ReadAll(ServiceNowReader& reader,
                                              std::optional<SourcePosition>& position,
                                              int max_changes = 100) {
    std::vector<ferry::v1::ChangeEvent> all;
    for (int i = 0; i < 100; ++i) {
      ChangePage page = Read(reader, position, max_changes);
      for (auto& change : page.changes) {
        position = change.position();
        all.push_back(std::move(change));
      }
      if (page.scanned_to.has_value()) position = page.scanned_to;
      if (!page.more) break;
    }
    return all;
  }

  static std::vector<std::string> Descriptions(const ChangePage& page) {
    std::vector<std::string> out;
    for (const auto& change : page.changes) {
      out.push_back(change.entity().fields().at("short_description").text());
    }
    return out;
  }

  static bool Before(const SourcePosition& a, const SourcePosition& b) {
    return std::make_tuple(FromProto(a.time()), a.tie_breaker()) <
           std::make_tuple(FromProto(b.time()), b.tie_breaker());
  }

  SimulatedServiceNow servicenow_;
};

TEST_F(ServiceNowReaderTest, AnIncidentAPersonCreatedAndUpdatedComesOnceWithItsHistory) {
  auto reader = NewReader();
  const std::string id = Create("alice", 1, {{"short_description", "db-2 down"}});
  Update("alice", 2, id, {{"state", "2"}, {"short_description", "db-2 and db-3 down"}});

  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_THAT(Descriptions(page), ElementsAre("db-2 and db-3 down"));
  const ferry::v1::ChangeEvent& change = page.changes[0];
  EXPECT_EQ(change.integration(), "pd-sn");
  EXPECT_TRUE(change.created());
  EXPECT_EQ(change.change_id(), absl::StrCat(id, "@1"));
  EXPECT_EQ(change.entity().id(), id);
  EXPECT_EQ(change.entity().system(), "sn");
  EXPECT_EQ(change.entity().project(), "incident");
  EXPECT_THAT(change.entity().display_key(), ::testing::StartsWith("INC"));
  EXPECT_EQ(change.entity().fields().at("state").lookup().name(), "In Progress");
  EXPECT_FALSE(change.entity().comments_complete());
  EXPECT_EQ(change.entity().last_changed_by().id(), "alice");
  std::set<std::string> fields;
  for (const auto& field_change : change.changes()) {
    fields.insert(field_change.field());
    EXPECT_EQ(field_change.changed_by().id(), "alice");
    EXPECT_EQ(FromProto(field_change.changed_at()), kStart + absl::Seconds(2));
  }
  EXPECT_THAT(fields, ::testing::IsSupersetOf({"state", "short_description"}));
  EXPECT_EQ(FromProto(change.position().time()), kStart + absl::Seconds(2));

  EXPECT_THAT(Read(*reader, change.position()).changes, IsEmpty()) << "read once";
}

// The engine marks an incident created before the integration's start
// (start_floor.h) by the entity's creation time, which the reader gives.
TEST_F(ServiceNowReaderTest, AnIncidentCreatedBeforeTheStartComesWithItsCreationTime) {
  auto reader = NewReader();
  const std::string id = Create("alice", -60, {{"short_description", "old"}});
  Update("alice", 2, id, {{"urgency", "1"}});
  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_EQ(page.changes.size(), 1u);
  EXPECT_FALSE(page.changes[0].created()) << "created before what the reader reads";
  EXPECT_EQ(FromProto(page.changes[0].entity().created_at()), kStart - absl::Seconds(60));
}

TEST_F(ServiceNowReaderTest, AnAnswerThatIsNotJsonIsAnErrorToRetry) {
  simcore::FaultRule malformed;
  malformed.path_prefix = "/api/now/table/incident";
  malformed.kind = simcore::FaultKind::kMalformed;
  malformed.remaining = 1;
  servicenow_.sim().simulator().server().faults().Add(malformed);
  auto reader = NewReader();
  Create("alice", 1, {{"short_description", "after the bad answer"}});
  auto failed = reader->ReadChanges(std::nullopt, 10);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_THAT(Descriptions(Read(*reader, std::nullopt)), ElementsAre("after the bad answer"))
      << "nothing was marked read";
}

TEST_F(ServiceNowReaderTest, AnUpdateInTheSecondOfTheLastPollIsReadOnceAndNothingIsLost) {
  auto reader = NewReader();
  const std::string a = Create("alice", 5, {{"short_description", "a"}});
  ChangePage first = Read(*reader, std::nullopt);
  ASSERT_THAT(Descriptions(first), ElementsAre("a"));
  const SourcePosition checkpoint = first.changes[0].position();

  // Within the same second, after the poll: a is updated again and b is
  // created (its sys_id may sort before a's, as a random one does).
  Update("alice", 5, a, {{"short_description", "a again"}});
  const std::string b = Create("bob", 5, {{"short_description", "b"}});
  ChangePage second = Read(*reader, checkpoint);
  EXPECT_THAT(Descriptions(second), UnorderedElementsAre("a again", "b"));
  for (const auto& change : second.changes) {
    EXPECT_TRUE(Before(checkpoint, change.position()));
    EXPECT_EQ(change.created(), change.entity().id() == b) << change.entity().id();
  }
  ASSERT_EQ(second.changes.size(), 2u);
  EXPECT_TRUE(Before(second.changes[0].position(), second.changes[1].position()));

  EXPECT_THAT(Read(*reader, second.changes[1].position()).changes, IsEmpty())
      << "the overlap second is not read again";
}

TEST_F(ServiceNowReaderTest, FerrysOwnWriteIsSkippedButAPersonsInTheSameSecondIsNot) {
  auto reader = NewReader();
  const std::string ours = Create("ferry", 1, {{"short_description", "created by Ferry"}});
  const std::string theirs = Create("alice", 1, {{"short_description", "theirs"}});
  ASSERT_THAT(Descriptions(Read(*reader, std::nullopt)), ElementsAre("theirs"));

  // Ferry's own update alone: skipped, and the checkpoint may pass it.
  Update("ferry", 3, ours, {{"state", "2"}});
  ChangePage own = Read(*reader, std::nullopt);
  EXPECT_THAT(Descriptions(own), ElementsAre("theirs")) << "Ferry's create and update skipped";
  ASSERT_TRUE(own.scanned_to.has_value());
  EXPECT_EQ(FromProto(own.scanned_to->time()), kStart + absl::Seconds(3));

  // A person changes another field in the second Ferry writes, before and
  // after Ferry: the person's change comes, Ferry's is left out.
  Update("alice", 7, ours, {{"urgency", "1"}});
  Update("ferry", 7, ours, {{"short_description", "retitled by Ferry"}});
  ChangePage mixed = Read(*reader, *own.scanned_to);
  ASSERT_EQ(mixed.changes.size(), 1u);
  const auto& change = mixed.changes[0];
  EXPECT_EQ(change.entity().id(), ours);
  std::set<std::string> fields;
  for (const auto& field_change : change.changes()) {
    fields.insert(field_change.field());
    EXPECT_EQ(field_change.changed_by().id(), "alice") << field_change.field();
    if (field_change.field() == "urgency") {
      EXPECT_EQ(field_change.new_value().lookup().name(), "1 - High");
    }
  }
  EXPECT_THAT(fields, ::testing::Contains("urgency"));
  EXPECT_THAT(fields, ::testing::Not(::testing::Contains("short_description")));
  EXPECT_EQ(change.entity().last_changed_by().id(), "alice");
  EXPECT_FALSE(change.created()) << "Ferry created it";
}

TEST_F(ServiceNowReaderTest, CommentsAndWorkNotesComeWithTheirKindAndFerrysAreLeftOut) {
  auto reader = NewReader();
  const std::string id = Create("alice", 1, {{"short_description", "noisy"}});
  Update("alice", 2, id, {{"comments", "Customer sees slow pages"}});
  Update("ferry", 3, id, {{"comments", "Copied from PagerDuty\n\n(ferry 0123456789ab)"}});
  Update("bob", 4, id, {{"work_notes", "Restarted the pool"}});

  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_EQ(page.changes.size(), 1u);
  const auto& comments = page.changes[0].entity().comments();
  ASSERT_EQ(comments.size(), 2);
  EXPECT_EQ(comments[0].kind(), "comments");
  EXPECT_EQ(comments[0].body(), "Customer sees slow pages");
  EXPECT_EQ(comments[0].author().id(), "alice");
  EXPECT_EQ(FromProto(comments[0].created_at()), kStart + absl::Seconds(2));
  EXPECT_EQ(comments[1].kind(), "work_notes");
  EXPECT_EQ(comments[1].body(), "Restarted the pool");
  EXPECT_EQ(comments[1].author().id(), "bob");
  EXPECT_FALSE(comments[0].id().empty());
  for (const auto& change : page.changes[0].changes()) {
    EXPECT_NE(change.field(), "comments") << "journal entries are comments, not field changes";
    EXPECT_NE(change.field(), "work_notes");
  }

  // A comment of Ferry's alone is an echo.
  Update("ferry", 9, id, {{"work_notes", "From PagerDuty"}});
  ChangePage echo = Read(*reader, page.changes[0].position());
  EXPECT_THAT(echo.changes, IsEmpty());
  EXPECT_TRUE(echo.scanned_to.has_value());
}

TEST_F(ServiceNowReaderTest, CriteriaAreAppliedByTheInstance) {
  auto reader = NewReader("urgency=1^ORimpact=1");
  Create("alice", 1, {{"short_description", "urgent"}, {"urgency", "1"}});
  Create("alice", 1, {{"short_description", "routine"}});
  Create("alice", 2, {{"short_description", "impactful"}, {"impact", "1"}});
  EXPECT_THAT(Descriptions(Read(*reader, std::nullopt)), ElementsAre("urgent", "impactful"));

  auto refused = NewReader("urgency=1^NQimpact=1")->ReadChanges(std::nullopt, 10);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ServiceNowReaderTest, AProjectsScopeAndTheCriteriaBothApply) {
  const std::string network = servicenow_sim::TestServiceNow::kNetworkGroup;
  auto reader = NewReader("urgency=1", nullptr, "assignment_group=" + network);
  Create("alice", 1, {{"short_description", "network, urgent"}, {"urgency", "1"},
                      {"assignment_group", network}});
  Create("alice", 1, {{"short_description", "network, routine"}, {"assignment_group", network}});
  Create("alice", 1, {{"short_description", "nobody's, urgent"}, {"urgency", "1"}});
  EXPECT_THAT(Descriptions(Read(*reader, std::nullopt)), ElementsAre("network, urgent"));
}

TEST_F(ServiceNowReaderTest, ANewReaderResumesFromTheCheckpoint) {
  Create("alice", 1, {{"short_description", "one"}});
  Create("alice", 1, {{"short_description", "two"}});
  auto first = NewReader();
  ChangePage page = Read(*first, std::nullopt, /*max_changes=*/1);
  ASSERT_EQ(page.changes.size(), 1u);
  EXPECT_TRUE(page.more);
  const SourcePosition checkpoint = page.changes[0].position();
  const std::string seen = page.changes[0].entity().id();

  // A restart: a new reader from the stored checkpoint, after another
  // update in the same second.
  Update("alice", 1, seen, {{"urgency", "2"}});
  auto restarted = NewReader();
  std::optional<SourcePosition> position = checkpoint;
  std::vector<ferry::v1::ChangeEvent> rest = ReadAll(*restarted, position);
  std::vector<std::string> ids;
  for (const auto& change : rest) ids.push_back(change.entity().id());
  EXPECT_EQ(rest.size(), 2u);
  EXPECT_THAT(ids, ::testing::Contains(seen)) << "its update in the same second";
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 2u);
}

TEST_F(ServiceNowReaderTest, MoreIncidentsInOneSecondThanAPageAreAllReadOnce) {
  ServiceNowOptions three_a_page;
  three_a_page.set_page_size(3);
  SimulatedServiceNow small_pages(three_a_page);
  auto reader = NewReader("", &small_pages);
  std::set<std::string> created;
  for (int i = 0; i < 10; ++i) {
    created.insert(
        Create("alice", 4, {{"short_description", absl::StrCat("bulk ", i)}}, &small_pages));
  }
  std::optional<SourcePosition> position;
  std::vector<ferry::v1::ChangeEvent> all = ReadAll(*reader, position, /*max_changes=*/4);
  std::set<std::string> read;
  for (size_t i = 0; i < all.size(); ++i) {
    read.insert(all[i].entity().id());
    if (i > 0) {
      EXPECT_TRUE(Before(all[i - 1].position(), all[i].position())) << i;
    }
  }
  EXPECT_EQ(all.size(), 10u);
  EXPECT_EQ(read, created);
}

// More incidents of one second than a call reads new ones (500): once
// read, they are paged past, not taken for the call's whole budget.
TEST_F(ServiceNowReaderTest, AChangeAfterABulkUpdateOfOneSecondIsStillRead) {
  auto reader = NewReader();
  for (int i = 0; i < 600; ++i) Create("alice", 2, {{"short_description", "bulk"}});
  std::optional<SourcePosition> position;
  ASSERT_EQ(ReadAll(*reader, position, /*max_changes=*/1000).size(), 600u);
  Create("alice", 3, {{"short_description", "after the bulk"}});
  EXPECT_THAT(Descriptions(Read(*reader, position)), ElementsAre("after the bulk"));
}

TEST_F(ServiceNowReaderTest, WithoutAuditTheCurrentStateComesAttributedToTheLastUpdater) {
  ASSERT_TRUE(servicenow_.sim().simulator().store().SetAudited("incident", false).ok());
  auto reader = NewReader();
  const std::string id = Create("ferry", 1, {{"short_description", "ours"}});
  Update("alice", 2, id, {{"urgency", "1"}});
  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_EQ(page.changes.size(), 1u);
  EXPECT_EQ(page.changes[0].changes_size(), 0) << "no history: the snapshot";
  EXPECT_EQ(page.changes[0].entity().fields().at("urgency").lookup().name(), "1 - High");
  EXPECT_EQ(page.changes[0].entity().last_changed_by().id(), "alice");

  Update("ferry", 3, id, {{"urgency", "2"}});
  EXPECT_THAT(Read(*reader, page.changes[0].position()).changes, IsEmpty())
      << "Ferry updated last: an echo";
}

TEST_F(ServiceNowReaderTest, AnAuditTableItCannotReadLeavesTheCurrentStateAndIsNotAskedAgain) {
  simcore::FaultRule denied;
  denied.path_prefix = "/api/now/table/sys_audit";
  denied.status = 403;
  denied.body = R"({"error":{"message":"Operation Failed","detail":"ACL Exception Insert Failed due to security constraints"},"status":"failure"})";
  servicenow_.sim().simulator().server().faults().Add(denied);
  auto reader = NewReader();
  const std::string id = Create("alice", 1, {{"short_description", "no audit for us"}});
  Update("alice", 2, id, {{"urgency", "1"}, {"comments", "still read"}});
  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_EQ(page.changes.size(), 1u);
  EXPECT_EQ(page.changes[0].changes_size(), 0);
  EXPECT_EQ(page.changes[0].entity().fields().at("urgency").lookup().name(), "1 - High");
  ASSERT_EQ(page.changes[0].entity().comments_size(), 1) << "the journal is still read";
  EXPECT_EQ(page.changes[0].entity().last_changed_by().id(), "alice");

  Update("bob", 3, id, {{"urgency", "2"}});
  servicenow_.calls().Take();
  ASSERT_EQ(Read(*reader, page.changes[0].position()).changes.size(), 1u);
  EXPECT_EQ(servicenow_.calls().Take().total(), 2) << "the incidents and the journal; sys_audit is not asked again";
}

TEST_F(ServiceNowReaderTest, ARowWhoseSysIdCouldNotBeACheckpointIsAnError) {
  auto seeded = servicenow_.sim().simulator().store().Seed(
      "incident",
      {{"sys_id", "a:b\nc"}, {"number", "INC0099999"},
       {"sys_updated_on", ServiceNowDateTime(kStart + absl::Seconds(1))}},
      ServiceNowDateTime(kStart + absl::Seconds(1)));
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  auto page = NewReader()->ReadChanges(std::nullopt, 10);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(page.status().message().find("sys_id"), std::string::npos) << page.status();
}

// Per-change reads at the minimum: the history of a whole page of
// incidents comes in one sys_audit and one sys_journal_field query.
TEST_F(ServiceNowReaderTest, AHundredChangedIncidentsCostAPageAndTwoHistoryQueries) {
  auto reader = NewReader();
  for (int i = 0; i < 100; ++i) {
    const std::string id = Create("alice", 1 + i % 7, {{"short_description", absl::StrCat(i)}});
    Update("bob", 8 + i % 5, id, {{"work_notes", "looking"}, {"urgency", "2"}});
  }
  servicenow_.calls().Take();
  std::optional<SourcePosition> position;
  std::vector<ferry::v1::ChangeEvent> all = ReadAll(*reader, position);
  const int calls = servicenow_.calls().Take().total();
  ASSERT_EQ(all.size(), 100u);
  for (const auto& change : all) {
    EXPECT_EQ(change.entity().comments_size(), 1);
    EXPECT_GE(change.changes_size(), 1);
  }
  // One incident page, one sys_audit and one sys_journal_field query, and
  // at most one more incident query to learn that nothing follows.
  RecordProperty("calls_for_100_changes", calls);
  EXPECT_LE(calls, 4) << "calls per change: " << calls / 100.0;
  EXPECT_GE(calls, 3);
}

// Echoes cost the poll only: incidents Ferry created and nobody updated
// are skipped without asking sys_audit or sys_journal_field about them.
TEST_F(ServiceNowReaderTest, APageOfIncidentsFerryCreatedCostsThePollOnly) {
  auto reader = NewReader();
  for (int i = 0; i < 20; ++i) {
    Create("ferry", 1 + i % 3, {{"short_description", absl::StrCat("from PagerDuty ", i)}});
  }
  servicenow_.calls().Take();
  ChangePage page = Read(*reader, std::nullopt);
  EXPECT_THAT(page.changes, IsEmpty());
  ASSERT_TRUE(page.scanned_to.has_value());
  EXPECT_EQ(FromProto(page.scanned_to->time()), kStart + absl::Seconds(3));
  EXPECT_EQ(servicenow_.calls().Take().total(), 1) << "the incident page, no history query";
}

// Ferry's write one update after a version the reader accounted for is
// proven Ferry's alone by sys_mod_count: no history read, whether that
// version was read in an earlier second (remembered) or in the second
// the position holds (its cursor, so also by a new reader).
TEST_F(ServiceNowReaderTest, FerrysUpdateRightAfterAVersionReadCostsThePollOnly) {
  auto reader = NewReader();
  const std::string id = Create("alice", 1, {{"short_description", "a person's"}});
  ChangePage first = Read(*reader, std::nullopt);
  ASSERT_EQ(first.changes.size(), 1u);

  Update("ferry", 3, id, {{"state", "2"}});
  servicenow_.calls().Take();
  ChangePage own = Read(*reader, first.changes[0].position());
  EXPECT_THAT(own.changes, IsEmpty());
  ASSERT_TRUE(own.scanned_to.has_value());
  EXPECT_EQ(servicenow_.calls().Take().total(), 1);

  // Again in the same second, read by a reader that remembers nothing:
  // the checkpoint's cursor holds the version before.
  Update("ferry", 3, id, {{"work_notes", "From PagerDuty\n\n(ferry 0123456789ab)"}});
  auto fresh = NewReader();
  servicenow_.calls().Take();
  ChangePage again = Read(*fresh, own.scanned_to);
  EXPECT_THAT(again.changes, IsEmpty());
  EXPECT_TRUE(again.scanned_to.has_value());
  EXPECT_EQ(servicenow_.calls().Take().total(), 1);
}

// A person's comment one update after a version read changes no column
// the poll reads: only the journal is asked. A field change in one update
// shows in the row, and sys_audit is asked too.
TEST_F(ServiceNowReaderTest, APersonsCommentRightAfterAVersionReadSkipsTheAuditRead) {
  auto reader = NewReader();
  const std::string id = Create("ferry", 1, {{"short_description", "from PagerDuty"}});
  ChangePage created = Read(*reader, std::nullopt);
  ASSERT_TRUE(created.scanned_to.has_value());

  Update("alice", 3, id, {{"comments", "Customer is asking"}});
  servicenow_.calls().Take();
  ChangePage comment = Read(*reader, created.scanned_to);
  const http::testing::CallCounter::Calls calls = servicenow_.calls().Take();
  ASSERT_EQ(comment.changes.size(), 1u);
  ASSERT_EQ(comment.changes[0].entity().comments_size(), 1);
  EXPECT_EQ(comment.changes[0].entity().comments(0).body(), "Customer is asking");
  EXPECT_EQ(comment.changes[0].entity().last_changed_by().id(), "alice");
  EXPECT_EQ(calls.total(), 2) << "the incident page and sys_journal_field";

  Update("alice", 5, id, {{"urgency", "1"}});
  ChangePage field = Read(*reader, comment.changes[0].position());
  EXPECT_EQ(servicenow_.calls().Take().total(), 3) << "sys_audit too";
  ASSERT_EQ(field.changes.size(), 1u);
  std::vector<std::string> changed;
  for (const auto& change : field.changes[0].changes()) changed.push_back(change.field());
  EXPECT_THAT(changed, ::testing::Contains("urgency"));
}

// Never trade a person's change for a call: a comment or a field change
// made between two of Ferry's writes makes sys_mod_count jump by more than
// one, and the history is read.
TEST_F(ServiceNowReaderTest, APersonsChangeBetweenTwoOfFerrysWritesStillArrives) {
  auto reader = NewReader();
  const std::string id = Create("ferry", 1, {{"short_description", "from PagerDuty"}});
  ChangePage created = Read(*reader, std::nullopt);
  ASSERT_TRUE(created.scanned_to.has_value());
  Update("ferry", 2, id, {{"state", "2"}});
  ChangePage acked = Read(*reader, created.scanned_to);
  ASSERT_THAT(acked.changes, IsEmpty());
  ASSERT_TRUE(acked.scanned_to.has_value());

  // Between two polls: a person comments, then Ferry writes again.
  Update("alice", 4, id, {{"comments", "Customer is asking"}});
  Update("ferry", 5, id, {{"work_notes", "Note\n\n(ferry 0123456789ab)"}});
  ChangePage comment = Read(*reader, acked.scanned_to);
  ASSERT_EQ(comment.changes.size(), 1u);
  ASSERT_EQ(comment.changes[0].entity().comments_size(), 1);
  EXPECT_EQ(comment.changes[0].entity().comments(0).body(), "Customer is asking");
  EXPECT_EQ(comment.changes[0].entity().comments(0).author().id(), "alice");

  // A person's field change squeezed between Ferry's writes in one second.
  Update("ferry", 7, id, {{"state", "1"}});
  Update("bob", 7, id, {{"urgency", "1"}});
  Update("ferry", 7, id, {{"short_description", "retitled from PagerDuty"}});
  ChangePage field = Read(*reader, comment.changes[0].position());
  ASSERT_EQ(field.changes.size(), 1u);
  std::vector<std::string> changed;
  for (const auto& change : field.changes[0].changes()) {
    changed.push_back(change.field());
    EXPECT_EQ(change.changed_by().id(), "bob");
  }
  // urgency, and the priority ServiceNow computed from it; none of Ferry's.
  EXPECT_THAT(changed, ::testing::Contains("urgency"));
  EXPECT_THAT(changed, ::testing::Not(::testing::Contains("state")));
  EXPECT_THAT(changed, ::testing::Not(::testing::Contains("short_description")));

  // A person's change right after Ferry's create, before any poll.
  const std::string other = Create("ferry", 9, {{"short_description", "second"}});
  Update("alice", 9, other, {{"impact", "1"}});
  Update("ferry", 10, other, {{"state", "2"}});
  ChangePage after_create = Read(*reader, field.changes[0].position());
  ASSERT_EQ(after_create.changes.size(), 1u);
  EXPECT_EQ(after_create.changes[0].entity().id(), other);
  std::vector<std::string> by_alice;
  for (const auto& change : after_create.changes[0].changes()) {
    EXPECT_EQ(change.changed_by().id(), "alice") << change.field();
    by_alice.push_back(change.field());
  }
  EXPECT_THAT(by_alice, ::testing::Contains("impact"));
}

// What a reader remembers holds only for positions past it: read again
// from an earlier position (the engine retrying, a backfill), a person's
// change before Ferry's write comes again.
TEST_F(ServiceNowReaderTest, ARereadFromAnEarlierPositionDeliversThePersonsChangeAgain) {
  auto reader = NewReader();
  const std::string id = Create("alice", 1, {{"short_description", "a person's"}});
  Update("alice", 2, id, {{"comments", "Still down"}});
  ChangePage first = Read(*reader, std::nullopt);
  ASSERT_EQ(first.changes.size(), 1u);
  Update("ferry", 4, id, {{"state", "2"}});
  ChangePage again = Read(*reader, std::nullopt);
  ASSERT_EQ(again.changes.size(), 1u);
  ASSERT_EQ(again.changes[0].entity().comments_size(), 1);
  EXPECT_EQ(again.changes[0].entity().comments(0).body(), "Still down");
}

// Ferry's journal entries go by the id the writer returned for them
// (derived from their marker), a person's by their sys_id.
TEST_F(ServiceNowReaderTest, AnEntryCarryingFerrysMarkerIsReportedByTheMarkersId) {
  auto reader = NewReader();
  const std::string id = Create("alice", 1, {{"short_description", "noisy"}});
  // Written by Ferry as another user name (the integration user renamed):
  // not left out by author, so known by its id.
  Update("ferry-old", 2, id, {{"comments", "Copied\n\n(ferry 0123456789ab)"}});
  Update("alice", 3, id, {{"comments", "Mine"}});
  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_EQ(page.changes.size(), 1u);
  const auto& comments = page.changes[0].entity().comments();
  ASSERT_EQ(comments.size(), 2);
  EXPECT_EQ(comments[0].id(), "ferry-0123456789ab");
  EXPECT_EQ(comments[1].id().size(), 32u) << comments[1].id();
}

}  // namespace
}  // namespace ferry::servicenow
