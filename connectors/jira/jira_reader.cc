#include "connectors/jira/jira_reader.h"

#include <algorithm>
#include <cinttypes>
#include <iterator>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "connectors/jira/jira_fields.h"
#include "connectors/jira/jira_writer.h"
#include "http/json_fields.h"

namespace ferry::jira {
namespace {

using ferry::engine::ChangePage;
using ferry::v1::SourcePosition;
using json = nlohmann::json;

// Issues fetched per call at most; the rest waits for the next call.
constexpr int kMaxScan = 500;
// Changelog entries fetched per request when a search's were not enough.
constexpr int kChangelogPage = 100;

std::string PaddedId(const std::string& id) {
  int64_t number = 0;
  if (!absl::SimpleAtoi(id, &number)) return id;
  return absl::StrFormat("%020" PRId64, number);
}

SourcePosition PositionOf(absl::Time updated, const std::string& tie_breaker) {
  SourcePosition position;
  *position.mutable_time() = TimestampOf(updated);
  position.set_tie_breaker(tie_breaker);
  return position;
}

// Jira keeps milliseconds; a start time with finer digits must not hide
// changes in its own millisecond.
absl::Time MillisOf(const SourcePosition& position) {
  return absl::FromUnixMillis(absl::ToUnixMillis(TimeOf(position.time())));
}

bool After(absl::Time time, const std::string& tie_breaker,
           const SourcePosition& other) {
  const absl::Time other_time = MillisOf(other);
  return time > other_time ||
         (time == other_time && tie_breaker > other.tie_breaker());
}

// The most issues Jira answers in one page with fields (Data Center's
// default jira.search.views.default.max; Cloud gives at most 100 then).
constexpr int kMaxPage = 1000;

absl::StatusOr<absl::Time> UpdatedOf(const json& issue) {
  return ParseJiraTime(http::StringOr(http::MemberOrNull(issue, "fields"), "updated"));
}

// One issue version from the search.
struct Found {
  absl::Time updated;
  std::string id;
  const json* issue;
};

}  // namespace

absl::StatusOr<std::vector<json>> JiraReader::Histories(
    const json& issue, bool cloud,
    const std::function<bool(absl::Time)>& is_new) {
  const std::string id = http::StringOr(issue, "id");
  const http::JsonReader searched(issue, absl::StrCat("jira search, issue ", id));
  absl::StatusOr<std::vector<json>> out = HistoriesOldestFirst(searched);
  if (!out.ok()) return out.status();
  // HistoriesOldestFirst checked that the changelog, when present, is an object.
  absl::StatusOr<std::optional<int64_t>> total = std::optional<int64_t>();
  if (auto changelog = searched.OptionalObject("changelog"); changelog->has_value()) {
    total = (*changelog)->OptionalInt("total");
  }
  if (!total.ok()) return total.status();
  int start = static_cast<int>(total->value_or(0)) - static_cast<int>(out->size());
  auto oldest_is_new = [&] {
    if (out->empty()) return true;
    auto when = ParseJiraTime(http::StringOr(out->front(), "created"));
    return when.ok() && is_new(*when);
  };
  if (!cloud && start > 0 && oldest_is_new()) {
    // Data Center has no changelog resource, but its GET /issue expands
    // the whole history.
    const std::string path =
        absl::StrCat("/issue/", JiraApi::EscapePath(id), "?fields=updated&expand=changelog");
    auto full = api_->Get(path);
    if (!full.ok()) return full.status();
    return HistoriesOldestFirst(http::JsonReader(*full, absl::StrCat("jira GET ", path)));
  }
  // Cloud pages the changelog, oldest first.
  while (cloud && start > 0 && oldest_is_new()) {
    const int from = std::max(0, start - kChangelogPage);
    const std::string path = absl::StrCat("/issue/", JiraApi::EscapePath(id),
                                          "/changelog?startAt=", from,
                                          "&maxResults=", start - from);
    auto page = api_->Get(path);
    if (!page.ok()) return page.status();
    auto values = http::JsonReader(*page, absl::StrCat("jira GET ", path)).OptionalArray("values");
    if (!values.ok()) return values.status();
    if (values->empty()) break;
    std::vector<json> older;
    for (const http::JsonReader& value : *values) older.push_back(value.json());
    out->insert(out->begin(), older.begin(), older.end());
    start = from;
  }
  return out;
}

SearchRequest JiraReader::SearchFrom(int64_t from_ms) const {
  SearchRequest request;
  request.jql = absl::StrCat("project = ", JiraApi::QuoteJql(options_.reader.project),
                             " AND updated >= ", from_ms);
  if (!options_.reader.criteria.empty()) {
    absl::StrAppend(&request.jql, " AND (", options_.reader.criteria, ")");
  }
  absl::StrAppend(&request.jql, " ORDER BY updated ASC, key ASC");
  request.fields = {"*navigable", "comment", "creator"};
  request.expand = {"changelog"};
  request.page_size = options_.page_size;
  request.max_issues = kMaxScan;
  return request;
}

absl::StatusOr<SearchResult> JiraReader::SearchByUpdated(int64_t from_ms) {
  SearchResult result;
  // (issue id, updated) of every version read, and how many of them are
  // of the millisecond the next page starts at.
  std::set<std::pair<std::string, absl::Time>> read;
  int64_t floor_ms = from_ms;
  int at_floor = 0;
  while (true) {
    SearchRequest request = SearchFrom(floor_ms);
    request.page_size = std::min(options_.page_size + at_floor, kMaxPage);
    auto page = api_->SearchOnePage(request, 0, "");
    if (!page.ok()) return page.status();
    int fresh = 0;
    for (json& issue : page->issues) {
      auto updated = UpdatedOf(issue);
      if (!updated.ok()) return updated.status();
      if (!read.emplace(http::StringOr(issue, "id"), *updated).second) continue;
      if (static_cast<int>(result.issues.size()) >= kMaxScan) {
        result.truncated = true;
        return result;
      }
      floor_ms = std::max(floor_ms, absl::ToUnixMillis(*updated));
      result.issues.push_back(std::move(issue));
      ++fresh;
    }
    if (page->last) return result;
    if (fresh == 0) {
      // More versions share one millisecond than a page holds: the rest
      // waits for the next call.
      result.truncated = true;
      return result;
    }
    at_floor = static_cast<int>(std::count_if(read.begin(), read.end(), [&](const auto& r) {
      return absl::ToUnixMillis(r.second) == floor_ms;
    }));
  }
}

JiraReader::JiraReader(JiraApi* api, JiraReaderOptions options)
    : api_(api), options_(std::move(options)) {}

absl::StatusOr<ChangePage> JiraReader::ReadChanges(
    const std::optional<SourcePosition>& after, int max_changes) {
  auto deployment = api_->GetDeployment();
  if (!deployment.ok()) return deployment.status();
  const bool cloud = *deployment == Deployment::kCloud;
  const std::optional<SourcePosition> from =
      after.has_value() ? after : options_.reader.start;
  const absl::Time since =
      from.has_value() ? MillisOf(*from) : absl::UnixEpoch();
  if (!warm_since_.has_value()) warm_since_ = since;

  const absl::Time now = options_.now ? options_.now() : absl::Now();
  // Every half overlap at least, so an issue the index takes in late is
  // searched for while still within the overlap.
  const absl::Duration reread_every =
      std::min(options_.overlap_reread_every, options_.overlap / 2);
  const bool whole_overlap =
      !overlap_read_at_.has_value() || now - *overlap_read_at_ >= reread_every;
  const absl::Duration look_back =
      whole_overlap ? options_.overlap : std::min(options_.fresh_margin, options_.overlap);
  const int64_t from_ms = std::max<int64_t>(0, absl::ToUnixMillis(since - look_back));
  auto result = SearchByUpdated(from_ms);
  if (!result.ok()) return result.status();
  if (whole_overlap) overlap_read_at_ = now;

  std::vector<Found> found;
  for (const json& issue : result->issues) {
    auto updated = UpdatedOf(issue);
    if (!updated.ok()) return updated.status();
    found.push_back({*updated, http::StringOr(issue, "id"), &issue});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::make_tuple(a.updated, PaddedId(a.id)) <
           std::make_tuple(b.updated, PaddedId(b.id));
  });
  // An issue updated while the pages were read can come twice: only its
  // newest version counts.
  std::map<std::string, absl::Time> newest;
  for (const Found& f : found) newest[f.id] = std::max(newest[f.id], f.updated);
  found.erase(std::remove_if(found.begin(), found.end(),
                             [&](const Found& f) { return f.updated < newest[f.id]; }),
              found.end());
  ChangePage page;
  if (result->truncated && !found.empty()) {
    // The last instant may have more issues than were fetched: leave it
    // whole for the next call.
    const absl::Time last = found.back().updated;
    auto cut = std::find_if(found.begin(), found.end(),
                            [&](const Found& f) { return f.updated == last; });
    if (cut != found.begin()) found.erase(cut, found.end());
    page.more = true;
  }

