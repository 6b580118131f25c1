#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/model.h"
#include "tools/jira_sim/render.h"

namespace ferry::jira_sim {

// Brings the rich-text values of a write request into the stored (wiki)
// form. On /rest/api/3 the rich-text fields (description, textarea custom
// fields) in `fields` and in `update` set operations, and comment bodies in
// `update.comment[].add.body`, must be ADF documents and are converted; on
// /rest/api/2 they must already be strings (checked later by the field
// validation). Fails with 400 and Jira's ADF message naming the field when
// a value is no ADF document, and with Cloud's 400 INVALID_INPUT when it
// breaks the ADF schema (adf_schema.h).
absl::Status NormalizeRichText(const View& view, const State& state,
                               nlohmann::json& body);

// A comment `body` value in stored form: an ADF document on v3 (valid by
// adf_schema.h), a string on v2; 400 otherwise.
absl::StatusOr<std::string> CommentBodyToWiki(const View& view,
                                              const nlohmann::json& body);

}  // namespace ferry::jira_sim
