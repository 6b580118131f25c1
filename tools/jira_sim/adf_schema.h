#pragma once

#include "absl/status/status.h"
#include "nlohmann/json.hpp"

namespace ferry::jira_sim {

// Atlassian Document Format validation, as Jira Cloud applies it to the
// rich text that /rest/api/3 writes (descriptions, textarea custom fields,
// comment bodies).
//
// A document is {"type":"doc","version":1,"content":[block...]}. Checked,
// following Atlassian's ADF structure reference:
//   - every node is an object with a known `type`; `content` (where a node
//     may have it) is an array of the node types its parent allows;
//   - paragraph and heading hold inline nodes (text, hardBreak, mention,
//     emoji, inlineCard, date, status); heading has attrs.level 1..6;
//   - bulletList and orderedList hold one or more listItem; a listItem
//     holds one or more of paragraph, bulletList, orderedList, codeBlock
//     and starts with a paragraph or a code block; orderedList's
//     attrs.order, when present, is a whole number >= 0;
//   - blockquote holds one or more of paragraph, bulletList, orderedList,
//     codeBlock; codeBlock holds unmarked text only, attrs.language a
//     string when present; rule and hardBreak hold nothing;
//   - text has a non-empty string `text`; `marks` is an array of known
//     marks (strong, em, strike, code, underline, link, subsup, textColor),
//     each at most once; link needs attrs.href, subsup attrs.type sub|sup,
//     textColor attrs.color; code combines with link only;
//   - mention needs attrs.id, emoji attrs.shortName, inlineCard attrs.url,
//     date attrs.timestamp, status attrs.text and attrs.color.
// Tables, panels, media and the other nodes of the full schema are not
// known here, so they are refused (Ferry and the simulator write none).
//
// OK, or InvalidArgument with the message "INVALID_INPUT" (what Cloud
// answers, in errorMessages, for a document that breaks the schema).
// ValidateAdfDetail gives the same verdict with the place that breaks it
// ("content[0].content[1]: a text node's text must not be empty"), for
// tests and logs. Pure functions; thread-safe.
absl::Status ValidateAdf(const nlohmann::json& document);
absl::Status ValidateAdfDetail(const nlohmann::json& document);

}  // namespace ferry::jira_sim
