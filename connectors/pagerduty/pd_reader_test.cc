#include "connectors/pagerduty/pd_reader.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "http/http_observer.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/testing/pd_call_counter.h"
#include "connectors/pagerduty/testing/pd_sim_test_base.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace ferry::pagerduty {
namespace {

using ::testing::HasSubstr;

std::string IsoAgo(absl::Duration ago) {
  return FormatPdTime(absl::Now() - ago);
}

std::set<std::string> IncidentIds(const std::vector<ferry::v1::ChangeEvent>& events) {
  std::set<std::string> ids;
  for (const auto& event : events) ids.insert(event.entity().id());
  return ids;
}

// Options of a reader of service PSVCWEB as system "pd-test"; given `ago`,
// it starts that long before now.
PdReaderOptions WebReaderOptions(std::optional<absl::Duration> ago = std::nullopt) {
  PdReaderOptions options;
  options.system = "pd-test";
  options.reader.project = "PSVCWEB";
  if (ago.has_value()) {
    ferry::v1::SourcePosition start;
    *start.mutable_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
        absl::ToUnixSeconds(absl::Now() - *ago));
    options.reader.start = start;
  }
  return options;
}

class PdReaderTest : public PdSimTest {
 protected:
  // A reader with `options` and the account token, its HTTP attempts told
  // to `observer` (may be null); null, failing the test, when it cannot be
  // made.
  std::unique_ptr<engine::ChangeReader> MakeReader(const PdReaderOptions& options,
                                                   http::HttpObserver* observer = nullptr) {
    auto api = MakeApi("account-full", "ferry-bot@example.com", observer);
    auto reader = PdReader::Create(api, std::make_shared<PdIdentity>(api), options);
    EXPECT_TRUE(reader.ok()) << reader.status();
    if (!reader.ok()) return nullptr;
    return *std::move(reader);
  }
};

TEST_F(PdReaderTest, IncidentCreatedByAPersonIsRead) {
  auto reader = NewReader();
  const std::string id = NewIncident("Web is down");
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end);
  ASSERT_FALSE(events.empty());
  const ferry::v1::ChangeEvent& first = events.front();
  EXPECT_TRUE(first.created());
  EXPECT_EQ(first.integration(), "pd-to-jira");
  const ferry::v1::Entity& entity = first.entity();
  EXPECT_EQ(entity.id(), id);
  EXPECT_EQ(entity.system(), "pd-test");
  EXPECT_EQ(entity.project(), "PSVCWEB");
  EXPECT_EQ(entity.fields().at("Title").text(), "Web is down");
  EXPECT_EQ(entity.fields().at("Status").lookup().name(), "triggered");
  EXPECT_EQ(entity.fields().at("Service").lookup().id(), "PSVCWEB");
  EXPECT_EQ(entity.fields().at("Id").text(), id);
  EXPECT_GT(entity.fields().at("Number").number(), 0);
  EXPECT_EQ(entity.last_changed_by().id(), "PADMIN1");
  // Notifications are not changes: only the trigger is reported.
  EXPECT_EQ(events.size(), 1u);
}

