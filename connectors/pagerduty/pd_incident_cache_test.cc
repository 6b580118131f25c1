#include "connectors/pagerduty/pd_incident_cache.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "connectors/pagerduty/testing/pd_call_counter.h"
#include "connectors/pagerduty/pd_log_translation.h"
#include "connectors/pagerduty/testing/pd_sim_test_base.h"
#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

class IncidentCacheTest : public PdSimTest {
 protected:
  void SetUp() override {
    PdSimTest::SetUp();
    api_ = MakeApi("account-full", "ferry-bot@example.com", &counter_);
    since_ = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) - 60);
  }

  // Closes api_'s kept-alive connections before the simulator stops, which
  // would otherwise wait for them to time out.
  void TearDown() override {
    api_.reset();
    PdSimTest::TearDown();
  }

  // The log of the last minute up to the end of this second, oldest first,
  // with the channels' details, as the reader asks for it.
  std::vector<nlohmann::json> Log() {
    until_ = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) + 1);
    auto page = api_->GetPage("/log_entries",
                              {{"since", FormatPdTime(since_)},
                               {"until", FormatPdTime(until_)},
                               {"include[]", "channels"}},
                              "log_entries", 0, kMaxPageLimit, false);
    EXPECT_TRUE(page.ok()) << page.status();
    counter_.Take();
    if (!page.ok()) return {};
    std::reverse(page->items.begin(), page->items.end());
    return page->items;
  }

  // The incident of `id` from `cache`, failing the test when the fetch fails.
  const IncidentCache::Incident* Fetch(IncidentCache& cache, const std::string& id) {
    auto incident = cache.Fetch(id);
    EXPECT_TRUE(incident.ok()) << incident.status();
    return incident.ok() ? *incident : nullptr;
  }

  static bool Unseen(const std::string&) { return false; }

  CallCounter counter_;
  std::shared_ptr<const PdApi> api_;
  absl::Time since_;
  absl::Time until_;
};

TEST_F(IncidentCacheTest, AnIncidentIsFetchedOnceWithItsNotes) {
  const std::string id = NewIncident("noted");
  Act("rita@example.com", "POST", "/incidents/" + id + "/notes",
      {{"note", {{"content", "looking"}}}});
  IncidentCache cache(api_, "PSVCWEB");
  cache.Reset(absl::Now());
  const IncidentCache::Incident* incident = Fetch(cache, id);
  ASSERT_NE(incident, nullptr);
  EXPECT_EQ(incident->json["title"], "noted");
  ASSERT_EQ(incident->notes.size(), 1u);
  EXPECT_EQ(incident->notes[0].body(), "looking");
  EXPECT_EQ(counter_.Take(), 2) << "the incident and its notes";
  EXPECT_EQ(Fetch(cache, id), incident);
  EXPECT_EQ(counter_.Take(), 0);
}

TEST_F(IncidentCacheTest, NotesAreFetchedOnlyWhenTheLogShowsSomeMayExist) {
  const std::string id = NewIncident("quiet");
  IncidentCache cache(api_, "PSVCWEB");
  cache.Reset(absl::Now());
  for (const auto& entry : Log()) cache.NoteRead(entry, /*me_id=*/"");
  // Its creation was read and nothing annotated it since: no notes yet.
  ASSERT_NE(Fetch(cache, id), nullptr);
  EXPECT_EQ(counter_.Take(), 1);
  Act("rita@example.com", "POST", "/incidents/" + id + "/notes",
      {{"note", {{"content", "now noted"}}}});
  for (const auto& entry : Log()) cache.NoteRead(entry, /*me_id=*/"");
  const IncidentCache::Incident* incident = Fetch(cache, id);
  ASSERT_NE(incident, nullptr);
  EXPECT_EQ(counter_.Take(), 1) << "only the notes";
  ASSERT_EQ(incident->notes.size(), 1u);
  EXPECT_EQ(incident->notes[0].body(), "now noted");
}

// A report of an incident (NotesReported) answers for the annotate entries
// read before its notes were fetched: a later read that shows them again
// fetches no notes, while one read after the fetch, in the same read, still
// counts. Ferry's own notes never do.
TEST_F(IncidentCacheTest, AReportAnswersForTheNotesFetchedAfterTheirEntries) {
  const std::string id = NewIncident("noted");
  auto note = [&](const std::string& as, const std::string& text) {
    Act(as, "POST", "/incidents/" + id + "/notes", {{"note", {{"content", text}}}});
  };
  const std::string me = "PBOT001";  // ferry-bot@example.com
  IncidentCache cache(api_, "PSVCWEB");
  // A read that starts after the creation, as after a restart.
  note("rita@example.com", "first");
  auto read = [&](const std::vector<nlohmann::json>& log) {
    cache.Reset(absl::Now());
    for (const auto& entry : log) {
      if (LogEntryType(entry) != "trigger_log_entry") cache.NoteRead(entry, me);
    }
  };
  read(Log());
  ASSERT_NE(Fetch(cache, id), nullptr);
  EXPECT_EQ(counter_.Take(), 2) << "the incident and its notes";
  cache.NotesReported(id);
  read(Log());
  ASSERT_NE(Fetch(cache, id), nullptr);
  EXPECT_EQ(counter_.Take(), 1) << "the note read again was reported: only the incident";
  note("ferry-bot@example.com", "from Jira");
  read(Log());
  ASSERT_NE(Fetch(cache, id), nullptr);
  EXPECT_EQ(counter_.Take(), 1) << "Ferry's own note is not one to fetch";
  // A note logged after this read fetched the notes, read later in it.
  note("rita@example.com", "second");
  read(Log());
  ASSERT_NE(Fetch(cache, id), nullptr);
  EXPECT_EQ(counter_.Take(), 2) << "the incident and its notes, for the second note";
  note("rita@example.com", "third");
  for (const auto& entry : Log()) cache.NoteRead(entry, me);
  ASSERT_NE(Fetch(cache, id), nullptr);
  EXPECT_EQ(counter_.Take(), 0) << "fetched once per read";
  cache.NotesReported(id);
  read(Log());
  const IncidentCache::Incident* incident = Fetch(cache, id);
  ASSERT_NE(incident, nullptr);
  EXPECT_EQ(counter_.Take(), 2) << "the third note's entry was read after the notes were fetched";
  EXPECT_EQ(incident->notes.size(), 4u) << "Ferry's among them (the change leaves it out)";
}

