// Fuzzes the Table API's answers as TableClient reads them: a list page
// (with and without a Link header), a single-row answer, and ServiceNow's
// error body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "connectors/servicenow/sn_table_client.h"
#include "http/http_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  ferry::http::HttpResponse response;
  response.status_code = 200;
  response.body = body;
  (void)ferry::servicenow::ParseListPage(response, 2, "servicenow GET /api/now/table/incident");
  response.headers.Add("Link", "<https://x/api/now/table/incident?sysparm_offset=2>;rel=\"next\"");
  response.headers.Add("X-Total-Count", body.substr(0, 8));
  (void)ferry::servicenow::ParseListPage(response, 2, "servicenow GET /api/now/table/incident");
  (void)ferry::servicenow::ParseRowAnswer(body, "servicenow POST /api/now/table/incident");
  (void)ferry::servicenow::ServiceNowErrorText(body);
  return 0;
}
