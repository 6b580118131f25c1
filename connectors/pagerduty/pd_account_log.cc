#include "connectors/pagerduty/pd_account_log.h"

#include <algorithm>
#include <utility>

#include "connectors/pagerduty/pd_log_translation.h"

namespace ferry::pagerduty {

AccountLog::AccountLog(std::shared_ptr<const PdApi> api, AccountLogOptions options)
    : options_(std::move(options)),
      windows_(std::move(api), options_.window_entries, options_.max_window) {}

AccountLog::~AccountLog() = default;

int AccountLog::Join() {
  int id;
  {
    absl::MutexLock lock(&mu_);
    id = next_reader_++;
    readers_[id] = 0;
  }
  // Until its first read tells, it may have the whole log to catch up.
  absl::MutexLock lock(&progress_mu_);
  catching_up_[id] = CatchingUp{absl::InfinitePast(), Now()};
  return id;
}

void AccountLog::CaughtUp(int reader) {
  absl::MutexLock lock(&progress_mu_);
  catching_up_.erase(reader);
}

void AccountLog::Leave(int reader) {
  {
    absl::MutexLock lock(&mu_);
    readers_.erase(reader);
  }
  CaughtUp(reader);
}

void AccountLog::MarkStale() { stale_ = true; }

int AccountLog::Listen(std::function<void()> fetched) {
  absl::MutexLock lock(&listeners_mu_);
  const int id = next_listener_++;
  listeners_[id] = std::move(fetched);
  return id;
}

void AccountLog::Unlisten(int listener) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_.erase(listener);
}

bool AccountLog::MustFetch(int reader, absl::Time now) const {
  if (fetches_ == 0 || stale_ || now - fetched_at_ >= options_.share_within) return true;
  // A lone reader's next read sees what was logged before it began.
  auto it = readers_.find(reader);
  return readers_.size() == 1 && it != readers_.end() && it->second == fetches_;
}

absl::StatusOr<absl::Time> AccountLog::Refresh(int reader) {
  bool wake = false;
  absl::Time tail;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time wall = options_.now ? options_.now() : absl::Now();
    if (MustFetch(reader, wall)) {
      // A webhook from here on asks for the next fetch.
      stale_ = false;
      // PagerDuty times have whole seconds and `until` is exclusive: read to
      // the end of the current second (entries stamped later in it come
      // with the next fetch's look-back).
      const absl::Time until = absl::FromUnixSeconds(absl::ToUnixSeconds(wall) + 1);
      absl::Time since;
      const bool rereads_overlap =
          until - overlap_read_at_ >= options_.overlap_reread_every;
      if (fetches_ == 0 || tail_ < until - options_.retention) {
        // Nothing held is of use: start again, holding nothing until the
        // fetch succeeds.
        entries_.clear();
        since = until - options_.retention / 2;
        held_from_ = since;
        tail_ = absl::InfinitePast();
      } else if (rereads_overlap) {
        since = std::max(held_from_, tail_ - options_.overlap);
      } else {
        since = std::max(held_from_, tail_ - options_.fresh_margin);
      }
      if (absl::Status fetched = Fetch(since, until); !fetched.ok()) return fetched;
      if (rereads_overlap) overlap_read_at_ = until;
      tail_ = std::max(tail_, until);
      ++fetches_;
      // Readers woken by this fetch share it for share_within from its end.
      fetched_at_ = options_.now ? options_.now() : absl::Now();
      held_from_ = std::max(held_from_, tail_ - options_.retention);
      entries_.erase(entries_.begin(),
                     entries_.lower_bound({held_from_, std::string()}));
      wake = readers_.size() > 1;
    }
    readers_[reader] = fetches_;
    tail = tail_;
  }
  {
    absl::MutexLock lock(&progress_mu_);
    if (auto it = catching_up_.find(reader); it != catching_up_.end()) {
      it->second.active_at = Now();
    }
  }
  if (wake) WakeListeners();
  return tail;
}

void AccountLog::WakeListeners() {
  std::vector<std::function<void()>> listeners;
  {
    absl::MutexLock lock(&listeners_mu_);
    for (const auto& [id, fetched] : listeners_) listeners.push_back(fetched);
  }
  for (const auto& fetched : listeners) fetched();
}