TEST_F(PdReaderTest, UpdateToTwoMonthOldIncidentIsSeen) {
  Reseed({{{"title", "Old outage"}, {"service_id", "PSVCWEB"},
           {"created_at", IsoAgo(absl::Hours(24 * 60))}}});
  auto list = pagerduty_sim::Body(Get("/incidents?date_range=all"));
  ASSERT_EQ(list["incidents"].size(), 1u);
  const std::string id = list["incidents"][0]["id"];
  auto reader = NewReader();
  Act("rita@example.com", "PUT", "/incidents/" + id,
      {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity().id(), id);
  EXPECT_FALSE(events[0].created());
  ASSERT_EQ(events[0].changes_size(), 1);
  EXPECT_EQ(events[0].changes(0).field(), "Status");
  EXPECT_EQ(events[0].changes(0).new_value().lookup().name(), "acknowledged");
  EXPECT_EQ(events[0].changes(0).changed_by().id(), "PRESP01");
}

TEST_F(PdReaderTest, IntegrationUsersOwnChangesNeverComeBack) {
  auto reader = NewReader();
  auto writer = connector_->NewWriter("jira-to-pd");
  ASSERT_TRUE(writer.ok());
  engine::CreateRequest request;
  request.project = "PSVCWEB";
  request.origin = "jira:FER-1";
  ferry::v1::FieldWrite title;
  title.set_target_field("Title");
  title.mutable_value()->set_text("From Jira");
  request.fields = {title};
  auto ref = (*writer)->Create(request);
  ASSERT_TRUE(ref.ok()) << ref.status();
  ferry::v1::CommentWrite note;
  note.set_body("synced from Jira");
  ASSERT_TRUE((*writer)->AddComment(*ref, note, "jira:FER-1/c/1").ok());
  ferry::v1::FieldWrite ack;
  ack.set_target_field("Status");
  ack.mutable_value()->mutable_lookup()->set_name("acknowledged");
  ASSERT_TRUE((*writer)->Update(*ref, {ack}).ok());

  std::optional<ferry::v1::SourcePosition> end;
  EXPECT_TRUE(ReadAll(*reader, &end).empty());
  ASSERT_TRUE(end.has_value()) << "skipped echoes must advance scanned_to";

  // A person's note comes back, with author and time; ours stays out.
  Act("ada@example.com", "POST", "/incidents/" + ref->id + "/notes",
      {{"note", {{"content", "on it"}}}});
  auto events = ReadAll(*reader, &end);
  ASSERT_EQ(events.size(), 1u);
  const ferry::v1::Entity& entity = events[0].entity();
  ASSERT_EQ(entity.comments_size(), 1);
  EXPECT_EQ(entity.comments(0).body(), "on it");
  EXPECT_EQ(entity.comments(0).kind(), "note");
  EXPECT_EQ(entity.comments(0).author().id(), "PADMIN1");
  EXPECT_EQ(entity.comments(0).author().name(), "Ada Admin");
  EXPECT_TRUE(entity.comments(0).has_created_at());
}

TEST_F(PdReaderTest, RestartFromPositionReadsNothingTwice) {
  auto reader = NewReader();
  NewIncident("one");
  NewIncident("two");
  std::optional<ferry::v1::SourcePosition> end;
  auto first = ReadAll(*reader, &end, /*page_size=*/1);
  EXPECT_EQ(first.size(), 2u);
  ASSERT_TRUE(end.has_value());
  // A new reader (after a restart: the old one is gone) resumes from the
  // checkpoint.
  reader.reset();
  auto restarted = NewReader();
  std::optional<ferry::v1::SourcePosition> resumed = end;
  EXPECT_TRUE(ReadAll(*restarted, &resumed).empty());
  const std::string three = NewIncident("three");
  auto later = ReadAll(*restarted, &resumed);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].entity().id(), three);
}

TEST_F(PdReaderTest, ResumingFromEveryPositionNeitherRepeatsNorLoses) {
  auto reader = NewReader();
  for (int i = 0; i < 5; ++i) NewIncident(absl::StrCat("incident ", i));
  std::optional<ferry::v1::SourcePosition> none;
  auto all = ReadAll(*reader, &none);
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) {
    std::optional<ferry::v1::SourcePosition> from = all[i].position();
    auto rest = ReadAll(*reader, &from);
    ASSERT_EQ(rest.size(), all.size() - i - 1) << "resuming after change " << i;
    for (size_t j = 0; j < rest.size(); ++j) {
      EXPECT_EQ(rest[j].change_id(), all[i + 1 + j].change_id());
    }
  }
}

