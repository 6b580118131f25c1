#include "connectors/pagerduty/pd_account_log.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_connector.h"
#include "connectors/pagerduty/pd_identity.h"
#include "connectors/pagerduty/pd_reader.h"
#include "connectors/pagerduty/testing/pd_call_counter.h"
#include "connectors/pagerduty/testing/pd_sim_test_base.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace ferry::pagerduty {
namespace {

// Readers of several services and integrations sharing one AccountLog,
// on a clock the test moves (never behind the simulator's, so every entry
// logged is within the reads' reach). Counts the API calls of the log and
// of each reader.
class SharedLogTest : public PdSimTest {
 protected:
  void SetUp() override {
    PdSimTest::SetUp();
    clock_ = absl::Now();
    api_ = MakeApi("account-full", "ferry-bot@example.com", &calls_);
    identity_ = std::make_shared<PdIdentity>(api_);
    log_ = MakeLog();
  }

  // Closes the kept-alive connections before the simulator stops (it would
  // wait for them to time out).
  void TearDown() override {
    log_.reset();
    identity_.reset();
    api_.reset();
    PdSimTest::TearDown();
  }

  std::shared_ptr<AccountLog> MakeLog(absl::Duration retention = absl::Minutes(10),
                                      absl::Duration share_within = absl::Seconds(1)) {
    AccountLogOptions options;
    options.now = [this] { return clock_; };
    options.retention = retention;
    options.share_within = share_within;
    return std::make_shared<AccountLog>(api_, options);
  }

  // A reader start (or checkpoint) at `time`.
  static ferry::v1::SourcePosition PositionAt(absl::Time time) {
    ferry::v1::SourcePosition position;
    *position.mutable_time() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(time));
    return position;
  }

  // Seeds 200 incidents over the last 3 hours, incident i on service_of(i)
  // (600 log entries), and counts the log reads from then on in
  // log_reads_. Returns a start 4 hours back.
  ferry::v1::SourcePosition SeedThreeHours(const std::function<std::string(int)>& service_of) {
    nlohmann::json incidents = nlohmann::json::array();
    for (int i = 0; i < 200; ++i) {
      incidents.push_back(
          {{"title", absl::StrCat("old ", i)},
           {"service_id", service_of(i)},
           {"created_at", FormatPdTime(absl::Now() - absl::Hours(3) + absl::Seconds(50 * i))}});
    }
    Reseed(incidents);
    sim_->server().SetRequestObserver([this](const httplib::Request& req) {
      if (req.path == "/log_entries") ++log_reads_;
    });
    return PositionAt(absl::Now() - absl::Hours(4));
  }

  // A new incident on PSVCWEB whose body (Description) is "disk full on
  // web-1".
  std::string NewIncidentWithBody(const std::string& title) {
    return NewIncident(title, "PSVCWEB",
                       {{"body", {{"type", "incident_body"}, {"details", "disk full on web-1"}}}});
  }

  // From now on, counts the simulator's GETs of /incidents paths, by path;
  // TakeIncidentReads returns the counts and starts again.
  void CountIncidentReads() {
    sim_->server().SetRequestObserver([this](const httplib::Request& req) {
      absl::MutexLock lock(&reads_mu_);
      if (req.method == "GET" && absl::StartsWith(req.path, "/incidents")) {
        ++incident_reads_[req.path];
      }
    });
  }
  std::map<std::string, int> TakeIncidentReads() {
    absl::MutexLock lock(&reads_mu_);
    return std::exchange(incident_reads_, {});
  }

  // Moves the clock `by` past the later of itself and the wall clock.
  void Tick(absl::Duration by = absl::Seconds(2)) { clock_ = std::max(clock_, absl::Now()) + by; }

  struct Partition {
    std::string service;
    std::unique_ptr<engine::ChangeReader> reader;
    std::optional<ferry::v1::SourcePosition> position;
  };

