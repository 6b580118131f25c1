#include "tools/bench/e2e/request_counter.h"

#include <cctype>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace ferry::bench {
namespace {

std::string Shape(const std::string& method, const std::string& path, int status) {
  std::vector<std::string> segments = absl::StrSplit(path, '/');
  for (auto& segment : segments) {
    if (segment.size() < 2) continue;  // an API version such as /rest/api/2
    for (const char c : segment) {
      if (std::isdigit(static_cast<unsigned char>(c))) {
        segment = "{id}";
        break;
      }
    }
  }
  std::string shape = method + " " + absl::StrJoin(segments, "/");
  if (status / 100 != 2) absl::StrAppend(&shape, " -> ", status);
  return shape;
}

}  // namespace

void RequestCounter::Attach(simcore::SimServer& server) {
  server.http().set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    if (absl::StartsWith(req.path, simcore::kAdminPrefix) || req.has_header(kPersonHeader)) {
      return;
    }
    const std::string shape = Shape(req.method, req.path, res.status);
    absl::MutexLock lock(&mu_);
    ++by_shape_[shape];
  });
}

int64_t RequestCounter::Total() const {
  absl::MutexLock lock(&mu_);
  int64_t total = 0;
  for (const auto& [shape, count] : by_shape_) total += count;
  return total;
}

std::map<std::string, int64_t> RequestCounter::ByShape() const {
  absl::MutexLock lock(&mu_);
  return by_shape_;
}

void RequestCounter::Reset() {
  absl::MutexLock lock(&mu_);
  by_shape_.clear();
}

}  // namespace ferry::bench
