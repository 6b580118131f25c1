// Fuzzes the queries Ferry parses itself: the input as criteria for a
// PagerDuty system (URL query parameters, values URL-decoded) and for a
// Jira system (the simple field form), each matched against an incident,
// and as a target lookup template filled in each system's dialect.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "mapping/criteria.h"
#include "mapping/target_lookup.h"
#include "mapping/testing/test_util.h"

namespace {

const ferry::v1::Entity& Incident() {
  static const ferry::v1::Entity* const kIncident =
      new ferry::v1::Entity(ferry::mapping::ParseText<ferry::v1::Entity>(R"pb(
        id: "PINC001"
        display_key: "41"
        fields { key: "Status" value { lookup { id: "triggered" name: "triggered" } } }
        fields { key: "Incident Key" value { text: "db-1/disk \"full\"" } }
        fields { key: "Service" value { lookup { id: "PSVC1" name: "Checkout" } } }
        fields { key: "Assignee" value { user { id: "PUSR1" email: "rita@example.com" name: "Rita" } } }
        fields { key: "status" value { lookup { id: "3" name: "In Progress" } } }
        fields { key: "priority" value { lookup { id: "2" name: "High" } } }
      )pb"));
  return *kIncident;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ferry::mapping;
  const absl::string_view query(reinterpret_cast<const char*>(data), size);
  for (const SystemSchema* schema :
       {&ferry::pagerduty::PagerDutySchema(), &ferry::jira::JiraSchema()}) {
    if (auto criteria = CriteriaMatcher::Parse(query, *schema); criteria.ok()) {
      criteria->Matches(Incident());
    }
    (void)FillLookupQuery(TextTemplate(query), Incident(), schema->query_dialect.get());
  }
  return 0;
}