  // A reader of `service` for integration `integration` on `log`, from
  // `start` when given (else from its creation).
  Partition MakePartition(const std::string& service, const std::string& integration,
                          const std::shared_ptr<AccountLog>& log,
                          std::optional<ferry::v1::SourcePosition> start = std::nullopt,
                          int window_entries = PdReaderOptions().window_entries) {
    PdReaderOptions options;
    options.window_entries = window_entries;
    options.system = "pd-test";
    options.reader.project = service;
    options.reader.integration = integration;
    options.reader.start = std::move(start);
    options.reader.fields_read = fields_read_;
    options.reader.fields_read_when_linked = fields_read_when_linked_;
    options.reader.linked = linked_;
    options.now = [this] { return clock_; };
    options.account_log = log;
    auto reader = PdReader::Create(api_, identity_, options);
    EXPECT_TRUE(reader.ok()) << reader.status();
    Partition partition;
    partition.service = service;
    if (reader.ok()) partition.reader = *std::move(reader);
    return partition;
  }

  // One read of `partition`, as the engine's poll does; the ids of the
  // incidents it reports, in order. The position moves as the engine's.
  std::vector<std::string> Poll(Partition& partition) {
    auto page = partition.reader->ReadChanges(partition.position, 1000);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (!page.ok()) return ids;
    EXPECT_FALSE(page->more);
    for (const auto& change : page->changes) {
      ids.push_back(change.entity().id());
      partition.position = change.position();
    }
    if (page->scanned_to.has_value()) partition.position = page->scanned_to;
    return ids;
  }

  // Reads of every partition in turn, at most `max_changes` each, until
  // none has more; the changes read.
  int ReadInTurns(const std::vector<Partition*>& partitions, int max_changes) {
    int changes = 0;
    std::vector<bool> more(partitions.size(), true);
    for (bool any = true; any;) {
      any = false;
      for (size_t i = 0; i < partitions.size(); ++i) {
        if (!more[i]) continue;
        auto page = partitions[i]->reader->ReadChanges(partitions[i]->position, max_changes);
        EXPECT_TRUE(page.ok()) << page.status();
        if (!page.ok()) return changes;
        changes += static_cast<int>(page->changes.size());
        if (!page->changes.empty()) partitions[i]->position = page->changes.back().position();
        if (page->scanned_to.has_value()) partitions[i]->position = page->scanned_to;
        more[i] = page->more;
        any = any || page->more;
      }
    }
    return changes;
  }

  // Rounds in which each partition reads once, partition i at most
  // `max_changes[i]` changes, as readers paced by their targets do, until a
  // round moves none (a reader told to wait for a slower one moves not);
  // the changes read.
  int ReadInRounds(const std::vector<Partition*>& partitions, const std::vector<int>& max_changes) {
    int changes = 0;
    for (bool moved = true; moved;) {
      moved = false;
      for (size_t i = 0; i < partitions.size(); ++i) {
        Partition& partition = *partitions[i];
        auto page = partition.reader->ReadChanges(partition.position, max_changes[i]);
        EXPECT_TRUE(page.ok()) << page.status();
        if (!page.ok()) return changes;
        const std::optional<ferry::v1::SourcePosition> before = partition.position;
        changes += static_cast<int>(page->changes.size());
        if (!page->changes.empty()) partition.position = page->changes.back().position();
        if (page->scanned_to.has_value()) partition.position = page->scanned_to;
        auto serialized = [](const std::optional<ferry::v1::SourcePosition>& position) {
          return position.has_value() ? position->SerializeAsString() : std::string();
        };
        moved = moved || !page->changes.empty() || page->more ||
                serialized(partition.position) != serialized(before);
      }
    }
    return changes;
  }

  // Polls every partition once; the incidents each reported.
  std::vector<std::vector<std::string>> PollAll(std::vector<Partition>& partitions) {
    std::vector<std::vector<std::string>> seen;
    for (auto& partition : partitions) seen.push_back(Poll(partition));
    return seen;
  }

  // Six partitions: three integrations on each of the two services.
  std::vector<Partition> SixPartitions() {
    std::vector<Partition> partitions;
    for (int i = 0; i < 3; ++i) {
      for (const std::string service : {"PSVCWEB", "PSVCDB1"}) {
        partitions.push_back(MakePartition(service, absl::StrCat("int-", i), log_));
      }
    }
    return partitions;
  }

  absl::Time clock_;
  // What the partitions' mapping reads (ReaderOptions::fields_read and
  // fields_read_when_linked), and which incidents are linked.
  std::optional<std::set<std::string>> fields_read_;
  std::optional<std::set<std::string>> fields_read_when_linked_;
  std::function<bool(const std::string&)> linked_;
  // See SeedThreeHours.
  std::atomic<int> log_reads_{0};
  // See CountIncidentReads.
  absl::Mutex reads_mu_;
  std::map<std::string, int> incident_reads_ ABSL_GUARDED_BY(reads_mu_);
  CallCounter calls_;
  std::shared_ptr<const PdApi> api_;
  std::shared_ptr<PdIdentity> identity_;
  std::shared_ptr<AccountLog> log_;
};

