// Fuzzes GET /incidents/{id}/notes as the incident cache reads it: each
// note made a Comment, and the origin footer Ferry looks for in its text.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "connectors/pagerduty/pd_entity.h"
#include "http/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ferry::pagerduty;
  auto body = ferry::http::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!body.ok()) return 0;
  auto notes = ferry::http::JsonReader(*body, "GET /incidents/P1/notes").OptionalArray("notes");
  if (!notes.ok()) return 0;
  for (const ferry::http::JsonReader& note : *notes) {
    auto comment = NoteToComment(note);
    if (comment.ok()) OriginInFooter(comment->body());
  }
  return 0;
}
