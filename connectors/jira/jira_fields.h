#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "http/json_fields.h"
#include "nlohmann/json.hpp"
#include "proto/entity.pb.h"
#include "proto/stages.pb.h"

namespace ferry::jira {

// Conversions between Jira's JSON and Ferry's records. Field names are
// Jira's field ids, exactly as mapping/system_schema.cc's Jira schema names
// them (summary, status, priority, labels, customfield_10010, ...). `cloud`
// selects the dialect: Cloud v3 (accountIds, ADF) or Data Center v2 (user
// keys, wiki strings). Rich-text fields (descriptions) read as wiki markup
// in both: Cloud's ADF is converted (jira_wiki.h); written, their text is
// the other system's plain text, sent as it is to Data Center and as
// literal text (TextToAdf, no markup interpreted) to Cloud, so both read
// back the string written. Comments are Markdown (jira_markdown.h), the
// form PagerDuty notes take. Pure functions; thread-safe.

// Between absl::Time and the protos' Timestamp (microsecond precision).
google::protobuf::Timestamp TimestampOf(absl::Time t);
absl::Time TimeOf(const google::protobuf::Timestamp& t);

// A Jira timestamp ("2024-05-01T00:15:00.000+0000"); INVALID_ARGUMENT
// naming the text otherwise.
absl::StatusOr<absl::Time> ParseJiraTime(const std::string& text);

// A user object (null gives an empty UserRef): id = accountId (Cloud) or
// key (Data Center).
ferry::v1::UserRef UserFromJson(const nlohmann::json& user, bool cloud);

// A comment object; the body as Markdown (jira_markdown.h: from Data
// Center wiki or Cloud ADF).
ferry::v1::Comment CommentFromJson(const nlohmann::json& comment, bool cloud);

// An issue from GET /issue or a search (with its fields) as an Entity of
// `system`: id, key, type, project key, times, fields and, when the issue
// has the `comment` field, its comments (comments_complete set).
absl::StatusOr<ferry::v1::Entity> EntityFromIssue(const nlohmann::json& issue,
                                                  const std::string& system,
                                                  bool cloud);

// One changelog item as a FieldChange (field = the item's fieldId, or its
// lower-cased field name when it has none); author and time are the
// history's.
ferry::v1::FieldChange FieldChangeFromItem(const nlohmann::json& item,
                                           const ferry::v1::UserRef& author,
                                           absl::Time when);

// Changelog histories oldest first, however the deployment listed them
// (expand=changelog is newest first on Cloud, oldest first on Data
// Center): ordered by `created`, then by numeric `id` (Jira numbers
// histories as it writes them); a history whose time cannot be read sorts
// first.
std::vector<nlohmann::json> HistoriesOldestFirst(std::vector<nlohmann::json> histories);

// `changelog.histories` of an issue (`body`: from a search or GET /issue
// with expand=changelog), oldest first (as the overload above orders them); empty when there is no changelog.
// UNAVAILABLE naming the field when the changelog is not an object or its
// histories not a list.
absl::StatusOr<std::vector<nlohmann::json>> HistoriesOldestFirst(const http::JsonReader& body);

// The JSON value a create or edit sends for `write` (not status, which
// moves through transitions). INVALID_ARGUMENT naming the field when the
// value's kind does not fit it.
absl::StatusOr<nlohmann::json> FieldJson(const ferry::v1::FieldWrite& write,
                                         bool cloud);

}  // namespace ferry::jira
