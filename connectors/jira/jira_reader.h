#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "connectors/jira/jira_api.h"
#include "engine/connector/connector.h"

namespace ferry::jira {

// What a JiraReader reads and who it is.
struct JiraReaderOptions {
  ferry::engine::ReaderOptions reader;
  // SystemConfig.name, set on every Entity.
  std::string system;
  // The integration user (GET /myself): its own changes and comments are
  // echoes and never come back.
  ferry::v1::UserRef me;
  // How far before the checkpoint each search starts, so issues that reach
  // the search index late (Jira Cloud's index lag) are still found.
  // SystemConfig.options["overlap_seconds"]; 60 by default.
  absl::Duration overlap = absl::Seconds(60);
  // A search looks back the whole overlap at least this often and every
  // half overlap (and on a reader's first read); in between it looks back
  // only `fresh_margin`,
  // which catches what the index takes in within seconds without reading
  // the overlap's issues again on every poll (during bulk writes, pages of
  // them). An issue the index takes in later is found by the next search
  // of the whole overlap, while it is still within it.
  absl::Duration overlap_reread_every = absl::Seconds(30);
  absl::Duration fresh_margin = absl::Seconds(5);
  // Issues asked for per search page.
  int page_size = 100;
  // "Now", for when the overlap was last searched; null means absl::Now().
  std::function<absl::Time()> now;
};

// Reads one Jira project's changes (engine::ChangeReader).
//
// Each call searches `project = P AND updated >= <epoch ms> [AND
// (criteria)] ORDER BY updated ASC, key ASC`: epoch milliseconds mean the
// same instant whatever the integration user's profile time zone, and no
// change is lost to a minute-resolution literal. The search starts
// `overlap` before the checkpoint (`fresh_margin` between the searches of
// the whole overlap, see JiraReaderOptions); issues are de-duplicated by
// (issue id, updated), so each version is reported once. Positions are (updated,
// zero-padded issue id). Pages are not read by offset (Data Center's
// startAt; Cloud's nextPageToken may be one too): in `ORDER BY updated` an
// issue updated while the pages are read moves to the end and shifts an
// unread issue into a page already read. Each page is a new search from
// the `updated` of the last issue read (`updated >= <its millisecond>`,
// the versions of that millisecond already read skipped), which no update
// can shift; an issue that comes twice counts once, as its newest version.
// An issue that shows up late (updated before the
// checkpoint, not seen before by this reader) is reported with a position
// just after the checkpoint, so positions still increase.
//
// Each ChangeEvent holds the issue (comments_complete false: only comments
// new since the last report), its changelog entries since then, oldest
// first, as FieldChanges, and `created` for issues people created.
// Changelog entries by the integration user or carrying Ferry's
// historyMetadata, and comments by the integration user, are left out; an
// issue with nothing else is skipped and reported through scanned_to.
// The changelog comes with the search (expand=changelog: Jira's newest 100
// entries per issue); when older entries are still after the checkpoint,
// Cloud pages them in from GET /issue/{id}/changelog, and Data Center
// (which has no such resource) reads the issue's whole history from GET
// /issue/{id}?expand=changelog.
//
// One thread at a time, as ChangeReader requires.
class JiraReader : public ferry::engine::ChangeReader {
 public:
  // `api` must outlive the reader.
  JiraReader(JiraApi* api, JiraReaderOptions options);

  absl::StatusOr<ferry::engine::ChangePage> ReadChanges(
      const std::optional<ferry::v1::SourcePosition>& after,
      int max_changes) override;

 private:
  // The issue's changelog entries, oldest first, back to the first one
  // `is_new` refuses (or all Jira gives).
  absl::StatusOr<std::vector<nlohmann::json>> Histories(
      const nlohmann::json& issue, bool cloud,
      const std::function<bool(absl::Time)>& is_new);

  // The search from `from_ms` (epoch milliseconds), one page of
  // options_.page_size, at most kMaxScan issues.
  SearchRequest SearchFrom(int64_t from_ms) const;
  // The search from `from_ms`, page after page by `updated` (see above),
  // at most kMaxScan issue versions; `truncated` when more matched (or
  // when more versions share one millisecond than a page holds).
  absl::StatusOr<SearchResult> SearchByUpdated(int64_t from_ms);

  JiraApi* const api_;
  const JiraReaderOptions options_;
  // Where this reader's knowledge of seen versions begins; issues updated
  // before it are judged by position alone.
  std::optional<absl::Time> warm_since_;
  // When a search last looked back the whole overlap.
  std::optional<absl::Time> overlap_read_at_;
  // Issue id -> the `updated` of the version last reported or skipped,
  // for issues updated within the overlap window.
  std::map<std::string, absl::Time> seen_;
};

}  // namespace ferry::jira