TEST_F(SharedLogTest, EveryPartitionOfTheAccountSharesOneLogReadPerPoll) {
  std::vector<Partition> partitions = SixPartitions();
  PollAll(partitions);  // the first poll also asks who the integration user is
  calls_.Take();
  for (int round = 0; round < 3; ++round) {
    Tick();
    PollAll(partitions);
    EXPECT_EQ(calls_.Take(), 1) << "idle poll " << round;
  }
}

TEST_F(SharedLogTest, EachPartitionGetsItsOwnServicesChangesOnce) {
  std::vector<Partition> partitions = SixPartitions();
  PollAll(partitions);
  const std::string web = NewIncident("Web is down", "PSVCWEB");
  const std::string db = NewIncident("DB is down", "PSVCDB1");
  Tick();
  std::vector<std::vector<std::string>> seen = PollAll(partitions);
  for (size_t i = 0; i < partitions.size(); ++i) {
    const std::string expected = partitions[i].service == "PSVCWEB" ? web : db;
    EXPECT_EQ(seen[i], std::vector<std::string>{expected}) << "partition " << i;
  }
  // Each reported once: the next polls re-read their overlap from memory.
  Tick();
  calls_.Take();
  for (const auto& ids : PollAll(partitions)) EXPECT_TRUE(ids.empty());
  EXPECT_EQ(calls_.Take(), 1);
}

TEST_F(SharedLogTest, ALoneReadersNextReadSeesWhatWasLoggedSinceItsLast) {
  std::vector<Partition> partitions;
  partitions.push_back(MakePartition("PSVCWEB", "web", log_));
  PollAll(partitions);
  // No tick: still within share_within of the fetch, which a lone reader
  // has read already.
  const std::string id = NewIncident("Web is down", "PSVCWEB");
  clock_ = std::max(clock_, absl::Now());
  EXPECT_EQ(Poll(partitions[0]), std::vector<std::string>{id});
}

TEST_F(SharedLogTest, ReadersWokenByAFetchShareIt) {
  std::vector<Partition> partitions = SixPartitions();
  PollAll(partitions);
  calls_.Take();
  Tick();
  // The fetch's wake-up makes every partition read again at once, the one
  // that fetched included.
  PollAll(partitions);
  PollAll(partitions);
  EXPECT_EQ(calls_.Take(), 1);
}

TEST_F(SharedLogTest, AWebhookMakesTheNextReadFetch) {
  // Reads share a fetch for an hour, unless a webhook says there is news.
  log_ = MakeLog(absl::Minutes(10), absl::Hours(1));
  std::vector<Partition> partitions = SixPartitions();
  // Partitions 2 and 4 (PSVCWEB) have not read the fetch yet.
  for (int i : {0, 1, 3, 5}) Poll(partitions[i]);
  const std::string id = NewIncident("Web is down", "PSVCWEB");
  Tick();
  calls_.Take();
  EXPECT_TRUE(Poll(partitions[4]).empty()) << "shares the fetch made before the incident";
  EXPECT_EQ(calls_.Take(), 0);
  log_->MarkStale();
  EXPECT_EQ(Poll(partitions[2]), std::vector<std::string>{id});
  EXPECT_GE(calls_.Take(), 1);
}

// Push mode: each webhook (MarkStale, then the readers woken) costs one
// read of the log, for every partition of the account, and the changes it
// brings cost nothing more when the mapping reads no field the log's
// incidents lack.
TEST_F(SharedLogTest, PushModeCostsOneReadPerWebhook) {
  fields_read_ = std::set<std::string>{"Title", "Status", "Priority", "Body"};
  std::vector<Partition> partitions = SixPartitions();
  PollAll(partitions);
  const std::string id = NewIncident("Web is down", "PSVCWEB");
  Tick(absl::ZeroDuration());
  log_->MarkStale();
  calls_.Take();
  std::vector<std::vector<std::string>> seen = PollAll(partitions);
  for (size_t i = 0; i < partitions.size(); ++i) {
    if (partitions[i].service == "PSVCWEB") {
      EXPECT_EQ(seen[i], std::vector<std::string>{id});
    }
  }
  EXPECT_EQ(calls_.Take(), 1) << "the new incident's webhook";
  for (const char* status : {"acknowledged", "resolved"}) {
    Act("rita@example.com", "PUT", "/incidents/" + id,
        {{"incident", {{"type", "incident_reference"}, {"status", status}}}});
    Tick(absl::ZeroDuration());
    log_->MarkStale();
    seen = PollAll(partitions);
    for (size_t i = 0; i < partitions.size(); ++i) {
      if (partitions[i].service == "PSVCWEB") {
        EXPECT_EQ(seen[i], std::vector<std::string>{id}) << status;
      }
    }
    EXPECT_EQ(calls_.Take(), 1) << status << "'s webhook";
  }
}

