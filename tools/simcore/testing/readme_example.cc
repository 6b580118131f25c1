#include "tools/simcore/testing/readme_example.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace ferry::simcore {

absl::StatusOr<std::string> ReadmeFencedBlock(const std::string& path,
                                              absl::string_view heading,
                                              absl::string_view language) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  const std::string opening = absl::StrCat("```", language);
  enum { kBeforeHeading, kBeforeBlock, kInBlock } where = kBeforeHeading;
  std::string block;
  for (std::string line; std::getline(in, line);) {
    if (where == kBeforeHeading && line == heading) {
      where = kBeforeBlock;
    } else if (where == kBeforeBlock && line == opening) {
      where = kInBlock;
    } else if (where == kInBlock) {
      if (line == "```") return block;
      absl::StrAppend(&block, line, "\n");
    }
  }
  return absl::NotFoundError(absl::StrCat(path, ": no complete ", opening,
                                          " block under '", heading, "'"));
}

absl::StatusOr<nlohmann::json> ReadmeJsonExample(const std::string& path,
                                                 absl::string_view heading) {
  auto block = ReadmeFencedBlock(path, heading, "json");
  if (!block.ok()) return block.status();
  nlohmann::json parsed = nlohmann::json::parse(*block, nullptr, false);
  if (parsed.is_discarded()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the json block under '", heading, "' is not valid JSON"));
  }
  return parsed;
}

}  // namespace ferry::simcore
