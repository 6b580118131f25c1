#include "connectors/servicenow/sn_reader.h"

#include <openssl/sha.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "connectors/servicenow/sn_reader_query.h"
#include "connectors/servicenow/sn_schema.h"
#include "engine/common/log.h"
#include "engine/common/proto_time.h"
#include "http/json_fields.h"

namespace ferry::servicenow {
namespace {

using ferry::engine::ChangePage;
using ferry::v1::SourcePosition;
using json = nlohmann::json;

// New incident versions one call reads, at most; the rest waits for the
// next call (`more`). Versions already seen (the overlap second) do not
// count: however many share that second, a call gets past them.
constexpr int kMaxScan = 500;
// Incidents whose history one sys_audit or sys_journal_field query asks
// for, at most (fewer with a smaller options.page_size): their sys_ids go
// into the URL (documentkeyIN…), 33 characters each.
constexpr size_t kHistoryChunk = 100;
// History rows one query may bring, over its pages.
constexpr int kMaxHistoryRows = 20000;

// `status` of a history query, with the way out when it matched too many
// rows (a backfill over a long time, say).
absl::Status HistoryError(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kFailedPrecondition) return status;
  return absl::Status(status.code(),
                      absl::StrCat(status.message(),
                                   ": lower the system's options.page_size, so that each history "
                                   "query covers fewer incidents, or rewind to a later time"));
}
// History rows per page.
constexpr int kHistoryPage = 1000;
// Incidents whose last version a reader remembers (ServiceNowReader::
// remembered_); past it, it forgets them all and reads history again.
constexpr size_t kMaxRemembered = 20000;

// The incident columns a poll asks for: every schema field, and what the
// reader itself needs.
std::vector<std::string> IncidentColumns() {
  std::vector<std::string> columns = {"sys_id",         "number",         "sys_mod_count",
                                      "sys_created_on", "sys_created_by", "sys_updated_on",
                                      "sys_updated_by"};
  for (const mapping::FieldSpec& spec : ServiceNowSchema().fields) {
    if (std::find(columns.begin(), columns.end(), spec.name) == columns.end()) {
      columns.push_back(spec.name);
    }
  }
  return columns;
}

// A digest of what `row` says in the columns a poll reads, but for those
// every update changes (sys_mod_count, sys_updated_on, sys_updated_by):
// equal for two versions when an update between them changed none.
std::string ColumnsDigest(const json& row) {
  static const std::vector<std::string>* const kColumns = [] {
    auto* columns = new std::vector<std::string>();
    for (std::string& column : IncidentColumns()) {
      if (column != "sys_mod_count" && column != "sys_updated_on" && column != "sys_updated_by") {
        columns->push_back(std::move(column));
      }
    }
    return columns;
  }();
  std::string columns;
  for (const std::string& column : *kColumns) {
    const std::string value = http::StringOr(row, column);
    absl::StrAppend(&columns, value.size(), ":", value);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(columns.data()), columns.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

// A sys_id is written into checkpoints and queries as it is: it must be
// the 32 hexadecimal digits (or at least the letters and digits) ServiceNow
// gives every row.
bool PlainSysId(absl::string_view sys_id) {
  return !sys_id.empty() && std::all_of(sys_id.begin(), sys_id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c));
  });
}

absl::StatusOr<RecordVersion> VersionOf(const json& row, const std::string& where) {
  const http::JsonReader reader(row, where);
  RecordVersion version;
  auto sys_id = reader.RequireString("sys_id");
  if (!sys_id.ok()) return sys_id.status();
  if (!PlainSysId(*sys_id)) {
    return absl::UnavailableError(
        absl::StrCat(reader.Describe(), ": sys_id '", sys_id->substr(0, 40),
                     "' is not letters and digits as ServiceNow's sys_ids are"));
  }
  version.sys_id = *std::move(sys_id);
  auto updated = reader.RequireString("sys_updated_on");
  if (!updated.ok()) return updated.status();
  auto time = ParseServiceNowDateTime(*updated);
  auto mod = reader.RequireString("sys_mod_count");
  if (!mod.ok()) return mod.status();
  if (!time.ok() || !absl::SimpleAtoi(*mod, &version.mod_count)) {
    return absl::UnavailableError(absl::StrCat(
        reader.Describe(), ": incident ", version.sys_id, " has sys_updated_on '", *updated,
        "' and sys_mod_count '", *mod, "'; expected a datetime and a number"));
  }
  version.updated = *time;
  return version;
}

