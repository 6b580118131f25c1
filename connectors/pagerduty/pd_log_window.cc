#include "connectors/pagerduty/pd_log_window.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "connectors/pagerduty/pd_log_translation.h"
#include "http/json_fields.h"

namespace ferry::pagerduty {

LogWindowReader::LogWindowReader(std::shared_ptr<const PdApi> api, int window_entries,
                                 absl::Duration max_window)
    : api_(std::move(api)),
      window_entries_(window_entries),
      max_window_(max_window),
      width_(max_window) {}

absl::StatusOr<std::vector<nlohmann::json>> LogWindowReader::Read(
    absl::Time since, absl::Time* until, http::RequestPriority priority) {
  while (true) {
    // A trigger entry's channel (its details: the incident's Description)
    // comes only with include[]=channels; each entry's incident as it is
    // now, but for its body and conference bridge, with include[]=incidents.
    const QueryParams window = {{"since", FormatPdTime(since)},
                                {"until", FormatPdTime(*until)},
                                {"include[]", "channels"},
                                {"include[]", "incidents"}};
    auto first = api_->GetPage("/log_entries", window, "log_entries", 0, kMaxPageLimit,
                               true, priority);
    if (!first.ok()) return first.status();
    const int64_t total = first->total.value_or(static_cast<int64_t>(first->items.size()));
    // Aim at three quarters of window_entries at this window's density, so
    // one narrowing (and not a halving per step) usually fits, and a steady
    // stream needs none.
    const int64_t target = std::max(1, window_entries_ * 3 / 4);
    if (total > window_entries_ && *until - since > absl::Seconds(1)) {
      const int64_t seconds = absl::ToInt64Seconds(*until - since);
      *until = since + absl::Seconds(std::clamp<int64_t>(seconds * target / total, 1,
                                                         seconds / 2));
      continue;
    }
    width_ = std::clamp((*until - since) * target / std::max<int64_t>(total, 1),
                        absl::Seconds(1), max_window_);
    if (total > kMaxOffsetPlusLimit) {
      return absl::FailedPreconditionError(absl::StrCat(
          "PagerDuty has ", total, " log entries in the second from ", FormatPdTime(since),
          ", more than its offset cap of ", kMaxOffsetPlusLimit, " lets a client read"));
    }
    return ReadAll(window, *std::move(first), priority);
  }
}

absl::StatusOr<std::vector<nlohmann::json>> LogWindowReader::ReadAll(
    const QueryParams& window, ListPage first, http::RequestPriority priority) const {
  std::vector<nlohmann::json> entries = std::move(first.items);
  bool more = first.more;
  while (more && static_cast<int>(entries.size()) < kMaxOffsetPlusLimit) {
    const int offset = static_cast<int>(entries.size());
    auto page = api_->GetPage("/log_entries", window, "log_entries", offset,
                              std::min(kMaxPageLimit, kMaxOffsetPlusLimit - offset), false,
                              priority);
    if (!page.ok()) return page.status();
    if (page->items.empty()) break;
    more = page->more;
    for (auto& item : page->items) entries.push_back(std::move(item));
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    const http::JsonReader entry(entries[i], "PagerDuty GET /log_entries",
                                 absl::StrCat("log_entries[", i, "]"));
    if (absl::Status checked = CheckLogEntry(entry); !checked.ok()) return checked;
  }
  std::vector<std::pair<absl::Time, nlohmann::json>> timed;
  std::set<std::string> ids;
  for (auto& entry : entries) {
    if (!ids.insert(LogEntryId(entry)).second) continue;
    auto time = LogEntryTime(entry);
    if (!time.ok()) return time.status();
    timed.emplace_back(*time, std::move(entry));
  }
  std::stable_sort(timed.begin(), timed.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return LogEntryId(a.second) < LogEntryId(b.second);
  });
  std::vector<nlohmann::json> sorted;
  for (auto& [time, entry] : timed) sorted.push_back(std::move(entry));
  return sorted;
}

}  // namespace ferry::pagerduty
