#include "tools/servicenow_sim/seed.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "tools/servicenow_sim/record_json.h"

namespace ferry::servicenow_sim {

absl::Status LoadSeed(const nlohmann::json& seed, Store& store,
                      const std::string& now) {
  if (!seed.is_object()) {
    return absl::InvalidArgumentError(
        "a seed is a JSON object: {\"<table>\": [rows...]}");
  }
  for (const auto& [table, rows] : seed.items()) {
    if (!rows.is_array()) {
      return absl::InvalidArgumentError(
          absl::StrCat("seed table ", table, ": give an array of rows"));
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      absl::StatusOr<Record> row = RecordFromJson(rows[i]);
      absl::Status status =
          row.ok() ? store.Seed(table, *std::move(row), now).status()
                   : row.status();
      if (!status.ok()) {
        return absl::Status(status.code(),
                            absl::StrCat("seed ", table, "[", i, "]: ",
                                         status.message()));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status LoadSeedFile(const std::string& path, Store& store,
                          const std::string& now) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read seed file ", path, ": check the path"));
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json seed = nlohmann::json::parse(text.str(), nullptr, false);
  if (seed.is_discarded()) {
    return absl::InvalidArgumentError(
        absl::StrCat("seed file ", path, " is not valid JSON"));
  }
  return LoadSeed(seed, store, now);
}

}  // namespace ferry::servicenow_sim
