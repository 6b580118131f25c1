#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_incident_bodies.h"
#include "connectors/pagerduty/pd_log_window.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty {

// How an AccountLog reads and how long it keeps what it read.
struct AccountLogOptions {
  // Readers that poll within this long of the end of a fetch of the log's
  // tail share it rather than fetch it again (but a lone reader's second
  // read fetches again).
  absl::Duration share_within = absl::Seconds(1);
  // Each fetch of the tail looks back this far before where the last one
  // ended, for entries stamped in its last seconds but shown after it...
  absl::Duration fresh_margin = absl::Seconds(5);
  // ...and this far once every `overlap_reread_every`, for entries PagerDuty
  // shows late (readers then find them in memory within their overlap).
  absl::Duration overlap = absl::Minutes(2);
  absl::Duration overlap_reread_every = absl::Minutes(1);
  // Entries are kept this long behind the tail; a reader whose read starts
  // earlier reads that part itself (a new service, a restart, a resumed
  // pause, a backfill). The first fetch, and one after the tail fell
  // further behind than this, reads from half of it before now. Readers
  // share only while this exceeds their overlap (2 min) plus their poll
  // interval.
  absl::Duration retention = absl::Minutes(10);
  // As PdReaderOptions: the entries per request window, the widest window.
  int window_entries = 2000;
  absl::Duration max_window = absl::Hours(24 * 30);
  // "Now"; null means absl::Now().
  std::function<absl::Time()> now;
};

// One PagerDuty account's log (GET /log_entries is account-wide: it has no
// service filter), read once for every reader of the account, however many
// services and integrations they serve: each reader's read first asks
// Refresh for the log's tail, and the first to ask fetches it for all.
// The entries of the last `retention` stay in memory, so each reader reads
// its own service's changes from there with its own checkpoint; a reader
// whose read starts before them reads that part of the log itself and then
// joins (see PdReader).
//
// When a read fetches: when the tail is older than share_within, after
// MarkStale (a webhook), and for a lone reader that read the current tail
// already (so its read sees every entry logged before it began); otherwise
// it shares the last fetch. With two or more readers, a read sees every
// entry logged share_within before it began. After a fetch, the listeners
// (Listen) wake the other readers, so they read it at once and their timers line
// up behind it: in steady state one fetch per poll interval, whatever the
// number of readers, and one per webhook (a webhook during a fetch asks
// for the next). One AccountLog serves every system of the process that
// reads the same account with the same token (AccountLogs).
//
// Entries are kept ordered by (created_at, id) and each once: the look
// back of each fetch re-reads entries already held and adds only those
// shown late.
//
// Errors: LogWindowReader's; a failed fetch keeps what was held and is
// tried again by the next read. Thread-safe; a fetch holds the lock, so
// readers that arrive meanwhile wait for it and share it.
class AccountLog {
 public:
  AccountLog(std::shared_ptr<const PdApi> api, AccountLogOptions options);
  ~AccountLog();
  AccountLog(const AccountLog&) = delete;
  AccountLog& operator=(const AccountLog&) = delete;

  // A reader joins for as long as it exists; the id is its name in
  // Refresh and CatchUp. Until it says CaughtUp, or goes kCatchUpStall
  // without reading, a reader may still need every window a catch-up reads
  // (CatchUp).
  int Join();
  void Leave(int reader);
  // `reader` reads from what is held (Entries): it needs no catch-up window
  // until its next CatchUp.
  void CaughtUp(int reader);

  // Brings the tail up to date for `reader` (fetching it or sharing the
  // last fetch, as above); returns where the log is held to (exclusive):
  // the end of `reader`'s read.
  absl::StatusOr<absl::Time> Refresh(int reader);
  // A webhook said something changed: the next Refresh fetches.
  void MarkStale();

  // `fetched` is called (without any lock held) after each fetch of the
  // tail while two or more readers are joined, so they read it together,
  // until Unlisten with the id returned; it should wake the readers of one
  // system (ConnectorContext::wake). Each system that shares the log
  // listens. Thread-safe; Unlisten waits for no call in progress, so
  // `fetched` must stay callable after it (ConnectorContext::wake does).
  int Listen(std::function<void()> fetched);
  void Unlisten(int listener);