TEST_F(SharedLogTest, AServiceAddedLaterIsBackfilledWhileTheOthersKeepTheSharedRead) {
  Reseed({{{"title", "Old DB outage"},
           {"service_id", "PSVCDB1"},
           {"created_at", FormatPdTime(absl::Now() - absl::Hours(3))}}});
  std::vector<Partition> partitions;
  partitions.push_back(MakePartition("PSVCWEB", "web", log_));
  PollAll(partitions);
  Tick();
  PollAll(partitions);
  // A reload adds an integration on PSVCDB1 that starts 4 hours back.
  const ferry::v1::SourcePosition start = PositionAt(absl::Now() - absl::Hours(4));
  partitions.push_back(MakePartition("PSVCDB1", "db", log_, start));
  Tick();
  calls_.Take();
  EXPECT_TRUE(Poll(partitions[0]).empty());
  EXPECT_EQ(calls_.Take(), 1) << "the shared read";
  const std::vector<std::string> backfilled = Poll(partitions[1]);
  ASSERT_EQ(backfilled.size(), 1u);
  EXPECT_GE(calls_.Take(), 1) << "its own read of the 4 hours before what is held";
  // Joined: the next poll of both costs the one shared read.
  const std::string db = NewIncident("DB again", "PSVCDB1");
  Tick();
  std::vector<std::vector<std::string>> seen = PollAll(partitions);
  EXPECT_TRUE(seen[0].empty());
  EXPECT_EQ(seen[1], std::vector<std::string>{db});
  EXPECT_EQ(calls_.Take(), 2) << "the shared read and the new incident's GET";
}

TEST_F(SharedLogTest, APausedPartitionCatchesUpFromItsCheckpointWhenResumed) {
  // Held for 3 minutes: the 2 minute overlap and a poll each minute.
  log_ = MakeLog(absl::Minutes(3));
  std::vector<Partition> partitions = SixPartitions();
  PollAll(partitions);
  const std::string web = NewIncident("Web is down", "PSVCWEB");
  // Partition 0 is paused: the others go on, past what the log holds.
  for (int round = 0; round < 6; ++round) {
    Tick(absl::Minutes(1));
    calls_.Take();
    for (size_t i = 1; i < partitions.size(); ++i) Poll(partitions[i]);
    // The first round also GETs the new incident, once per PSVCWEB reader.
    if (round > 0) {
      EXPECT_EQ(calls_.Take(), 1) << "round " << round;
    }
  }
  calls_.Take();
  EXPECT_EQ(Poll(partitions[0]), std::vector<std::string>{web});
  EXPECT_GE(calls_.Take(), 1) << "its own read from its checkpoint";
}

TEST_F(SharedLogTest, ARestartResumesEachPartitionWhereItWas) {
  std::vector<Partition> partitions = SixPartitions();
  PollAll(partitions);
  const std::string first = NewIncident("Web is down", "PSVCWEB");
  Tick();
  // Only the PSVCWEB partitions read the first incident before the stop.
  for (auto& partition : partitions) {
    if (partition.service == "PSVCWEB") {
      EXPECT_EQ(Poll(partition), std::vector<std::string>{first});
    }
  }
  const std::string second = NewIncident("Web again", "PSVCWEB");
  const std::string db = NewIncident("DB is down", "PSVCDB1");
  // A new process: a new log, readers made again from the checkpoints.
  log_ = MakeLog();
  std::vector<Partition> restarted;
  for (auto& partition : partitions) {
    restarted.push_back(MakePartition(partition.service, "restarted", log_));
    restarted.back().position = partition.position;
  }
  Tick();
  std::vector<std::vector<std::string>> seen = PollAll(restarted);
  for (size_t i = 0; i < restarted.size(); ++i) {
    const std::vector<std::string> expected =
        restarted[i].service == "PSVCWEB" ? std::vector<std::string>{second}
                                          : std::vector<std::string>{db};
    EXPECT_EQ(seen[i], expected) << "partition " << i;
  }
}

