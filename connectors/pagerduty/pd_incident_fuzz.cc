// Fuzzes the incident answers: GET /incidents/{id} ({"incident": {...}})
// and a page of GET /incidents, each incident made an Entity.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_entity.h"
#include "connectors/pagerduty/pd_log_translation.h"
#include "http/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ferry::pagerduty;
  auto body = ferry::http::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!body.ok()) return 0;
  if (auto incident = MemberWithId(*body, "incident", "GET /incidents/P1"); incident.ok()) {
    (void)IncidentToEntity(*incident, "pd");
    FirstTriggerId(*incident);
  }
  if (auto page = ParseListPage(*body, "GET /incidents", "incidents"); page.ok()) {
    for (const nlohmann::json& incident : page->items) (void)IncidentToEntity(incident, "pd");
  }
  return 0;
}