// A read that stops at max_changes keeps the rest of its window: the next
// read from where it ended reads neither the overlap nor that window again.
TEST_F(PdReaderTest, ReadsThatStopAtMaxChangesGoOnWithoutRereading) {
  CallCounter counter;
  PdReaderOptions options = WebReaderOptions();
  auto reader = MakeReader(options, &counter);
  ASSERT_NE(reader, nullptr);
  std::set<std::string> created;
  for (int i = 0; i < 10; ++i) created.insert(NewIncident(absl::StrCat("paged ", i)));
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end, /*page_size=*/3);
  EXPECT_EQ(IncidentIds(events), created);
  EXPECT_EQ(events.size(), created.size());
  // Identity (2), one log page, one /incidents page, and at most one more
  // log page when the clock passed a second meanwhile; re-reading the
  // window on each of the four reads would cost two calls a read.
  EXPECT_LE(counter.Take(), 2 + 1 + 1 + 1);
  // A position other than the one a read ended at reads from the log.
  std::optional<ferry::v1::SourcePosition> from = events[4].position();
  auto rest = ReadAll(*reader, &from, 3);
  ASSERT_EQ(rest.size(), 5u);
  EXPECT_EQ(rest[0].change_id(), events[5].change_id());
}

// Between re-reads of the overlap a poll looks only a few seconds back, so
// a busy overlap is not paged through on every poll; an entry PagerDuty
// shows late (here: stamped before the reader's last read) is still read,
// once, by the next re-read.
TEST_F(PdReaderTest, PollsBetweenOverlapRereadsLookOnlyAFewSecondsBack) {
  CallCounter counter;
  // 40 incidents half a minute ago: 120 log entries in the overlap, more
  // than one page.
  nlohmann::json incidents = nlohmann::json::array();
  for (int i = 0; i < 40; ++i) {
    incidents.push_back({{"title", absl::StrCat("busy ", i)}, {"service_id", "PSVCWEB"},
                         {"created_at", IsoAgo(absl::Seconds(30))}});
  }
  Reseed(incidents);
  absl::Duration ahead;  // How far the reader's clock runs ahead of PagerDuty's.
  PdReaderOptions options = WebReaderOptions(absl::Minutes(1));
  options.now = [&ahead] { return absl::Now() + ahead; };
  auto reader = MakeReader(options, &counter);
  ASSERT_NE(reader, nullptr);
  std::optional<ferry::v1::SourcePosition> end;
  ASSERT_EQ(ReadAll(*reader, &end).size(), 40u);
  counter.Take();

  ahead = absl::Seconds(20);
  EXPECT_TRUE(ReadAll(*reader, &end).empty());
  EXPECT_EQ(counter.Take(), 1) << "a poll between re-reads pages through the overlap";
  // The checkpoint still says how far the reader has looked.
  ASSERT_TRUE(end.has_value());
  EXPECT_GE(end->time().seconds(), absl::ToUnixSeconds(absl::Now() + absl::Seconds(19)));

  const std::string late = NewIncident("shown late");
  EXPECT_TRUE(ReadAll(*reader, &end).empty()) << "looked back further than a few seconds";
  // A restart reads the overlap again, as does this reader once
  // overlap_reread_every has passed: each reads the late entry once.
  std::optional<ferry::v1::SourcePosition> restarted_end = end;
  auto restarted = ReadAll(*NewReader(), &restarted_end);
  ASSERT_EQ(restarted.size(), 1u);
  EXPECT_EQ(restarted[0].entity().id(), late);
  ahead = options.scan.overlap_reread_every + absl::Seconds(15);
  auto later = ReadAll(*reader, &end);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].entity().id(), late);
  EXPECT_TRUE(ReadAll(*reader, &end).empty());
  // A restart from the checkpoint reads nothing again.
  EXPECT_TRUE(ReadAll(*NewReader(), &end).empty());
}

TEST_F(PdReaderTest, RateLimitsAndServerErrorsLoseNothing) {
  auto reader = NewReader();
  std::set<std::string> created;
  for (int i = 0; i < 6; ++i) created.insert(NewIncident(absl::StrCat("storm ", i)));
  Admin("/admin/faults", {{"kind", "status"}, {"status", 429}, {"count", 3},
                          {"path_prefix", "/log_entries"}});
  Admin("/admin/faults", {{"kind", "status"}, {"status", 503}, {"count", 3},
                          {"path_prefix", "/incidents"}});
  std::optional<ferry::v1::SourcePosition> end;
  EXPECT_EQ(IncidentIds(ReadAll(*reader, &end, 2)), created);
}