TEST_F(SharedLogTest, ServicesBackfilledTogetherReadTheLogOnce) {
  // Every other incident on each service, read in windows of about 150.
  const ferry::v1::SourcePosition start =
      SeedThreeHours([](int i) { return i % 2 == 0 ? "PSVCWEB" : "PSVCDB1"; });
  constexpr int kWindowEntries = 150;
  // The baseline: one reader alone.
  Partition alone = MakePartition("PSVCWEB", "alone", nullptr, start, kWindowEntries);
  EXPECT_EQ(ReadInTurns({&alone}, 20), 100);
  const int alone_reads = log_reads_.exchange(0);
  // Four partitions (two integrations on each service) backfilled together.
  std::vector<Partition> partitions;
  for (const std::string integration : {"a", "b"}) {
    for (const std::string service : {"PSVCWEB", "PSVCDB1"}) {
      partitions.push_back(MakePartition(service, integration, log_, start, kWindowEntries));
    }
  }
  std::vector<Partition*> all;
  for (auto& partition : partitions) all.push_back(&partition);
  EXPECT_EQ(ReadInTurns(all, 20), 400);
  // One shared read of the log, plus the fetch of its tail.
  EXPECT_LE(log_reads_.load(), alone_reads + 1) << "alone: " << alone_reads;
  EXPECT_GE(alone_reads, 5);
}

// Readers that find nothing of theirs run ahead of one that reads a few
// changes at a time (its target's pace): they wait for it rather than
// make it read alone the windows they would forget, so the log is still
// read once.
TEST_F(SharedLogTest, ABackfillIsReadOnceWhenOneReaderIsSlowerThanTheOthers) {
  const ferry::v1::SourcePosition start =
      SeedThreeHours([](int i) { return i < 150 ? "PSVCWEB" : "PSVCDB1"; });
  // Windows of about 30 entries: 20 of them, more than the log keeps.
  constexpr int kWindowEntries = 30;
  Partition alone = MakePartition("PSVCWEB", "alone", nullptr, start, kWindowEntries);
  EXPECT_EQ(ReadInRounds({&alone}, {1000}), 150);
  const int alone_reads = log_reads_.exchange(0);
  std::vector<Partition> partitions;
  partitions.push_back(MakePartition("PSVCWEB", "slow", log_, start, kWindowEntries));
  for (const std::string integration : {"a", "b"}) {
    partitions.push_back(MakePartition("PSVCDB1", integration, log_, start, kWindowEntries));
  }
  std::vector<Partition*> all;
  for (auto& partition : partitions) all.push_back(&partition);
  EXPECT_EQ(ReadInRounds(all, {3, 1000, 1000}), 150 + 2 * 50);
  // One shared read of the log, plus the fetch of its tail.
  EXPECT_LE(log_reads_.load(), alone_reads + 1) << "alone: " << alone_reads;
  EXPECT_GE(alone_reads, 15);
}

