// Fuzzes comment lists (GET /issue/{id}/comment, or an issue's `comment`
// field): each comment made a Comment with a Markdown body, from Cloud's
// ADF and from Data Center's wiki markup.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "connectors/jira/jira_fields.h"
#include "http/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = ferry::http::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!body.ok()) return 0;
  auto comments = ferry::http::JsonReader(*body, "jira GET /issue/10001/comment")
                      .OptionalArray("comments");
  if (!comments.ok()) return 0;
  for (const ferry::http::JsonReader& comment : *comments) {
    ferry::jira::CommentFromJson(comment.json(), true);
    ferry::jira::CommentFromJson(comment.json(), false);
  }
  return 0;
}