TEST_F(IncidentCacheTest, AMissingIncidentIsNull) {
  IncidentCache cache(api_, "PSVCWEB");
  cache.Reset(absl::Now());
  auto missing = cache.Fetch("PNOSUCH");
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(*missing, nullptr);
}

TEST_F(IncidentCacheTest, NewIncidentsComeFromOneListPageWithTheirDescription) {
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.insert(NewIncident(
        absl::StrCat("listed ", i), "PSVCWEB",
        {{"body", {{"type", "incident_body"}, {"details", absl::StrCat("details ", i)}}}}));
  }
  NewIncident("elsewhere", "PSVCDB1");
  IncidentCache cache(api_, "PSVCWEB");
  const std::vector<nlohmann::json> log = Log();
  cache.Reset(until_);
  ASSERT_TRUE(cache.ListNew(log, Unseen, since_, until_, http::RequestPriority::kLive).ok());
  EXPECT_EQ(counter_.Take(), 1) << "one /incidents page";
  for (const auto& entry : log) cache.NoteRead(entry, /*me_id=*/"");
  for (const std::string& id : ids) {
    const IncidentCache::Incident* incident = Fetch(cache, id);
    ASSERT_NE(incident, nullptr);
    EXPECT_EQ(incident->json["body"]["details"].get<std::string>().rfind("details ", 0), 0u);
    EXPECT_TRUE(incident->notes.empty());
  }
  EXPECT_EQ(counter_.Take(), 0) << "listed incidents created in view cost nothing more";
}

TEST_F(IncidentCacheTest, AReadFromBeforeTheSixMonthRangeListsWithinIt) {
  const std::string first = NewIncident("old checkpoint 1");
  const std::string second = NewIncident("old checkpoint 2");
  IncidentCache cache(api_, "PSVCWEB");
  const std::vector<nlohmann::json> log = Log();
  cache.Reset(until_);
  // A checkpoint seven months old: a list from it to now is wider than
  // PagerDuty accepts, and refusing it would stall every read.
  const absl::Time old_since = until_ - absl::Hours(24 * 213);
  absl::Status listed = cache.ListNew(log, Unseen, old_since, until_, http::RequestPriority::kLive);
  ASSERT_TRUE(listed.ok()) << listed;
  EXPECT_EQ(counter_.Take(), 1) << "one list page, within the range";
  for (const std::string& id : {first, second}) {
    const IncidentCache::Incident* incident = Fetch(cache, id);
    ASSERT_NE(incident, nullptr);
    EXPECT_EQ(incident->json.value("id", ""), id);
  }
}

TEST_F(IncidentCacheTest, ASingleOrSeenTriggerIsLeftToFetch) {
  const std::string one = NewIncident("alone");
  IncidentCache cache(api_, "PSVCWEB");
  std::vector<nlohmann::json> log = Log();
  cache.Reset(until_);
  // One GET by id costs no more than a list page.
  ASSERT_TRUE(cache.ListNew(log, Unseen, since_, until_, http::RequestPriority::kLive).ok());
  EXPECT_EQ(counter_.Take(), 0);
  // Triggers already seen (read by an earlier read) are not new.
  NewIncident("second");
  log = Log();
  auto seen = [](const std::string&) { return true; };
  ASSERT_TRUE(cache.ListNew(log, seen, since_, until_, http::RequestPriority::kLive).ok());
  EXPECT_EQ(counter_.Take(), 0);
  ASSERT_NE(Fetch(cache, one), nullptr);
  EXPECT_EQ(counter_.Take(), 2) << "by id, with notes: its trigger was never noted read";
}

TEST_F(IncidentCacheTest, ExpireRefetchesOnlyPastTheFetchingRead) {
  const std::string id = NewIncident("changing");
  IncidentCache cache(api_, "PSVCWEB");
  const absl::Time now = absl::Now();
  cache.Reset(now);
  for (const auto& entry : Log()) cache.NoteRead(entry, /*me_id=*/"");
  ASSERT_NE(Fetch(cache, id), nullptr);
  counter_.Take();
  // Up to the fetching read's end: still as they were.
  cache.Expire(now, now + absl::Seconds(10));
  ASSERT_NE(Fetch(cache, id), nullptr);
  EXPECT_EQ(counter_.Take(), 0);
  // Past it: fetched again, and the read entries still spare the notes.
  cache.Expire(now + absl::Seconds(1), now + absl::Seconds(10));
  ASSERT_NE(Fetch(cache, id), nullptr);
  EXPECT_EQ(counter_.Take(), 1);
  // Reset forgets the entries too.
  cache.Reset(now + absl::Seconds(20));
  ASSERT_NE(Fetch(cache, id), nullptr);
  EXPECT_EQ(counter_.Take(), 2);
}

}  // namespace
}  // namespace ferry::pagerduty