// Whether a history row of `version` made at `created` (and, for audit
// rows, at sys_mod_count `checkpoint`) is new since `mark`: made after
// the mark's second, or in it by an update the mark has not seen. A row
// of the mark's second whose update cannot be told apart (no
// record_checkpoint) counts as new: the writer compares values and
// comment ids, so one read twice writes nothing, while one dropped could
// hide a person's change behind Ferry's.
bool IsNew(const RecordVersion& version, const ReadMark& mark, absl::Time created,
           std::optional<int64_t> checkpoint) {
  if (checkpoint.has_value() ? *checkpoint > version.mod_count : created > version.updated) {
    return false;  // a later update's, read with it
  }
  if (created != mark.second()) return created > mark.second();
  const std::optional<int64_t> seen = mark.SeenModCount(version.sys_id);
  return !seen.has_value() || !checkpoint.has_value() || *checkpoint > *seen;
}

// Journal entries have no record_checkpoint, but ServiceNow audits each
// one (fieldname = the element, newvalue = the text): the update an entry
// of the mark's second belongs to is that of its audit row, when there is
// one.
std::optional<int64_t> JournalCheckpoint(const JournalEntry& entry,
                                         const std::vector<AuditEntry>* audit) {
  if (audit == nullptr) return std::nullopt;
  std::optional<int64_t> found;
  for (const AuditEntry& row : *audit) {
    if (row.field == entry.element && row.created == entry.created && row.user == entry.author &&
        row.new_value == entry.value && row.checkpoint.has_value()) {
      found = std::max(found.value_or(*row.checkpoint), *row.checkpoint);
    }
  }
  return found;
}

}  // namespace

ServiceNowReader::ServiceNowReader(TableClient* client, ServiceNowReaderOptions options)
    : client_(client), options_(std::move(options)) {}

absl::StatusOr<std::vector<ServiceNowReader::Found>> ServiceNowReader::Scan(
    const ReadMark& mark, int limit, bool& more) {
  auto scope = ReaderScope(options_.reader.criteria);
  if (!scope.ok()) return scope.status();
  const std::string project_and_criteria =
      options_.project_scope.empty() ? *scope
      : scope->empty()               ? options_.project_scope
                                     : absl::StrCat(options_.project_scope, "^", *scope);
  std::vector<Found> found;
  std::map<std::string, size_t> newest;  // sys_id -> index in found
  ListRequest request;
  request.table = std::string(kIncidentTable);
  request.fields = IncidentColumns();
  request.query = ChangesFromQuery(mark.second(), project_and_criteria);
  more = false;
  while (true) {
    auto page = client_->List(request);
    if (!page.ok()) return page.status();
    const std::string where = absl::StrCat("servicenow GET incident?sysparm_query=", request.query);
    std::optional<RecordVersion> last;
    for (json& row : page->rows) {
      auto version = VersionOf(row, where);
      if (!version.ok()) return version.status();
      last = *version;
      if (mark.Seen(*version)) continue;
      // An incident updated while the pages were read comes again, later:
      // only its newest version counts.
      auto [it, inserted] = newest.emplace(version->sys_id, found.size());
      if (!inserted) {
        found[it->second].version.sys_id.clear();
        it->second = found.size();
      }
      found.push_back({*std::move(version), std::move(row)});
    }
    if (!page->more || !last.has_value()) break;
    if (static_cast<int>(newest.size()) >= limit) {
      more = true;
      break;
    }
    request.query = ChangesAfterQuery(last->updated, last->sys_id, project_and_criteria);
  }
  found.erase(std::remove_if(found.begin(), found.end(),
                             [](const Found& f) { return f.version.sys_id.empty(); }),
              found.end());
  if (static_cast<int>(found.size()) > limit) {
    found.resize(limit);
    more = true;
  }
  return found;
}