  for (const Found& f : found) {
    const std::string tie = PaddedId(f.id);
    SourcePosition position = PositionOf(f.updated, tie);
    // Changes at exactly `since` were reported already when this issue's
    // position at `since` was not after the checkpoint.
    absl::Time threshold = since;
    bool inclusive = !from.has_value() || tie > from->tie_breaker();
    if (from.has_value() && !After(f.updated, tie, *from)) {
      // Before the checkpoint: reported already, unless it reached the
      // search index late. Only versions this reader has not seen and that
      // are newer than what it knows count as late.
      auto seen = seen_.find(f.id);
      if (seen != seen_.end() && seen->second >= f.updated) continue;
      if (f.updated <= *warm_since_) continue;
      threshold = seen != seen_.end() ? seen->second : since - options_.overlap;
      inclusive = false;
      position = PositionOf(
          since, absl::StrCat(from->tie_breaker(), "/", absl::ToUnixMillis(f.updated),
                       "/", tie));
    }
    if (static_cast<int>(page.changes.size()) >= max_changes) {
      page.more = true;
      break;
    }
    auto is_new = [&](absl::Time t) {
      return t > threshold || (inclusive && t == threshold);
    };

    const json& issue = *f.issue;
    auto entity = EntityFromIssue(issue, options_.system, cloud);
    if (!entity.ok()) return entity.status();
    ferry::v1::ChangeEvent event;
    event.set_integration(options_.reader.integration);
    event.set_change_id(absl::StrCat(f.id, "@", absl::ToUnixMillis(f.updated)));
    *event.mutable_position() = position;

    auto histories = Histories(issue, cloud, is_new);
    if (!histories.ok()) return histories.status();
    for (auto it = histories->begin(); it != histories->end(); ++it) {
      auto when = ParseJiraTime(http::StringOr(*it, "created"));
      if (!when.ok() || !is_new(*when)) continue;
      ferry::v1::UserRef author = UserFromJson(http::MemberOrNull(*it, "author"), cloud);
      const json& metadata = http::MemberOrNull(*it, "historyMetadata");
      if (author.id() == options_.me.id() ||
          (metadata.is_object() &&
           http::StringOr(metadata, "type") == kHistoryMetadataType)) {
        continue;
      }
      for (const json& item : http::MemberOrNull(*it, "items")) {
        *event.add_changes() = FieldChangeFromItem(item, author, *when);
      }
    }
    google::protobuf::RepeatedPtrField<ferry::v1::Comment> comments;
    comments.Swap(entity->mutable_comments());
    ferry::v1::Entity& out = *event.mutable_entity();
    out = *std::move(entity);
    out.set_comments_complete(false);
    for (const auto& comment : comments) {
      if (comment.author().id() == options_.me.id()) continue;
      if (!is_new(TimeOf(comment.updated_at()))) continue;
      *out.add_comments() = comment;
    }
    const ferry::v1::UserRef creator = UserFromJson(
        http::MemberOrNull(http::MemberOrNull(issue, "fields"), "creator"), cloud);
    event.set_created(creator.id() != options_.me.id() &&
                      is_new(TimeOf(out.created_at())));
    if (event.changes_size() > 0) {
      *out.mutable_last_changed_by() =
          event.changes(event.changes_size() - 1).changed_by();
    } else if (out.comments_size() > 0) {
      *out.mutable_last_changed_by() = out.comments(out.comments_size() - 1).author();
    } else {
      *out.mutable_last_changed_by() = creator;
    }

    absl::Time& seen = seen_[f.id];
    seen = std::max(seen, f.updated);
    if (event.changes_size() > 0 || out.comments_size() > 0 || event.created()) {
      page.changes.push_back(std::move(event));
      page.scanned_to.reset();
    } else {
      page.scanned_to = position;
    }
  }
  // Forget versions older than any search will look at again.
  const absl::Time keep_from = since - options_.overlap;
  for (auto it = seen_.begin(); it != seen_.end();) {
    it = it->second < keep_from ? seen_.erase(it) : std::next(it);
  }
  return page;
}

}  // namespace ferry::jira