// A storm: a fifth of all requests answer a bare 429 and another fifth a
// 503 for the whole read. A read that fails is repeated from the same
// position, as the engine does; every incident arrives exactly once.
TEST_F(PdReaderTest, RateLimitStormAndServerErrorBurstsLoseNothing) {
  auto reader = NewReader();
  std::set<std::string> created;
  for (int i = 0; i < 30; ++i) created.insert(NewIncident(absl::StrCat("storm ", i)));
  Admin("/admin/faults", {{"kind", "status"}, {"status", 429}, {"rate", 0.2}});
  Admin("/admin/faults", {{"kind", "status"}, {"status", 503}, {"rate", 0.25}});
  std::optional<ferry::v1::SourcePosition> position;
  std::multiset<std::string> read;
  int failed_reads = 0;
  for (int reads = 0; reads < 500; ++reads) {
    auto page = reader->ReadChanges(position, 4);
    if (!page.ok()) {
      EXPECT_TRUE(absl::IsUnavailable(page.status()) ||
                  absl::IsResourceExhausted(page.status()))
          << page.status();
      ++failed_reads;
      continue;
    }
    for (const auto& change : page->changes) {
      read.insert(change.entity().id());
      position = change.position();
    }
    if (page->scanned_to.has_value()) position = page->scanned_to;
    if (!page->more) break;
  }
  EXPECT_EQ(std::set<std::string>(read.begin(), read.end()), created);
  EXPECT_EQ(read.size(), created.size()) << "an incident was read twice";
  RecordProperty("failed_reads", failed_reads);
}

TEST_F(PdReaderTest, FailureOutlastingRetriesLeavesThePositionForARetry) {
  auto reader = NewReader();
  const std::string id = NewIncident("flaky");
  Admin("/admin/faults", {{"kind", "status"}, {"status", 500}, {"count", 20},
                          {"path_prefix", "/incidents/" + id}});
  auto failed = reader->ReadChanges(std::nullopt, 10);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  auto cleared = client_->Delete("/admin/faults");
  ASSERT_TRUE(cleared);
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity().id(), id);
}

TEST_F(PdReaderTest, CriteriaSelectIncidentsWhateverTheirAge) {
  Reseed({{{"title", "Old"}, {"service_id", "PSVCWEB"},
           {"created_at", IsoAgo(absl::Hours(24 * 30))}},
          {{"title", "Other"}, {"service_id", "PSVCWEB"},
           {"created_at", IsoAgo(absl::Hours(24 * 30))}}});
  auto list = pagerduty_sim::Body(Get("/incidents?date_range=all&sort_by=created_at"));
  ASSERT_EQ(list["incidents"].size(), 2u);
  const std::string old_id = list["incidents"][0]["id"];
  const std::string other_id = list["incidents"][1]["id"];
  auto reader = NewReader("statuses[]=acknowledged&statuses[]=resolved");
  Act("ada@example.com", "PUT", "/incidents/" + old_id,
      {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
  Act("ada@example.com", "PUT", "/incidents/" + other_id,
      {{"incident", {{"type", "incident_reference"}, {"priority",
                      {{"id", "PPRIO01"}, {"type", "priority_reference"}}}}}});
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end);
  EXPECT_EQ(IncidentIds(events), std::set<std::string>{old_id});
  EXPECT_TRUE(end.has_value());

  engine::ReaderOptions bad;
  bad.project = "PSVCWEB";
  bad.criteria = "title=x";
  auto refused = connector_->NewReader(bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("statuses[]"));
}

// New incidents come from one /incidents page; the criteria are checked on
// each, so one that fails them costs no call of its own.
TEST_F(PdReaderTest, CriteriaAreCheckedOnNewIncidentsFromTheList) {
  CallCounter counter;
  PdReaderOptions options = WebReaderOptions();
  options.reader.criteria = "urgencies[]=high";
  auto reader = MakeReader(options, &counter);
  ASSERT_NE(reader, nullptr);
  const std::string high = NewIncident(
      "high one", "PSVCWEB",
      {{"urgency", "high"},
       {"body", {{"type", "incident_body"}, {"details", "stack trace"}}},
       {"conference_bridge", {{"conference_url", "https://meet/x"}}}});
  NewIncident("low one", "PSVCWEB", {{"urgency", "low"}});
  const std::string high_too = NewIncident("high two", "PSVCWEB", {{"urgency", "high"}});
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end);
  EXPECT_EQ(IncidentIds(events), (std::set<std::string>{high, high_too}));
  // What the list leaves out comes from the trigger entry (Description) and
  // include[]=conference_bridge.
  ASSERT_FALSE(events.empty());
  const auto& fields = events.front().entity().fields();
  ASSERT_EQ(events.front().entity().id(), high);
  ASSERT_TRUE(fields.count("Description"));
  EXPECT_EQ(fields.at("Description").text(), "stack trace");
  ASSERT_TRUE(fields.count("Conference URL"));
  EXPECT_EQ(fields.at("Conference URL").text(), "https://meet/x");
  // Identity (2), one log page, one /incidents page.
  EXPECT_EQ(counter.Take(), 2 + 1 + 1);
}

