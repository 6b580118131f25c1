// Fuzzes the simulator's encoded queries: parsing any text, matching and
// ordering rows through a reader that knows a few columns and a dot-walk.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tools/servicenow_sim/encoded_query.h"

namespace {

using ferry::servicenow_sim::FieldValue;
using ferry::servicenow_sim::Record;

class Reader : public ferry::servicenow_sim::FieldReader {
 public:
  std::optional<FieldValue> Read(const Record& row,
                                 absl::string_view field) const override {
    if (field == "assignment_group.name") return FieldValue{"Network", false};
    auto it = row.find(std::string(field));
    if (it == row.end()) return std::nullopt;
    return FieldValue{it->second, field == "state" || field == "priority"};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ferry::servicenow_sim::EncodedQuery;
  const std::string text(reinterpret_cast<const char*>(data), size);
  EncodedQuery query = EncodedQuery::Parse(text);
  Record a = {{"state", "2"}, {"priority", "10"},
              {"short_description", "Disk ^ full"},
              {"sys_updated_on", "2026-12-06 07:05:21"}};
  Record b = {{"state", ""}, {"priority", "x"}, {"short_description", ""},
              {"sys_updated_on", ""}};
  Reader reader;
  query.Matches(a, reader);
  query.Matches(b, reader);
  query.Compare(a, b, reader);
  return 0;
}
