#include "tools/pagerduty_sim/query.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/pd_error.h"

namespace ferry::pagerduty_sim {
namespace {

constexpr int kDefaultLimit = 25;
constexpr int kMaxLimit = 100;
constexpr int kMaxOffsetPlusLimit = 10000;

absl::StatusOr<int> IntParam(const httplib::Request& req,
                             const std::string& name, int fallback) {
  if (!req.has_param(name.c_str())) return fallback;
  int value = 0;
  const std::string text = req.get_param_value(name.c_str());
  if (!absl::SimpleAtoi(text, &value) || value < 0) {
    return InvalidInput(absl::StrCat(name, " must be a non-negative integer, got \"",
                                     text, "\""));
  }
  return value;
}

}  // namespace

absl::StatusOr<Page> ParsePage(const httplib::Request& req) {
  Page page;
  absl::StatusOr<int> limit = IntParam(req, "limit", kDefaultLimit);
  if (!limit.ok()) return limit.status();
  absl::StatusOr<int> offset = IntParam(req, "offset", 0);
  if (!offset.ok()) return offset.status();
  absl::StatusOr<bool> total = BoolParam(req, "total", false);
  if (!total.ok()) return total.status();
  if (*limit < 1) return InvalidInput("limit must be at least 1");
  page.limit = std::min(*limit, kMaxLimit);
  page.offset = *offset;
  page.total = *total;
  if (page.offset + page.limit > kMaxOffsetPlusLimit) {
    return PdError(400, kCodeInvalidInput, "Invalid Input Provided",
                   {absl::StrCat("Offset (", page.offset, ") + limit (", page.limit,
                                 ") must not exceed 10000; narrow the query "
                                 "with since/until instead")});
  }
  return page;
}

nlohmann::json PagedJson(const std::string& key, const Page& page, size_t count,
                         const std::function<nlohmann::json(size_t)>& item) {
  nlohmann::json items = nlohmann::json::array();
  const size_t begin = std::min<size_t>(page.offset, count);
  const size_t end = std::min<size_t>(begin + page.limit, count);
  for (size_t i = begin; i < end; ++i) items.push_back(item(i));
  return {{key, items},
          {"limit", page.limit},
          {"offset", page.offset},
          {"more", end < count},
          {"total", page.total ? nlohmann::json(count) : nlohmann::json(nullptr)}};
}

absl::StatusOr<bool> BoolParam(const httplib::Request& req,
                               const std::string& name, bool fallback) {
  if (!req.has_param(name.c_str())) return fallback;
  const std::string value = req.get_param_value(name.c_str());
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  return InvalidInput(absl::StrCat(name, " must be true, false, 1 or 0, got \"",
                                   value, "\""));
}

std::vector<std::string> ArrayParam(const httplib::Request& req,
                                    const std::string& name_with_brackets) {
  std::vector<std::string> values;
  const std::string bare =
      name_with_brackets.substr(0, name_with_brackets.size() - 2);
  for (const std::string& name : {name_with_brackets, bare}) {
    const size_t n = req.get_param_value_count(name.c_str());
    for (size_t i = 0; i < n; ++i) {
      values.push_back(req.get_param_value(name.c_str(), i));
    }
  }
  return values;
}

std::set<std::string> Includes(const httplib::Request& req) {
  std::vector<std::string> values = ArrayParam(req, "include[]");
  return {values.begin(), values.end()};
}

absl::StatusOr<nlohmann::json> JsonBody(const httplib::Request& req) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return InvalidInput("The request body must be a JSON object");
  }
  return body;
}

}  // namespace ferry::pagerduty_sim