TEST_F(PdReaderTest, OtherServicesAreNotRead) {
  auto reader = NewReader();
  NewIncident("db is slow", "PSVCDB1");
  std::optional<ferry::v1::SourcePosition> end;
  EXPECT_TRUE(ReadAll(*reader, &end).empty());
  EXPECT_TRUE(end.has_value());
}

// Many log entries in a short span: windows are narrowed until each holds
// at most window_entries, so every page stays far below the offset cap.
TEST_F(PdReaderTest, BusyDayIsReadThroughSplitWindows) {
  nlohmann::json incidents = nlohmann::json::array();
  for (int i = 0; i < 60; ++i) {
    incidents.push_back({{"title", absl::StrCat("busy ", i)}, {"service_id", "PSVCWEB"},
                         {"created_at", IsoAgo(absl::Hours(20) - absl::Minutes(i * 10))}});
  }
  Reseed(incidents);
  PdReaderOptions options = WebReaderOptions(absl::Hours(24));
  options.reader.integration = "pd-to-jira";
  options.window_entries = 25;
  auto reader = MakeReader(options);
  ASSERT_NE(reader, nullptr);
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end, 7);
  EXPECT_EQ(events.size(), 60u);
  EXPECT_EQ(IncidentIds(events).size(), 60u);
  for (const auto& event : events) EXPECT_TRUE(event.created());
}

// The incidents a read sees created come from one /incidents list, read on
// a page at a time as the log windows need it, so windows do not each end
// in a part page of the list.
TEST_F(PdReaderTest, NewIncidentsOfManyWindowsComeFromFullListPages) {
  nlohmann::json incidents = nlohmann::json::array();
  for (int i = 0; i < 250; ++i) {
    incidents.push_back({{"title", absl::StrCat("listed ", i)}, {"service_id", "PSVCWEB"},
                         {"created_at", IsoAgo(absl::Minutes(10) - absl::Seconds(2 * i))}});
  }
  Reseed(incidents);
  auto lists = std::make_shared<std::atomic<int>>(0);
  // No request is in flight here: the logger may be swapped.
  sim_->server().SetRequestObserver([lists](const httplib::Request& req) {
    if (req.path == "/incidents") lists->fetch_add(1);
  });
  PdReaderOptions options = WebReaderOptions(absl::Minutes(11));
  // About 50 incidents (150 entries) a window: five windows.
  options.window_entries = 200;
  auto reader = MakeReader(options);
  ASSERT_NE(reader, nullptr);
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end, /*page_size=*/500);
  ASSERT_EQ(events.size(), 250u);
  for (const auto& event : events) EXPECT_TRUE(event.created());
  EXPECT_EQ(lists->load(), 3) << "one list page per 100 new incidents";
}