// A backfill reads each log entry from the API once: readers catching up
// stop where the account log's first fetch began, and go on from memory,
// so the whole costs the log's pages plus at most one part page where the
// two meet, and no incident GET or list when the mapping reads no field the
// log's incidents lack.
TEST_F(SharedLogTest, ABackfillReadsEachLogEntryOnce) {
  fields_read_ = std::set<std::string>{"Title", "Status"};
  // 100 incidents from 30 to 5 minutes ago, 100 in the last 4 minutes (held
  // by the log's first fetch), every other one on each service.
  const absl::Time now = absl::Now();
  nlohmann::json incidents = nlohmann::json::array();
  for (int i = 0; i < 200; ++i) {
    const absl::Time created = i < 100 ? now - absl::Minutes(30) + absl::Seconds(15 * i)
                                       : now - absl::Minutes(4) + absl::Seconds(2 * (i - 100));
    incidents.push_back({{"title", absl::StrCat("old ", i)},
                         {"service_id", i % 2 == 0 ? "PSVCWEB" : "PSVCDB1"},
                         {"as_user", "ada@example.com"},
                         {"created_at", FormatPdTime(created)}});
  }
  Reseed(incidents);
  std::map<std::string, int> reads;
  absl::Mutex mu;
  sim_->server().SetRequestObserver([&](const httplib::Request& req) {
    absl::MutexLock lock(&mu);
    ++reads[req.path];
  });
  const ferry::v1::SourcePosition start = PositionAt(now - absl::Minutes(40));
  std::vector<Partition> partitions;
  for (const std::string integration : {"a", "b"}) {
    for (const std::string service : {"PSVCWEB", "PSVCDB1"}) {
      partitions.push_back(MakePartition(service, integration, log_, start));
    }
  }
  std::vector<Partition*> all;
  for (auto& partition : partitions) all.push_back(&partition);
  Tick(absl::ZeroDuration());
  EXPECT_EQ(ReadInTurns(all, 1000), 400);
  auto counted = api_->GetPage("/log_entries",
                               {{"since", FormatPdTime(now - absl::Minutes(40))},
                                {"until", FormatPdTime(clock_ + absl::Seconds(1))}},
                               "log_entries", 0, 1, true);
  ASSERT_TRUE(counted.ok()) << counted.status();
  const int64_t pages = (counted->total.value_or(0) + 99) / 100;
  absl::MutexLock lock(&mu);
  EXPECT_LE(reads["/log_entries"] - 1, pages + 1)
      << "log pages for " << counted->total.value_or(0) << " entries (one more counted them)";
  for (const auto& [path, count] : reads) {
    EXPECT_TRUE(path == "/log_entries" || absl::StartsWith(path, "/users")) << path;
  }
}

// A change to an incident older than the overlap fetches its notes only
// when the log shows a new one: the reader that reported the incident with
// its notes and read on from there has seen every annotate entry since. A
// reader that starts elsewhere (a restart) fetches them, as it may have
// missed some.
TEST_F(SharedLogTest, NotesAreFetchedOnlyWhenTheLogShowsANewOne) {
  fields_read_ = std::set<std::string>{"Title", "Status"};
  std::vector<Partition> partitions;
  partitions.push_back(MakePartition("PSVCWEB", "web", log_));
  partitions.push_back(MakePartition("PSVCDB1", "db", log_));
  PollAll(partitions);
  const std::string id = NewIncident("Web is down", "PSVCWEB");
  Tick();
  EXPECT_EQ(Poll(partitions[0]), std::vector<std::string>{id});
  std::atomic<int> notes_reads{0};
  sim_->server().SetRequestObserver([&](const httplib::Request& req) {
    if (absl::EndsWith(req.path, "/notes")) ++notes_reads;
  });
  auto later = [&](const char* status) {
    // Past the 2-minute overlap: the creation is out of every read's view.
    sim_->server().clock().Advance(absl::Minutes(3));
    clock_ = sim_->server().clock().Now();
    PollAll(partitions);
    Act("rita@example.com", "PUT", "/incidents/" + id,
        {{"incident", {{"type", "incident_reference"}, {"status", status}}}});
    // Past share_within, so the read fetches what was logged.
    clock_ = std::max(clock_ + absl::Seconds(2), sim_->server().clock().Now());
    return Poll(partitions[0]);
  };
  EXPECT_EQ(later("acknowledged"), std::vector<std::string>{id});
  EXPECT_EQ(notes_reads.exchange(0), 0) << "no annotate entry since the incident was reported";
  // A restart: a new reader from the same checkpoint.
  Partition restarted = MakePartition("PSVCWEB", "web", log_);
  restarted.position = partitions[0].position;
  partitions[0] = std::move(restarted);
  EXPECT_EQ(later("resolved"), std::vector<std::string>{id});
  EXPECT_EQ(notes_reads.exchange(0), 1) << "the restarted reader may have missed a note";
}