absl::StatusOr<ServiceNowReader::History> ServiceNowReader::ReadHistory(
    const std::vector<std::string>& audit_ids, const std::vector<std::string>& journal_ids,
    absl::Time since) {
  History history;
  const size_t per_query =
      std::min(kHistoryChunk, static_cast<size_t>(std::max(1, client_->options().page_size)));
  for (size_t first = 0; audit_readable_ && first < audit_ids.size(); first += per_query) {
    const std::vector<std::string> chunk(
        audit_ids.begin() + first, audit_ids.begin() + std::min(audit_ids.size(), first + per_query));
    ListRequest audit;
    audit.table = "sys_audit";
    audit.query = AuditQuery(chunk, since);
    audit.fields = {"documentkey", "fieldname",      "user",
                    "oldvalue",    "newvalue",       "sys_created_on",
                    "record_checkpoint"};
    audit.limit = kHistoryPage;
    auto rows = client_->ListAll(audit, kMaxHistoryRows);
    if (rows.status().code() == absl::StatusCode::kPermissionDenied) {
      // Known limit: without audit_viewer, changes carry the current
      // state (the system check names the role).
      audit_readable_ = false;
      log::Warn("servicenow.audit_unreadable",
                {{"system", options_.system},
                 {"integration", options_.reader.integration},
                 {"error", std::string(rows.status().message())}});
    } else if (!rows.ok()) {
      return HistoryError(rows.status());
    } else {
      for (const json& row : *rows) {
        auto entry = ParseAuditRow(row, "servicenow GET sys_audit");
        if (!entry.ok()) return entry.status();
        history.audit[entry->record].push_back(*std::move(entry));
      }
    }
  }
  for (size_t first = 0; first < journal_ids.size(); first += per_query) {
    const std::vector<std::string> chunk(
        journal_ids.begin() + first,
        journal_ids.begin() + std::min(journal_ids.size(), first + per_query));
    ListRequest journal;
    journal.table = "sys_journal_field";
    journal.query = JournalQuery(chunk, since);
    journal.fields = {"element_id", "element", "value", "sys_created_on", "sys_created_by"};
    journal.limit = kHistoryPage;
    auto rows = client_->ListAll(journal, kMaxHistoryRows);
    if (!rows.ok()) return HistoryError(rows.status());
    for (const json& row : *rows) {
      auto entry = ParseJournalRow(row, "servicenow GET sys_journal_field");
      if (!entry.ok()) return entry.status();
      history.journal[entry->record].push_back(*std::move(entry));
    }
  }
  // Oldest first; updates of one second by their sys_mod_count.
  for (auto& [unused, entries] : history.audit) {
    std::stable_sort(entries.begin(), entries.end(), [](const AuditEntry& a, const AuditEntry& b) {
      return std::make_tuple(a.created, a.checkpoint.value_or(0)) <
             std::make_tuple(b.created, b.checkpoint.value_or(0));
    });
  }
  for (auto& [unused, entries] : history.journal) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const JournalEntry& a, const JournalEntry& b) { return a.created < b.created; });
  }
  return history;
}

ServiceNowReader::HistoryNeeded ServiceNowReader::HistoryOf(const Found& found,
                                                           const ReadMark& mark) const {
  const std::string& me = options_.user_name;
  const RecordVersion& version = found.version;
  const bool by_me = !me.empty() && http::StringOr(found.row, "sys_updated_by") == me;
  if (version.mod_count == 0) {
    return by_me && http::StringOr(found.row, "sys_created_by") == me ? HistoryNeeded::kNone
                                                                       : HistoryNeeded::kAll;
  }
  // One update since a version accounted for?
  const int64_t previous = version.mod_count - 1;
  const auto it = remembered_.find(version.sys_id);
  const bool remembered = it != remembered_.end() && it->second.version.mod_count == previous &&
                          mark.Seen(it->second.version);
  if (!remembered && mark.SeenModCount(version.sys_id) != previous) return HistoryNeeded::kAll;
  if (by_me) return HistoryNeeded::kNone;
  // Someone else's one update that changed no column the reader reads:
  // sys_audit holds none of its rows but the journal's.
  return remembered && it->second.columns == ColumnsDigest(found.row) ? HistoryNeeded::kJournal
                                                                      : HistoryNeeded::kAll;
}

void ServiceNowReader::Remember(const Found& found) {
  if (remembered_.size() >= kMaxRemembered && remembered_.count(found.version.sys_id) == 0) {
    remembered_.clear();
  }
  remembered_[found.version.sys_id] = {found.version, ColumnsDigest(found.row)};
}

absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> ServiceNowReader::EventOf(
    const Found& found, const ReadMark& mark, const History& history) const {
  const RecordVersion& version = found.version;
  const std::string where = absl::StrCat("servicenow incident ", version.sys_id);
  auto entity = EntityOfIncident(found.row, options_.system, options_.reader.project,
                                 client_->RecordUrl(kIncidentTable, version.sys_id), where);
  if (!entity.ok()) return entity.status();
  const std::string& me = options_.user_name;

  ferry::v1::ChangeEvent event;
  event.set_integration(options_.reader.integration);
  event.set_change_id(absl::StrCat(version.sys_id, "@", version.mod_count));
  const auto audit = history.audit.find(version.sys_id);
  const std::vector<AuditEntry>* audit_rows =
      audit != history.audit.end() ? &audit->second : nullptr;
  if (audit_rows != nullptr) {
    for (const AuditEntry& entry : *audit_rows) {
      if (IsJournalAudit(entry) || entry.user == me ||
          !IsNew(version, mark, entry.created, entry.checkpoint)) {
        continue;
      }
      *event.add_changes() = FieldChangeOf(entry);
    }
  }
  ferry::v1::Entity& out = *event.mutable_entity();
  out = *std::move(entity);
  out.set_comments_complete(false);
  if (auto it = history.journal.find(version.sys_id); it != history.journal.end()) {
    for (const JournalEntry& entry : it->second) {
      if (entry.author == me ||
          !IsNew(version, mark, entry.created, JournalCheckpoint(entry, audit_rows))) {
        continue;
      }
      *out.add_comments() = CommentOf(entry);
    }
  }
  const std::string created_by = http::StringOr(found.row, "sys_created_by");
  const std::string updated_by = http::StringOr(found.row, "sys_updated_by");
  event.set_created(created_by != me && FromProto(out.created_at()) >= mark.second() &&
                    !mark.SeenModCount(version.sys_id).has_value());
  if (event.changes_size() > 0) {
    *out.mutable_last_changed_by() = event.changes(event.changes_size() - 1).changed_by();
  } else if (out.comments_size() > 0) {
    *out.mutable_last_changed_by() = out.comments(out.comments_size() - 1).author();
  } else {
    *out.mutable_last_changed_by() = ServiceNowUser(updated_by);
  }
  if (event.created() || event.changes_size() > 0 || out.comments_size() > 0 ||
      updated_by != me) {
    return event;
  }
  return std::nullopt;
}

absl::StatusOr<ChangePage> ServiceNowReader::ReadChanges(
    const std::optional<SourcePosition>& after, int max_changes) {
  auto mark = ReadMark::FromPosition(after.has_value() ? after : options_.reader.start);
  if (!mark.ok()) return mark.status();
  ChangePage page;
  if (max_changes <= 0) return page;
  auto found = Scan(*mark, std::min(max_changes, kMaxScan), page.more);
  if (!found.ok()) return found.status();
  if (found->empty()) return page;
  std::vector<HistoryNeeded> needed;
  std::vector<std::string> audit_ids;
  std::vector<std::string> journal_ids;
  for (const Found& f : *found) {
    needed.push_back(HistoryOf(f, *mark));
    if (needed.back() == HistoryNeeded::kAll) audit_ids.push_back(f.version.sys_id);
    if (needed.back() != HistoryNeeded::kNone) journal_ids.push_back(f.version.sys_id);
  }
  auto history = ReadHistory(audit_ids, journal_ids, mark->second());
  if (!history.ok()) return history.status();
  ReadMark next = *mark;
  for (size_t i = 0; i < found->size(); ++i) {
    const Found& f = (*found)[i];
    absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> event = std::nullopt;
    if (needed[i] != HistoryNeeded::kNone) event = EventOf(f, *mark, *history);
    if (!event.ok()) return event.status();
    SourcePosition position = next.Advance(f.version);
    if (event->has_value()) {
      *(*event)->mutable_position() = std::move(position);
      page.changes.push_back(**std::move(event));
      page.scanned_to.reset();
    } else {
      page.scanned_to = std::move(position);
    }
  }
  // Only once the whole page is made: a failed read remembers nothing.
  for (const Found& f : *found) Remember(f);
  return page;
}

}  // namespace ferry::servicenow