absl::Status AccountLog::Fetch(absl::Time since, absl::Time until) {
  while (since < until) {
    absl::Time window_until = until;
    auto read = windows_.Read(since, &window_until, http::RequestPriority::kLive);
    if (!read.ok()) return read.status();
    for (nlohmann::json& entry : *read) {
      // LogWindowReader checked every entry's created_at.
      const absl::Time time = *LogEntryTime(entry);
      std::string id = LogEntryId(entry);
      // A re-read entry replaces the held one: its incident (include[]=incidents)
      // is as of this fetch.
      entries_.insert_or_assign(std::make_pair(time, std::move(id)), std::move(entry));
    }
    since = window_until;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::vector<nlohmann::json>>> AccountLog::CatchUp(
    int reader, LogWindowReader& windows, absl::Time since, absl::Time* until,
    http::RequestPriority priority) {
  std::optional<std::vector<nlohmann::json>> entries;
  bool wake = false;
  {
    absl::MutexLock lock(&catch_up_mu_);
    const absl::Time now = Now();
    {
      absl::MutexLock progress_lock(&progress_mu_);
      CatchingUp& progress = catching_up_[reader];
      progress.active_at = now;
      progress.next_since = since;
    }
    // Whether this reader, behind the oldest window kept, may hold others
    // back.
    const bool held_back = catch_up_.size() == kCatchUpWindows &&
                           since <= catch_up_.front().first.first;
    const std::pair<absl::Time, absl::Time> key(since, *until);
    for (const auto& [window, read] : catch_up_) {
      if (window != key) continue;
      *until = read.until;
      windows.Learn(read.width);
      entries = read.entries;
      break;
    }
    if (!entries.has_value()) {
      {
        absl::MutexLock progress_lock(&progress_mu_);
        if (MustWait(reader, since, now)) {
          CatchingUp& progress = catching_up_[reader];
          if (progress.waiting_since == absl::InfiniteFuture()) progress.waiting_since = now;
          someone_waits_ = true;
          return std::nullopt;
        }
      }
      auto read = windows.Read(since, until, priority);
      if (!read.ok()) return read.status();
      if (catch_up_.size() == kCatchUpWindows) catch_up_.erase(catch_up_.begin());
      catch_up_.push_back({key, CatchUpWindow{*until, windows.width(), *read}});
      entries = *std::move(read);
    }
    absl::MutexLock progress_lock(&progress_mu_);
    CatchingUp& progress = catching_up_[reader];
    progress.next_since = *until;
    progress.waiting_since = absl::InfiniteFuture();
    // A reader that waited may go on now that this one moved past.
    wake = held_back && std::exchange(someone_waits_, false);
  }
  if (wake) WakeListeners();
  return entries;
}

bool AccountLog::MustWait(int reader, absl::Time since, absl::Time now) {
  // Reading a new window forgets the oldest kept only when all are taken.
  if (catch_up_.size() < kCatchUpWindows) return false;
  const absl::Time oldest = catch_up_.front().first.first;
  if (now - catching_up_[reader].waiting_since >= kCatchUpMaxWait) return false;
  for (const auto& [id, other] : catching_up_) {
    if (id != reader && other.next_since <= oldest && other.next_since < since &&
        now - other.active_at < kCatchUpStall) {
      return true;
    }
  }
  return false;
}

std::optional<absl::Time> AccountLog::HeldFrom() const {
  absl::MutexLock lock(&mu_);
  if (fetches_ == 0) return std::nullopt;
  return held_from_;
}

std::optional<std::vector<nlohmann::json>> AccountLog::Entries(absl::Time since,
                                                               absl::Time until) const {
  absl::MutexLock lock(&mu_);
  if (fetches_ == 0 || since < held_from_ || until > tail_) return std::nullopt;
  std::vector<nlohmann::json> entries;
  for (auto it = entries_.lower_bound({since, std::string()});
       it != entries_.end() && it->first.first < until; ++it) {
    entries.push_back(it->second);
  }
  return entries;
}

}  // namespace ferry::pagerduty
