#include "tools/bench/pipeline/null_connector.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "mapping/system_schema.h"

namespace ferry::bench {

std::atomic<int64_t> NullCounters::remaining{0};
std::atomic<int64_t> NullCounters::created{0};
absl::Notification* NullCounters::hold_creates = nullptr;

namespace {

using ferry::engine::ChangePage;
using ferry::engine::EntityRef;

class NullReader : public ferry::engine::ChangeReader {
 public:
  NullReader(std::string system, std::string project)
      : system_(std::move(system)), project_(std::move(project)) {}

  absl::StatusOr<ChangePage> ReadChanges(
      const std::optional<ferry::v1::SourcePosition>&, int max_changes) override {
    ChangePage page;
    for (int i = 0; i < max_changes; ++i) {
      if (NullCounters::remaining.fetch_sub(1) <= 0) {
        NullCounters::remaining.fetch_add(1);
        break;
      }
      const int64_t n = ++next_;
      ferry::v1::ChangeEvent change;
      change.set_change_id(absl::StrCat("N", n));
      change.set_created(true);
      auto* entity = change.mutable_entity();
      entity->set_system(system_);
      entity->set_project(project_);
      entity->set_id(absl::StrCat("N", n));
      entity->set_display_key(absl::StrCat(project_, "-", n));
      (*entity->mutable_fields())["Title"].set_text(absl::StrCat("incident ", n));
      change.mutable_position()->set_tie_breaker(absl::StrCat(n));
      page.changes.push_back(std::move(change));
    }
    page.more = NullCounters::remaining.load() > 0;
    return page;
  }

 private:
  std::string system_;
  std::string project_;
  int64_t next_ = 0;
};

class NullWriter : public ferry::engine::EntityWriter {
 public:
  absl::StatusOr<std::vector<EntityRef>> Lookup(const std::string&,
                                                const std::string&) override {
    return std::vector<EntityRef>();
  }
  absl::StatusOr<std::optional<EntityRef>> FindByOrigin(const std::string&,
                                                        const std::string&) override {
    return std::nullopt;
  }
  absl::StatusOr<EntityRef> Create(const ferry::engine::CreateRequest&) override {
    if (NullCounters::hold_creates != nullptr) {
      NullCounters::hold_creates->WaitForNotification();
    }
    const int64_t n = ++NullCounters::created;
    return EntityRef{absl::StrCat("T", n), absl::StrCat("T-", n), ""};
  }
  absl::Status Update(const EntityRef&, const std::vector<ferry::v1::FieldWrite>&) override {
    return absl::OkStatus();
  }
  absl::StatusOr<ferry::v1::Entity> Get(const EntityRef& entity) override {
    ferry::v1::Entity found;
    found.set_id(entity.id);
    return found;
  }
  absl::StatusOr<std::string> AddComment(const EntityRef&, const ferry::v1::CommentWrite&,
                                         const std::string&) override {
    return std::string("C");
  }
  absl::StatusOr<std::optional<std::string>> FindComment(const EntityRef&,
                                                         const std::string&) override {
    return std::nullopt;
  }
};

class NullConnector : public ferry::engine::Connector {
 public:
  explicit NullConnector(std::string name) : name_(std::move(name)) {}
  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>&) override {
    ferry::v1::CheckSystemResponse response;
    response.set_ok(true);
    return response;
  }
  absl::StatusOr<std::unique_ptr<ferry::engine::ChangeReader>> NewReader(
      const ferry::engine::ReaderOptions& options) override {
    return std::make_unique<NullReader>(name_, options.project);
  }
  absl::StatusOr<std::unique_ptr<ferry::engine::EntityWriter>> NewWriter(
      const std::string&) override {
    return std::make_unique<NullWriter>();
  }

 private:
  std::string name_;
};

ferry::engine::SystemDescriptor Descriptor() {
  ferry::engine::SystemDescriptor descriptor;
  descriptor.schema.kind = "blackhole";
  descriptor.schema.fields = {{"Title", ferry::mapping::FieldType::kText,
                               ferry::mapping::Writability::kWritable, 0, {}, ""}};
  descriptor.schema.comment_kinds = {"comment"};
  descriptor.factory = [](const ferry::v1::SystemConfig& system, const std::string&,
                          const ferry::engine::ConnectorContext&) {
    return absl::StatusOr<std::unique_ptr<ferry::engine::Connector>>(
        std::make_unique<NullConnector>(system.name()));
  };
  return descriptor;
}

const ferry::engine::SystemRegistration kRegistration(Descriptor());

}  // namespace
absl::StatusOr<ferry::v1::FerryConfig> BlackholeConfig(const std::string& integration) {
  const std::string yaml = absl::StrReplaceAll(R"(
systems:
  - {name: src, kind: blackhole, url: "blackhole://src", token: {env: PATH}}
  - {name: dst, kind: blackhole, url: "blackhole://dst", token: {env: PATH}}
mappings:
  - {name: m, source_type: Task, target_type: Task, fields: [{source: Title, target: Title}]}
integrations:
  - {name: @NAME@, source: {system: src, projects: [SRC]}, target: {system: dst, projects: [DST]}, mapping: m, poll_interval: 60s}
)", {{"@NAME@", integration}});
  config::ValidationOptions validation;
  validation.system_kinds = {"blackhole"};
  auto loaded = config::LoadConfigText(yaml, "blackhole.yaml", validation);
  if (!loaded.ok()) {
    return absl::InvalidArgumentError(config::FormatProblem(loaded.problems[0]));
  }
  return loaded.config;
}

}  // namespace ferry::bench
