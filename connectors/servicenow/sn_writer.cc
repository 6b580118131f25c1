#include "connectors/servicenow/sn_writer.h"

#include <openssl/sha.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "connectors/pagerduty/pd_comment_marker.h"
#include "connectors/servicenow/sn_field_write.h"
#include "connectors/servicenow/sn_query_dialect.h"
#include "connectors/servicenow/sn_reader_rows.h"
#include "connectors/servicenow/sn_schema.h"
#include "http/json_fields.h"

namespace ferry::servicenow {
namespace {

using json = nlohmann::json;

// The default dictionary's length of incident.correlation_id.
constexpr size_t kCorrelationIdLength = 100;
// Journal entries FindComment pages through at most.
constexpr int kMaxJournalEntries = 5000;
constexpr int kMaxLookupMatches = 100;

bool Applies(const ferry::v1::FieldWrite& write, ferry::v1::SyncWhen skip) {
  return write.sync_when() != skip;
}

}  // namespace

std::string CorrelationIdFor(const std::string& origin) {
  if (origin.size() <= kCorrelationIdLength) return origin;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(origin.data()), origin.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "ferry:";
  for (int i = 0; i < 20; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

SnWriter::SnWriter(std::shared_ptr<TableClient> client, std::string system)
    : client_(std::move(client)), system_(std::move(system)) {}

engine::EntityRef SnWriter::RefOf(const json& row) const {
  const std::string sys_id = http::StringOr(row, "sys_id");
  return {sys_id, http::StringOr(row, "number"), client_->RecordUrl(kIncidentTable, sys_id)};
}

absl::Status SnWriter::AddFields(const std::vector<ferry::v1::FieldWrite>& fields,
                                 ferry::v1::SyncWhen skip, json& values) const {
  for (const ferry::v1::FieldWrite& write : fields) {
    if (!Applies(write, skip)) continue;
    absl::StatusOr<std::string> value = ColumnValue(write);
    if (!value.ok()) return value.status();
    values[write.target_field()] = *value;
  }
  const ResolvedOptions& options = client_->options();
  const json& state = http::MemberOrNull(values, "state");
  const std::string code = state.is_string() ? state.get<std::string>() : "";
  auto fill = [&](const char* column, const std::string& value) {
    if (!values.contains(column)) values[column] = value;
  };
  if (code == kStateResolved || code == kStateClosed) {
    fill("close_code", options.close_code);
    fill("close_notes", options.close_notes);
  } else if (code == kStateOnHold) {
    // The options' label was checked against the choices when loaded.
    fill("hold_reason", CodeOf("hold_reason", options.hold_reason).value_or(options.hold_reason));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<engine::EntityRef>> SnWriter::Find(const std::string& query, int max) {
  ListRequest request;
  request.table = std::string(kIncidentTable);
  request.query = absl::StrCat(query, query.empty() ? "" : "^", "ORDERBYsys_created_on");
  request.fields = {"number"};
  request.limit = max + 1;
  absl::StatusOr<ListPage> page = client_->List(request);
  if (!page.ok()) return page.status();
  std::vector<engine::EntityRef> refs;
  for (const json& row : page->rows) {
    if (static_cast<int>(refs.size()) == max) break;
    refs.push_back(RefOf(row));
  }
  return refs;
}

absl::StatusOr<std::vector<engine::EntityRef>> SnWriter::Lookup(const std::string& project,
                                                                const std::string& query) {
  absl::StatusOr<std::string> scope = ProjectQuery(project);
  if (!scope.ok()) return scope.status();
  absl::StatusOr<std::string> both = AndQuery(*scope, query, "servicenow target lookup");
  if (!both.ok()) return both.status();
  return Find(*both, kMaxLookupMatches);
}

absl::StatusOr<std::optional<engine::EntityRef>> SnWriter::FindByOrigin(const std::string& project,
                                                                        const std::string& origin) {
  absl::StatusOr<std::string> scope = ProjectQuery(project);
  if (!scope.ok()) return scope.status();
  const EncodedQueryDialect dialect;
  // The project is left out: a person may have moved the incident to
  // another group since, and it is still the one Ferry created.
  absl::StatusOr<std::vector<engine::EntityRef>> found =
      Find(absl::StrCat("correlation_id=", dialect.EscapeValue(CorrelationIdFor(origin))), 1);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::nullopt;
  return found->front();
}

absl::StatusOr<engine::EntityRef> SnWriter::Create(const engine::CreateRequest& request) {
  absl::StatusOr<std::string> scope = ProjectQuery(request.project);
  if (!scope.ok()) return scope.status();
  json values = json::object();
  absl::Status added = AddFields(request.fields, ferry::v1::SYNC_WHEN_UPDATE, values);
  if (!added.ok()) return added;
  if (!scope->empty() && !values.contains("assignment_group")) {
    values["assignment_group"] = request.project;
  }
  if (!request.origin.empty()) {
    values["correlation_id"] = CorrelationIdFor(request.origin);
    values["correlation_display"] = client_->options().correlation_display;
  }
  absl::StatusOr<json> row = client_->Insert(kIncidentTable, values);
  if (!row.ok()) return row.status();
  return RefOf(*row);
}

absl::Status SnWriter::Update(const engine::EntityRef& entity,
                              const std::vector<ferry::v1::FieldWrite>& fields) {
  json values = json::object();
  absl::Status added = AddFields(fields, ferry::v1::SYNC_WHEN_CREATE, values);
  if (!added.ok()) return added;
  if (values.empty()) return absl::OkStatus();
  absl::StatusOr<json> row = client_->Update(kIncidentTable, entity.id, values);
  return row.status();
}

absl::StatusOr<ferry::v1::Entity> SnWriter::Get(const engine::EntityRef& entity) {
  absl::StatusOr<std::optional<json>> row = client_->Get(kIncidentTable, entity.id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) {
    return absl::NotFoundError(absl::StrCat("servicenow incident ", entity.key, " (sys_id ",
                                            entity.id, ") does not exist or may not be read"));
  }
  absl::StatusOr<ferry::v1::Entity> out = EntityOfIncident(
      **row, system_, "", client_->RecordUrl(kIncidentTable, entity.id), "servicenow GET incident");
  if (!out.ok()) return out.status();
  *out->mutable_last_changed_by() = ServiceNowUser(http::StringOr(**row, "sys_updated_by"));
  return out;
}

absl::StatusOr<std::string> SnWriter::AddComment(const engine::EntityRef& entity,
                                                 const ferry::v1::CommentWrite& comment,
                                                 const std::string& origin) {
  const std::string element = comment.kind() == kCommentsKind || comment.kind() == kWorkNotesKind
                                  ? comment.kind()
                                  : client_->options().comment_element;
  const std::string text = pagerduty::WithOriginMarker(comment.body(), origin);
  std::optional<std::string> id = MarkerCommentId(text);
  if (!id.has_value()) {
    return absl::InternalError(absl::StrCat("servicenow incident ", entity.key,
                                            ": the comment's origin marker is not one the "
                                            "reader recognises; report this as a bug"));
  }
  absl::StatusOr<json> row = client_->Update(kIncidentTable, entity.id, {{element, text}});
  if (!row.ok()) return row.status();
  return *std::move(id);
}

absl::StatusOr<std::optional<std::string>> SnWriter::FindComment(const engine::EntityRef& entity,
                                                                 const std::string& origin) {
  ListRequest request;
  request.table = "sys_journal_field";
  request.query = absl::StrCat("element_id=", entity.id, "^element=", kCommentsKind,
                               "^ORelement=", kWorkNotesKind, "^ORDERBYDESCsys_created_on");
  request.fields = {"value"};
  request.limit = std::min(kMaxJournalEntries, client_->options().page_size);
  for (int seen = 0; seen < kMaxJournalEntries;) {
    absl::StatusOr<ListPage> page = client_->List(request);
    if (!page.ok()) return page.status();
    for (const json& row : page->rows) {
      JournalEntry entry;
      entry.sys_id = http::StringOr(row, "sys_id");
      entry.value = http::StringOr(row, "value");
      if (pagerduty::CarriesOrigin(entry.value, origin)) {
        return std::optional<std::string>(JournalCommentId(entry));
      }
    }
    seen += static_cast<int>(page->rows.size());
    if (!page->more || page->rows.empty()) break;
    request.offset += static_cast<int>(page->rows.size());
  }
  return std::nullopt;
}

}  // namespace ferry::servicenow
