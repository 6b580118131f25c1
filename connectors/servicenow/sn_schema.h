#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "mapping/system_schema.h"

namespace ferry::servicenow {

// The incident table as mappings see it (kind "servicenow", entity type
// "incident"). Field names are the incident table's column names.
//
// Coded choice fields (state, impact, urgency, priority, hold_reason) are
// seen by their labels in ServiceNow's default choice lists ("Resolved",
// "2 - Medium", "Awaiting Vendor"): mappings, criteria values read back
// and value maps use the label; the writer sends the code ("6", "2", "4")
// and also accepts a code given directly. Encoded queries (criteria,
// target lookups) are the instance's to parse, so they name codes as the
// instance stores them (`state=6`).
//
// priority is read-only: ServiceNow computes it from impact × urgency by
// its priority lookup rules; a mapping writes impact and urgency instead.
// Plain data; thread-safe.
const mapping::SystemSchema& ServiceNowSchema();

// The entity type Ferry syncs: the incident table.
inline constexpr absl::string_view kIncidentTable = "incident";

// The comment kinds, which are the journal fields they are written to.
inline constexpr absl::string_view kCommentsKind = "comments";
inline constexpr absl::string_view kWorkNotesKind = "work_notes";

// One entry of a coded choice field: what mappings see, what is stored.
struct Choice {
  absl::string_view label;
  absl::string_view code;
};

// The choices of a coded field (state, impact, urgency, priority,
// hold_reason) in ServiceNow's default choice lists; empty for any other
// field, whose values are stored as written.
const std::vector<Choice>& ChoicesOf(absl::string_view field);

// The code to store for `value` of `field`: the code of the label `value`
// (any case), or `value` itself when it is already one of the codes. The
// value unchanged for a field without choices; nullopt when a coded field
// has no such label or code.
std::optional<std::string> CodeOf(absl::string_view field, absl::string_view value);

// The label of the stored `code` of `field`; the code itself when the
// field has no choices or the instance uses a code Ferry does not know (a
// customised choice list).
std::string LabelOf(absl::string_view field, absl::string_view code);

// The state codes the writer's state moves look at.
inline constexpr absl::string_view kStateOnHold = "3";
inline constexpr absl::string_view kStateResolved = "6";
inline constexpr absl::string_view kStateClosed = "7";

}  // namespace ferry::servicenow
