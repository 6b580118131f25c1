// Fuzzes GET /incidents/{id}/notes as the incident cache reads it: each
// note made a Comment, the origin marker Ferry looks for in its text, and
// pd_comment_marker.h's promise that a note Ferry marked carries its origin.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "connectors/pagerduty/pd_comment_marker.h"
#include "connectors/pagerduty/pd_entity.h"
#include "http/json_fields.h"
#include "tools/fuzz/promise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ferry::pagerduty;
  const std::string origin = "ferry:fuzz:pagerduty:P1";
  auto body = ferry::http::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!body.ok()) return 0;
  auto notes = ferry::http::JsonReader(*body, "GET /incidents/P1/notes").OptionalArray("notes");
  if (!notes.ok()) return 0;
  for (const ferry::http::JsonReader& note : *notes) {
    auto comment = NoteToComment(note);
    if (!comment.ok()) continue;
    CarriesOrigin(comment->body(), origin);
    ferry::fuzz::ExpectPromise(
        CarriesOrigin(WithOriginMarker(comment->body(), origin), origin) ? "yes" : "no", "yes",
        "CarriesOrigin(WithOriginMarker(s, o), o)");
  }
  return 0;
}