// A window holding too many entries is narrowed once, by its density, not
// halved a request at a time: an even hour of 1,260 entries with windows of
// 200 costs one request that is thrown away, not three.
TEST_F(PdReaderTest, WideWindowIsNarrowedByItsDensity) {
  nlohmann::json incidents = nlohmann::json::array();
  // One every 9 s (three log entries each) from before the reader's first
  // window to now.
  for (int i = 0; i < 467; ++i) {
    incidents.push_back({{"title", absl::StrCat("even ", i)}, {"service_id", "PSVCWEB"},
                         {"created_at", IsoAgo(absl::Minutes(70) - absl::Seconds(9 * i))}});
  }
  Reseed(incidents);
  // The `since` of each /log_entries request that asked for the total: one
  // per window, plus one per window width that did not fit.
  auto sinces = std::make_shared<std::vector<std::string>>();
  auto mu = std::make_shared<std::mutex>();
  // No request is in flight here: the logger may be swapped.
  sim_->server().SetRequestObserver([sinces, mu](const httplib::Request& req) {
    if (req.path != "/log_entries" || !req.has_param("total")) return;
    std::lock_guard<std::mutex> lock(*mu);
    sinces->push_back(req.get_param_value("since"));
  });
  PdReaderOptions options = WebReaderOptions(absl::Minutes(61));
  options.window_entries = 200;
  auto reader = MakeReader(options);
  ASSERT_NE(reader, nullptr);
  std::optional<ferry::v1::SourcePosition> end;
  // The 406 or so created since the start.
  EXPECT_GT(ReadAll(*reader, &end, /*page_size=*/1000).size(), 400u);
  std::lock_guard<std::mutex> lock(*mu);
  const std::set<std::string> windows(sinces->begin(), sinces->end());
  EXPECT_EQ(sinces->size() - windows.size(), 1u) << "requests thrown away to narrow windows";
}

TEST_F(PdReaderTest, StatusUpdatesAsCommentsWhenAsked) {
  PdReaderOptions options = WebReaderOptions();
  options.status_updates_as_comments = true;
  auto reader = MakeReader(options);
  ASSERT_NE(reader, nullptr);
  const std::string id = NewIncident("needs updates");
  Act("ada@example.com", "POST", "/incidents/" + id + "/status_updates",
      {{"message", "Rolled back"}});
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end);
  bool found = false;
  for (const auto& event : events) {
    for (const auto& comment : event.entity().comments()) {
      if (comment.kind() == "status_update") {
        found = true;
        EXPECT_EQ(comment.body(), "Rolled back");
        EXPECT_EQ(comment.author().id(), "PADMIN1");
      }
    }
  }
  EXPECT_TRUE(found);
}

// The cost of reading, in API calls: per log window one page per 100
// entries and one /incidents page per 100 new incidents, once per reader the
// identity (an account token needs /users/me and /users?query); notes only
// when the log shows some may exist.
TEST_F(PdReaderTest, ApiCallsPerSyncedChange) {
  CallCounter counter;
  PdReaderOptions options = WebReaderOptions();
  auto reader = MakeReader(options, &counter);
  ASSERT_NE(reader, nullptr);
  for (int i = 0; i < 10; ++i) NewIncident(absl::StrCat("cost ", i));
  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(*reader, &end);
  ASSERT_EQ(events.size(), 10u);
  const int first_read = counter.Take();
  EXPECT_EQ(first_read, 2 + 1 + 1);
  RecordProperty("calls_for_10_new_incidents", first_read);
  EXPECT_TRUE(ReadAll(*reader, &end).empty());
  const int idle_read = counter.Take();
  EXPECT_EQ(idle_read, 1);
  RecordProperty("calls_for_an_idle_poll", idle_read);
}

