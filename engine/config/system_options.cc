#include "engine/config/system_options.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace ferry::config {
namespace {

// Specs by kind. Entries are never removed, so pointers stay valid.
struct SpecTable {
  absl::Mutex mu;
  std::map<std::string, std::unique_ptr<const SystemOptionsSpec>, std::less<>> by_kind
      ABSL_GUARDED_BY(mu);
};

SpecTable& Specs() {
  static SpecTable* const table = new SpecTable();
  return *table;
}

}  // namespace

void RegisterSystemOptions(absl::string_view kind, SystemOptionsSpec spec) {
  if (spec.prototype == nullptr) {
    std::fprintf(stderr, "system options of '%s' have no prototype\n",
                 std::string(kind).c_str());
    std::abort();
  }
  SpecTable& table = Specs();
  absl::MutexLock lock(&table.mu);
  if (!table.by_kind
           .emplace(std::string(kind), std::make_unique<const SystemOptionsSpec>(std::move(spec)))
           .second) {
    std::fprintf(stderr, "system options of '%s' are registered twice\n",
                 std::string(kind).c_str());
    std::abort();
  }
}

const SystemOptionsSpec* FindSystemOptions(absl::string_view kind) {
  SpecTable& table = Specs();
  absl::MutexLock lock(&table.mu);
  const auto it = table.by_kind.find(kind);
  return it == table.by_kind.end() ? nullptr : it->second.get();
}

absl::Status UnpackSystemOptions(const ferry::v1::SystemConfig& system,
                                 google::protobuf::Message* options) {
  if (!system.has_typed_options()) {
    if (system.options().empty()) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "system '", system.name(), "': its options are in the untyped options map, which ",
        "is no longer read; load the config with the config loader, which reads the ",
        "options: block into typed_options"));
  }
  if (!system.typed_options().UnpackTo(options)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "system '", system.name(), "': typed_options holds ", system.typed_options().type_url(),
        ", not the ", options->GetDescriptor()->full_name(), " a ", system.kind(),
        " system takes"));
  }
  return absl::OkStatus();
}

}  // namespace ferry::config