// A change of an incident reported before costs no call beyond the log
// page, for a mapping that reads Description (create-only, so the log's
// expansion lacks it) and comments, whether the creation is still in the
// reads' view or past it: Description cannot change once the trigger entry
// gave it, a note the reader reported with the incident is not fetched
// again when its annotate entry is re-read, and Ferry's own note (a Jira
// comment synced over) is never one to fetch.
TEST_F(SharedLogTest, AChangeOfAReportedIncidentCostsNoReadBeyondTheLog) {
  fields_read_ = std::set<std::string>{"Title", "Description", "Status", "Priority"};
  std::vector<Partition> partitions;
  partitions.push_back(MakePartition("PSVCWEB", "web", log_));
  PollAll(partitions);
  const std::string id = NewIncidentWithBody("Web is down");
  Tick();
  EXPECT_EQ(Poll(partitions[0]), std::vector<std::string>{id});
  CountIncidentReads();
  auto change = [&](const std::string& as, const std::string& method, const std::string& path,
                    const nlohmann::json& body, absl::Duration later) {
    sim_->server().clock().Advance(later);
    clock_ = sim_->server().clock().Now();
    PollAll(partitions);
    Act(as, method, path, body);
    // Past share_within, so the read fetches what was logged.
    clock_ = std::max(clock_ + absl::Seconds(2), sim_->server().clock().Now());
    return Poll(partitions[0]);
  };
  const std::string incident_path = "/incidents/" + id;
  const nlohmann::json note = {{"note", {{"content", "looking"}}}};
  EXPECT_EQ(change("rita@example.com", "POST", incident_path + "/notes", note, absl::Seconds(5)),
            std::vector<std::string>{id});
  EXPECT_EQ(TakeIncidentReads(), (std::map<std::string, int>{{incident_path + "/notes", 1}}))
      << "a person's note is read once";
  EXPECT_TRUE(change("ferry-bot@example.com", "POST", incident_path + "/notes", note,
                     absl::Seconds(5))
                  .empty())
      << "Ferry's own note is an echo";
  for (absl::Duration later : {absl::Seconds(5), absl::Minutes(3)}) {
    const nlohmann::json priority = {
        {"incident",
         {{"type", "incident_reference"},
          {"priority", {{"id", later < absl::Minutes(1) ? "PPRIO01" : "PPRIO02"},
                        {"type", "priority_reference"}}}}}};
    auto changed = change("rita@example.com", "PUT", incident_path, priority, later);
    EXPECT_EQ(changed, std::vector<std::string>{id}) << later;
    EXPECT_EQ(TakeIncidentReads(), (std::map<std::string, int>{}))
        << "a priority change " << later << " later: the log answers it";
  }
}

