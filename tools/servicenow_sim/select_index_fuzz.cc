// Fuzzes Tables::Select through the ordered indexes against the scan: any
// encoded query, on a small table with shared seconds, mixed-case sys_ids
// and a dot-walk, must give the same page and count both ways.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/fuzz/promise.h"
#include "tools/servicenow_sim/store.h"

namespace {

using ferry::servicenow_sim::EncodedQuery;
using ferry::servicenow_sim::Store;
using ferry::servicenow_sim::Tables;

Store& FilledStore() {
  static Store& store = *[] {
    auto* store = new Store();
    store->Seed("sys_user_group", {{"sys_id", "g1"}, {"name", "Network"}}, "x")
        .IgnoreError();
    for (int i = 0; i < 24; ++i) {
      store
          ->Seed("incident",
                 {{"sys_id", absl::StrFormat(i % 2 ? "S%02d" : "s%02d", i * 7 % 24)},
                  {"state", absl::StrFormat("%d", i % 3)},
                  {"assignment_group", i % 2 ? "g1" : ""},
                  {"sys_created_on", absl::StrFormat("2026-12-06 07:00:%02d", i % 5)},
                  {"sys_updated_on", i == 23 ? std::string("Late")
                                             : absl::StrFormat("2026-12-06 07:00:%02d", i % 4)}},
                 "2026-12-06 08:00:00")
          .IgnoreError();
    }
    return store;
  }();
  return store;
}

// The page and count as text: "<total or -> : sys_id,sys_id,...".
std::string Query(Store& store, bool indexed, const EncodedQuery& query,
                  const Tables::Page& page) {
  store.SetIndexedQueries(indexed);
  return store.Read([&](const Tables& tables) {
    Tables::Selection selection =
        tables.Select(*tables.Schema("incident"), query, page);
    std::string text = selection.total ? absl::StrCat(*selection.total) : "-";
    text += ":";
    for (const ferry::servicenow_sim::Record* row : selection.rows) {
      absl::StrAppend(&text, row->at("sys_id"), ",");
    }
    return text;
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const EncodedQuery query = EncodedQuery::Parse(text);
  Store& store = FilledStore();
  for (const Tables::Page& page :
       {Tables::Page{}, Tables::Page{0, 3, false}, Tables::Page{2, 5, true}}) {
    ferry::fuzz::ExpectPromise(
        Query(store, true, query, page), Query(store, false, query, page),
        "Tables::Select gives the same page and count through an index as "
        "through a scan");
  }
  return 0;
}