// A mapping that reads neither Description nor the conference bridge is
// answered by the incidents the log entries carry (include[]=incidents): a
// change costs its share of the log page and nothing more, but a note's
// notes. Without knowing what the mapping reads, the reader GETs each
// incident, as the full one is the only safe answer.
TEST_F(PdReaderTest, ChangesCostOnlyTheLogWhenTheMappingReadsNoBodyOrBridge) {
  for (const bool fields_known : {true, false}) {
    SCOPED_TRACE(fields_known ? "fields read known" : "fields read unknown");
    CallCounter counter;
    PdReaderOptions options = WebReaderOptions(absl::Seconds(1));
    if (fields_known) options.reader.fields_read = {"Title", "Status", "Priority", "Body"};
    auto reader = MakeReader(options, &counter);
    ASSERT_NE(reader, nullptr);
    std::optional<ferry::v1::SourcePosition> end;
    ReadAll(*reader, &end);
    counter.Take();  // the identity lookup and the first poll
    const int extra = fields_known ? 0 : 1;

    const std::string id = NewIncident(fields_known ? "from the log" : "from a GET");
    auto created = ReadAll(*reader, &end);
    ASSERT_EQ(created.size(), 1u);
    EXPECT_TRUE(created[0].created());
    EXPECT_EQ(created[0].entity().fields().at("Title").text(),
              fields_known ? "from the log" : "from a GET");
    EXPECT_EQ(counter.Take(), 1 + extra) << "the log page (and the incident's GET)";

    Act("rita@example.com", "PUT", "/incidents/" + id,
        {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
    auto acknowledged = ReadAll(*reader, &end);
    ASSERT_EQ(acknowledged.size(), 1u);
    EXPECT_EQ(acknowledged[0].entity().fields().at("Status").lookup().name(), "acknowledged");
    EXPECT_EQ(counter.Take(), 1 + extra) << "the log page (and the incident's GET)";

    Act("rita@example.com", "POST", "/incidents/" + id + "/notes",
        {{"note", {{"content", "looking"}}}});
    auto noted = ReadAll(*reader, &end);
    ASSERT_EQ(noted.size(), 1u);
    ASSERT_EQ(noted[0].entity().comments_size(), 1);
    EXPECT_EQ(noted[0].entity().comments(0).body(), "looking");
    EXPECT_EQ(counter.Take(), 2 + extra) << "the log page, the notes (and the incident's GET)";
  }
}

// What the log's incidents lack is never taken from them: Description
// comes from the trigger entry the read saw, or from a GET of an incident
// whose creation it did not see; a mapped conference field costs a GET
// per change.
TEST_F(PdReaderTest, WhatTheLogsIncidentsLackIsFetched) {
  for (const char* field : {"Description", "Conference URL"}) {
    SCOPED_TRACE(field);
    Reseed({{{"title", "Old outage"}, {"service_id", "PSVCWEB"},
             {"created_at", IsoAgo(absl::Hours(24 * 60))}, {"details", "disk"}}});
    auto list = pagerduty_sim::Body(Get("/incidents?date_range=all"));
    ASSERT_EQ(list["incidents"].size(), 1u);
    const std::string old_id = list["incidents"][0]["id"];
    CallCounter counter;
    PdReaderOptions options = WebReaderOptions(absl::Seconds(1));
    options.reader.fields_read = {"Title", field};
    auto reader = MakeReader(options, &counter);
    ASSERT_NE(reader, nullptr);
    std::optional<ferry::v1::SourcePosition> end;
    ReadAll(*reader, &end);
    counter.Take();
    const int bridge_get = std::string(field) == "Description" ? 0 : 1;

    NewIncident(absl::StrCat("new, reading ", field), "PSVCWEB",
                {{"body", {{"type", "incident_body"}, {"details", "cpu"}}}});
    auto created = ReadAll(*reader, &end);
    ASSERT_EQ(created.size(), 1u);
    EXPECT_EQ(created[0].entity().fields().count("Description"), 1u);
    EXPECT_EQ(counter.Take(), 1 + bridge_get);

    Act("rita@example.com", "PUT", "/incidents/" + old_id,
        {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
    auto acknowledged = ReadAll(*reader, &end);
    ASSERT_EQ(acknowledged.size(), 1u);
    EXPECT_EQ(acknowledged[0].entity().fields().count("Description"), 1u);
    EXPECT_EQ(counter.Take(), 3) << "the log page, the incident and its notes";
  }
}

}  // namespace
}  // namespace ferry::pagerduty