// The bodies (Description) one reader saw serve every reader of the
// account: a reader that starts after an incident's creation (an
// integration a reload adds) reads its later change without a GET.
TEST_F(SharedLogTest, ReadersOfAnAccountShareTheBodiesTheySaw) {
  fields_read_ = std::set<std::string>{"Title", "Description", "Status"};
  std::vector<Partition> partitions;
  partitions.push_back(MakePartition("PSVCWEB", "first", log_));
  PollAll(partitions);
  const std::string id = NewIncidentWithBody("Web is down");
  Tick();
  EXPECT_EQ(Poll(partitions[0]), std::vector<std::string>{id});
  sim_->server().clock().Advance(absl::Minutes(3));
  clock_ = sim_->server().clock().Now();
  partitions.push_back(MakePartition("PSVCWEB", "added", log_, PositionAt(clock_)));
  PollAll(partitions);
  CountIncidentReads();
  Act("rita@example.com", "PUT", "/incidents/" + id,
      {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
  clock_ = std::max(clock_ + absl::Seconds(2), sim_->server().clock().Now());
  EXPECT_EQ(Poll(partitions[1]), std::vector<std::string>{id});
  EXPECT_EQ(TakeIncidentReads().count("/incidents/" + id), 0u) << "the first reader saw its body";
}

// After a restart (nothing remembered), a change of an incident created
// before costs a GET for its Description only when the incident may be
// created on the other side: a linked one's change writes no create-only
// field.
TEST_F(SharedLogTest, ALinkedIncidentsChangeNeedsNoGetForACreateOnlyDescription) {
  fields_read_ = std::set<std::string>{"Title", "Description", "Status"};
  fields_read_when_linked_ = std::set<std::string>{"Title", "Status"};
  const std::string linked = NewIncidentWithBody("Web is down");
  const std::string unlinked = NewIncidentWithBody("Web is slow");
  linked_ = [linked](const std::string& id) { return id == linked; };
  sim_->server().clock().Advance(absl::Minutes(3));
  clock_ = sim_->server().clock().Now();
  Partition restarted = MakePartition("PSVCWEB", "web", MakeLog(), PositionAt(clock_));
  Poll(restarted);
  CountIncidentReads();
  for (const std::string& id : {linked, unlinked}) {
    Act("rita@example.com", "PUT", "/incidents/" + id,
        {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
  }
  clock_ = std::max(clock_ + absl::Seconds(2), sim_->server().clock().Now());
  auto page = restarted.reader->ReadChanges(restarted.position, 100);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->changes.size(), 2u);
  for (const auto& change : page->changes) {
    const auto& fields = change.entity().fields();
    EXPECT_EQ(fields.count("Description") > 0, change.entity().id() == unlinked)
        << change.entity().id();
  }
  std::map<std::string, int> reads = TakeIncidentReads();
  EXPECT_EQ(reads.count("/incidents/" + linked), 0u) << "linked: Description is not read";
  EXPECT_EQ(reads["/incidents/" + unlinked], 1) << "it may be created: Description is read";
}

// Two systems on one account and token (two names for one account, or the
// system a reload keeps while the next config's connector starts) share one
// AccountLog: a fetch by a reader of one wakes the readers of both, and they
// read it rather than fetch again. Another token is another log.
TEST_F(SharedLogTest, SystemsOnOneAccountAndTokenShareTheLog) {
  std::map<std::string, std::atomic<int>> woken;
  auto connect = [&](const std::string& name, const std::string& token) {
    ferry::v1::SystemConfig system;
    system.set_name(name);
    system.set_kind("pagerduty");
    system.set_url(absl::StrCat("http://127.0.0.1:", sim_->port()));
    system.set_user_email("ferry-bot@example.com");
    system.set_requests_per_minute(100000);
    engine::ConnectorContext context;
    context.wake = [&woken, name] { ++woken[name]; };
    auto connector = MakePagerDutyConnector(system, token, context);
    EXPECT_TRUE(connector.ok()) << connector.status();
    return connector.ok() ? *std::move(connector) : nullptr;
  };
  for (const char* name : {"pd-a", "pd-b", "pd-other"}) woken[name] = 0;
  auto a = connect("pd-a", "account-full");
  auto b = connect("pd-b", "account-full");
  auto other = connect("pd-other", "account-ro");
  ASSERT_TRUE(a != nullptr && b != nullptr && other != nullptr);
  auto reader = [](engine::Connector& connector, const std::string& service) {
    engine::ReaderOptions options;
    options.integration = "int";
    options.project = service;
    auto made = connector.NewReader(options);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? *std::move(made) : nullptr;
  };
  auto web_a = reader(*a, "PSVCWEB");
  auto db_b = reader(*b, "PSVCDB1");
  auto web_other = reader(*other, "PSVCWEB");
  auto db_other = reader(*other, "PSVCDB1");
  ASSERT_TRUE(web_a != nullptr && db_b != nullptr && web_other && db_other);
  const std::string web = NewIncident("Web is down", "PSVCWEB");
  const std::string db = NewIncident("DB is down", "PSVCDB1");
  auto read = [](engine::ChangeReader& r) {
    auto page = r.ReadChanges(std::nullopt, 100);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const auto& change : page->changes) ids.push_back(change.entity().id());
    }
    return ids;
  };
  EXPECT_EQ(read(*web_a), std::vector<std::string>{web});
  EXPECT_EQ(woken["pd-a"], 1) << "a fetch wakes the readers of every system on the log";
  EXPECT_EQ(woken["pd-b"], 1);
  EXPECT_EQ(woken["pd-other"], 0) << "another token reads its own log";
  EXPECT_EQ(read(*db_other), std::vector<std::string>{db});
  EXPECT_EQ(woken["pd-other"], 1);
  EXPECT_EQ(woken["pd-b"], 1);
  // Released with the last system that holds it: a new one starts afresh.
  web_a.reset();
  db_b.reset();
  a.reset();
  b.reset();
  connector_.reset();  // the fixture's system, on the same account and token
  auto c = connect("pd-c", "account-full");
  woken["pd-c"] = 0;
  auto db_c = reader(*c, "PSVCDB1");
  ASSERT_NE(db_c, nullptr);
  auto web_c = reader(*c, "PSVCWEB");
  ASSERT_NE(web_c, nullptr);
  EXPECT_EQ(read(*db_c), std::vector<std::string>{db});
  EXPECT_EQ(woken["pd-c"], 1);
  EXPECT_EQ(woken["pd-other"], 1);
}

}  // namespace
}  // namespace ferry::pagerduty
