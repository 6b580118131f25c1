#include "engine/connector/registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"

namespace ferry::engine {
namespace {

struct Registry {
  absl::Mutex mu;
  std::map<std::string, ConnectorFactory, std::less<>> factories
      ABSL_GUARDED_BY(mu);
};

Registry& GetRegistry() {
  static Registry* const registry = new Registry();
  return *registry;
}

}  // namespace

void ConnectorRegistry::Register(SystemDescriptor descriptor) {
  const std::string kind = descriptor.schema.kind;
  if (kind.empty() || !descriptor.factory) {
    std::fprintf(stderr, "system descriptor '%s' needs a kind and a factory\n", kind.c_str());
    std::abort();
  }
  {
    Registry& registry = GetRegistry();
    absl::MutexLock lock(&registry.mu);
    if (!registry.factories.emplace(kind, std::move(descriptor.factory)).second) {
      std::fprintf(stderr, "connector kind '%s' is registered twice\n", kind.c_str());
      std::abort();
    }
  }
  if (descriptor.options.prototype != nullptr) {
    config::RegisterSystemOptions(kind, std::move(descriptor.options));
  }
  mapping::RegisterSystemSchema(std::move(descriptor.schema));
}

absl::StatusOr<std::unique_ptr<Connector>> ConnectorRegistry::Create(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const ConnectorContext& context) {
  ConnectorFactory factory;
  {
    Registry& registry = GetRegistry();
    absl::MutexLock lock(&registry.mu);
    auto it = registry.factories.find(system.kind());
    if (it == registry.factories.end()) {
      std::vector<std::string> kinds;
      for (const auto& [kind, unused] : registry.factories) {
        kinds.push_back(kind);
      }
      return absl::NotFoundError(absl::StrCat(
          "system '", system.name(), "': no connector of kind '",
          system.kind(), "'; this ferryd has ", absl::StrJoin(kinds, ", ")));
    }
    factory = it->second;
  }
  return factory(system, secret, context);
}

std::vector<std::string> ConnectorRegistry::Kinds() {
  Registry& registry = GetRegistry();
  absl::MutexLock lock(&registry.mu);
  std::vector<std::string> kinds;
  for (const auto& [kind, unused] : registry.factories) kinds.push_back(kind);
  return kinds;
}

}  // namespace ferry::engine
