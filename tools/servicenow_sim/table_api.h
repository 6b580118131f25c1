#pragma once

#include <string>

#include "httplib.h"
#include "tools/servicenow_sim/acl.h"
#include "tools/servicenow_sim/store.h"

namespace ferry::servicenow_sim {

// The Table API's path pattern: (version) (table) (sys_id).
inline constexpr char kTableApiPath[] =
    R"(/api/now/(?:(v1|v2)/)?table/([A-Za-z0-9_]+)(?:/([^/]+))?/?)";

// One Table API call, authenticated and past the rate limits.
struct TableCall {
  std::string version;  // "", "v1" or "v2" (latest = v2)
  std::string table;
  std::string sys_id;   // empty for the collection
  Caller caller;
  std::string now;      // "yyyy-MM-dd HH:mm:ss" UTC
  std::string base_url; // "http://host:port", for links and Location
};

// Serves /api/now/[v1|v2/]table/{table}[/{sys_id}]:
//   GET list: sysparm_query, plain column=value filters (display values
//     accepted), sysparm_fields, sysparm_limit (default 10000) and
//     sysparm_offset with Link (first/prev/next/last) and X-Total-Count
//     (both without count when sysparm_no_count=true), sysparm_display_value
//     (false|true|all), sysparm_exclude_reference_link. An empty page is
//     200 {"result":[]} except on v1: 404 "No Record found".
//   GET by sys_id: 200 {"result":{...}} or 404 "No Record found".
//   POST (collection): 201 {"result":{...}} + Location.
//   PUT/PATCH (row): 200 {"result":{...}}.
//   DELETE (row): 204.
//   With "X-no-response-body: true", writes answer without a body: POST
//   201, PUT/PATCH 204. sysparm_input_display_value=true on a write takes
//   choice labels and reference display values.
//   Headers: a write without Content-Type is 400, a Content-Type other than
//   JSON 415; an Accept that excludes JSON 406.
//   ACLs (acl.h): a list or write the caller's roles do not allow is 403,
//   a row read they do not allow is 404 as for a missing row.
// The query parameters of a request target ("/path?a=b&c=d=e"), split at
// the first '=' of each pair (ServiceNow takes `sysparm_query=state=1` with
// the inner '=' unescaped; cpp-httplib's own parse would not) and
// percent-decoded.
httplib::Params QueryParams(const std::string& target);

void ServeTable(Store& store, const TableCall& call,
                const httplib::Request& req, httplib::Response& res);

}  // namespace ferry::servicenow_sim