  // For `reader` behind what is held: the entries of [since, *until) as
  // `windows`.Read gives them (narrowing *until), shared with other readers
  // catching up from the same place: the last kCatchUpWindows windows read
  // are kept, so readers that start together (a backfill of several
  // services, a restart) read the log once, each taking the width the
  // first learned (LogWindowReader::Learn) and so asking for the same next
  // window. Reads of different readers wait for each other (they share one
  // budget anyway), never for a fetch of the tail.
  //
  // Readers that find nothing of theirs in a backfill run ahead of one
  // that syncs its changes as fast as its target takes them. So that the
  // slow one still finds its windows kept, a reader whose read would
  // forget a window that an active reader behind it (one that read within
  // kCatchUpStall) has yet to read is told to wait: nullopt, and nothing
  // read. It should end its read there and go on with the same window
  // when woken: the listeners are called when a reader that held others
  // back takes its window. A reader waits at most kCatchUpMaxWait for the same window,
  // then reads it, so a stuck or crawling integration delays the others'
  // backfill by that much per window at worst.
  absl::StatusOr<std::optional<std::vector<nlohmann::json>>> CatchUp(
      int reader, LogWindowReader& windows, absl::Time since, absl::Time* until,
      http::RequestPriority priority);

  // Where what is held begins: a reader behind it catches up to there (and
  // no further, so it reads none of the held entries from the API again);
  // nullopt before the first fetch.
  std::optional<absl::Time> HeldFrom() const;

  // The held entries logged in [since, until), oldest first; nullopt when
  // `since` is before what is held (the caller reads that itself) or
  // `until` past the tail.
  std::optional<std::vector<nlohmann::json>> Entries(absl::Time since, absl::Time until) const;

  // The incident bodies the account's readers have seen, shared so that
  // their memory is bounded once per account, not once per service.
  std::shared_ptr<IncidentBodies> Bodies() const { return bodies_; }

 private:
  // Whether `reader`'s Refresh at `now` must fetch.
  bool MustFetch(int reader, absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reads [since, until) into entries_.
  absl::Status Fetch(absl::Time since, absl::Time until) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // A window a catch-up read, by (since, the until asked for).
  struct CatchUpWindow {
    absl::Time until;
    absl::Duration width;
    std::vector<nlohmann::json> entries;
  };
  static constexpr size_t kCatchUpWindows = 4;
  static constexpr absl::Duration kCatchUpStall = absl::Seconds(30);
  static constexpr absl::Duration kCatchUpMaxWait = absl::Seconds(60);
  // A reader's progress through the windows of a catch-up.
  struct CatchingUp {
    // Where its next window starts.
    absl::Time next_since;
    // When it last read (Refresh or CatchUp).
    absl::Time active_at;
    // Since when it has been told to wait for the same window.
    absl::Time waiting_since = absl::InfiniteFuture();
  };

  absl::Time Now() const { return options_.now ? options_.now() : absl::Now(); }
  // Whether `reader`'s read of a new window must wait for a slower reader
  // (see CatchUp).
  bool MustWait(int reader, absl::Time since, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(catch_up_mu_, progress_mu_);
  // Calls every listener; without any lock held.
  void WakeListeners();

  const AccountLogOptions options_;
  const std::shared_ptr<IncidentBodies> bodies_ = std::make_shared<IncidentBodies>();
  absl::Mutex catch_up_mu_;
  // Oldest first.
  std::vector<std::pair<std::pair<absl::Time, absl::Time>, CatchUpWindow>> catch_up_
      ABSL_GUARDED_BY(catch_up_mu_);
  // Held briefly, never during a read of the API, so that a read of the
  // tail never waits for a catch-up's window (taken after catch_up_mu_).
  absl::Mutex progress_mu_;
  // Reader id -> its catch-up progress, from Join until CaughtUp.
  std::map<int, CatchingUp> catching_up_ ABSL_GUARDED_BY(progress_mu_);
  // Whether a reader was told to wait since the listeners were last called.
  bool someone_waits_ ABSL_GUARDED_BY(progress_mu_) = false;
  mutable absl::Mutex mu_;
  LogWindowReader windows_ ABSL_GUARDED_BY(mu_);
  // Reader id -> the fetch it read last (0: none).
  std::map<int, int64_t> readers_ ABSL_GUARDED_BY(mu_);
  int next_reader_ ABSL_GUARDED_BY(mu_) = 0;
  // (created_at, id) -> entry, for [held_from_, tail_).
  std::map<std::pair<absl::Time, std::string>, nlohmann::json> entries_ ABSL_GUARDED_BY(mu_);
  absl::Time held_from_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  absl::Time tail_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  // Counts fetches; 0 before the first.
  int64_t fetches_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time fetched_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time overlap_read_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  // Set by MarkStale without the lock, so a webhook never waits for a fetch.
  std::atomic<bool> stale_{false};
  absl::Mutex listeners_mu_;
  std::map<int, std::function<void()>> listeners_ ABSL_GUARDED_BY(listeners_mu_);
  int next_listener_ ABSL_GUARDED_BY(listeners_mu_) = 0;
};

}  // namespace ferry::pagerduty
