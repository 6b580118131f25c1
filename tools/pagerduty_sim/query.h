#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty_sim {

// Classic offset pagination (PagerDuty REST API reference: Pagination,
// "Classic Pagination"): limit defaults to 25 and is
// clamped to 100; offset defaults to 0; total=true asks for the count.
struct Page {
  int limit = 25;
  int offset = 0;
  bool total = false;
};

// Parses limit/offset/total. Non-numeric or negative values, limit < 1 and
// offset + limit > 10000 are 400 / 2001 naming the parameter.
absl::StatusOr<Page> ParsePage(const httplib::Request& req);

// The page of `count` items as {<key>: [...], limit, offset, more, total}
// where total is null unless requested; `item(i)` renders item i.
nlohmann::json PagedJson(const std::string& key, const Page& page, size_t count,
                         const std::function<nlohmann::json(size_t)>& item);

// A boolean query parameter ("1"/"true"/"0"/"false"); `fallback` when
// absent; 400 / 2001 when something else.
absl::StatusOr<bool> BoolParam(const httplib::Request& req,
                               const std::string& name, bool fallback);

// Every value of a repeated parameter such as "statuses[]". A value given
// without the brackets ("statuses") counts too, like Rails-style servers.
std::vector<std::string> ArrayParam(const httplib::Request& req,
                                    const std::string& name_with_brackets);

// include[] values as a set.
std::set<std::string> Includes(const httplib::Request& req);

// The request body as a JSON object, or 400 / 2001 saying it is not one.
absl::StatusOr<nlohmann::json> JsonBody(const httplib::Request& req);

}  // namespace ferry::pagerduty_sim
