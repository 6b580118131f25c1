#include "tools/simcore/testing/readme_example.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace ferry::simcore {

absl::StatusOr<nlohmann::json> ReadmeJsonExample(const std::string& path,
                                                 absl::string_view heading) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  enum { kBeforeHeading, kBeforeBlock, kInBlock } where = kBeforeHeading;
  std::string block;
  for (std::string line; std::getline(in, line);) {
    if (where == kBeforeHeading && line == heading) {
      where = kBeforeBlock;
    } else if (where == kBeforeBlock && line == "```json") {
      where = kInBlock;
    } else if (where == kInBlock) {
      if (line == "```") {
        nlohmann::json parsed = nlohmann::json::parse(block, nullptr, false);
        if (parsed.is_discarded()) {
          return absl::InvalidArgumentError(absl::StrCat(
              path, ": the json block under '", heading, "' is not valid JSON"));
        }
        return parsed;
      }
      absl::StrAppend(&block, line, "\n");
    }
  }
  return absl::NotFoundError(absl::StrCat(path, ": no complete ```json block under '",
                                          heading, "'"));
}

}  // namespace ferry::simcore
