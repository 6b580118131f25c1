#include "connectors/fake/fake_connector.h"

#include <cinttypes>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "connectors/fake/fake_system.h"
#include "connectors/query/url_query_dialect.h"
#include "engine/connector/registry.h"
#include "mapping/system_schema.h"

namespace ferry::fake {
namespace {

using ferry::engine::ChangePage;
using ferry::engine::ChangeReader;
using ferry::engine::CreateRequest;
using ferry::engine::EntityRef;
using ferry::engine::EntityWriter;
using ferry::engine::ReaderOptions;

// Positions are the system-wide revision, zero-padded so they sort.
ferry::v1::SourcePosition PositionOf(const FakeEntity& record) {
  ferry::v1::SourcePosition position;
  *position.mutable_time() = record.entity().updated_at();
  position.set_tie_breaker(absl::StrFormat("%020" PRId64, record.revision()));
  return position;
}

int64_t RevisionOf(const std::optional<ferry::v1::SourcePosition>& position) {
  int64_t revision = 0;
  if (position.has_value()) {
    absl::SimpleAtoi(position->tie_breaker(), &revision);
  }
  return revision;
}

EntityRef RefOf(const ferry::v1::Entity& entity) {
  return EntityRef{entity.id(), entity.display_key(),
                   absl::StrCat("fake://", entity.id())};
}

class FakeReader : public ChangeReader {
 public:
  FakeReader(FakeSystem system, std::string system_name, std::string me,
             ReaderOptions options)
      : system_(std::move(system)),
        system_name_(std::move(system_name)),
        me_(std::move(me)),
        options_(std::move(options)) {}

  absl::StatusOr<ChangePage> ReadChanges(
      const std::optional<ferry::v1::SourcePosition>& after,
      int max_changes) override {
    const int64_t since =
        RevisionOf(after.has_value() ? after : options_.start);
    auto records = system_.ChangedAfter(options_.project, since);
    if (!records.ok()) return records.status();
    ChangePage page;
    for (const FakeEntity& record : *records) {
      if (static_cast<int>(page.changes.size()) >= max_changes) {
        page.more = true;
        break;
      }
      page.scanned_to = PositionOf(record);
      ferry::v1::ChangeEvent event;
      if (!OthersChanged(record, since, &event)) continue;  // Our own echo.
      event.set_change_id(
          absl::StrCat(record.entity().id(), "@", record.revision()));
      event.set_integration(options_.integration);
      *event.mutable_position() = PositionOf(record);
      page.changes.push_back(std::move(event));
    }
    return page;
  }

 private:
  // Fills `event` with what people other than the integration user did
  // after `since`; false when there is nothing.
  bool OthersChanged(const FakeEntity& record, int64_t since,
                     ferry::v1::ChangeEvent* event) const {
    ferry::v1::Entity& entity = *event->mutable_entity();
    entity = record.entity();
    entity.set_system(system_name_);
    entity.clear_comments();
    entity.set_comments_complete(false);
    bool any = false;
    for (const auto& comment : record.entity().comments()) {
      if (comment.author().id() == me_) continue;
      *entity.add_comments() = comment;
      auto revision = record.comment_revisions().find(comment.id());
      any |= revision != record.comment_revisions().end() &&
             revision->second > since;
    }
    for (const FakeChange& change : record.history()) {
      if (change.revision() <= since ||
          change.change().changed_by().id() == me_) {
        continue;
      }
      *event->add_changes() = change.change();
      any = true;
    }
    // Ferry creates with an origin marker; people create without one.
    event->set_created(record.created_revision() > since &&
                       record.origin().empty());
    return any || event->created();
  }

  FakeSystem system_;
  std::string system_name_;
  std::string me_;
  ReaderOptions options_;
};

class FakeWriter : public EntityWriter {
 public:
  FakeWriter(FakeSystem system, ferry::v1::UserRef me)
      : system_(std::move(system)), me_(std::move(me)) {}

  absl::StatusOr<std::vector<EntityRef>> Lookup(
      const std::string& project, const std::string& query) override {
    std::vector<std::string> parts = absl::StrSplit(query, absl::MaxSplits('=', 1));
    if (parts.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "fake lookup query '", query, "' is not of the form Field=value"));
    }
    // Values arrive escaped by the fake system's dialect.
    const std::string wanted = ferry::query::UrlQueryDialect().DecodeValue(parts[1]);
    return Find(project, [&](const FakeEntity& record) {
      auto it = record.entity().fields().find(parts[0]);
      return it != record.entity().fields().end() &&
             it->second.text() == wanted;
    });
  }

  absl::StatusOr<std::optional<EntityRef>> FindByOrigin(
      const std::string& project, const std::string& origin) override {
    auto found = Find(project, [&](const FakeEntity& record) {
      return record.origin() == origin;
    });
    if (!found.ok()) return found.status();
    if (found->empty()) return std::nullopt;
    return found->front();
  }

  absl::StatusOr<EntityRef> Create(const CreateRequest& request) override {
    auto entity = system_.Create(request.project, request.type,
                                 ToMap(request.fields), me_, request.origin);
    if (!entity.ok()) return entity.status();
    return RefOf(*entity);
  }

  absl::Status Update(
      const EntityRef& entity,
      const std::vector<ferry::v1::FieldWrite>& fields) override {
    return system_.SetFields(entity.id, ToMap(fields), me_).status();
  }

  absl::StatusOr<ferry::v1::Entity> Get(const EntityRef& entity) override {
    auto record = system_.Get(entity.id);
    if (!record.ok()) return record.status();
    return record->entity();
  }

  absl::StatusOr<std::string> AddComment(
      const EntityRef& entity, const ferry::v1::CommentWrite& comment,
      const std::string& origin) override {
    return system_.AddComment(entity.id, comment.body(), me_, origin);
  }

  absl::StatusOr<std::optional<std::string>> FindComment(
      const EntityRef& entity, const std::string& origin) override {
    auto record = system_.Get(entity.id);
    if (!record.ok()) return record.status();
    for (const auto& [id, comment_origin] : record->comment_origins()) {
      if (comment_origin == origin) return id;
    }
    return std::nullopt;
  }

 private:
  template <typename Predicate>
  absl::StatusOr<std::vector<EntityRef>> Find(const std::string& project,
                                              Predicate matches) {
    auto records = system_.ChangedAfter(project, 0);
    if (!records.ok()) return records.status();
    std::vector<EntityRef> found;
    for (const FakeEntity& record : *records) {
      if (matches(record)) found.push_back(RefOf(record.entity()));
    }
    return found;
  }

  static std::map<std::string, ferry::v1::FieldValue> ToMap(
      const std::vector<ferry::v1::FieldWrite>& fields) {
    std::map<std::string, ferry::v1::FieldValue> map;
    for (const auto& field : fields) map[field.target_field()] = field.value();
    return map;
  }

  FakeSystem system_;
  ferry::v1::UserRef me_;
};

class FakeConnector : public ferry::engine::Connector {
 public:
  FakeConnector(FakeSystem system, std::string name, ferry::v1::UserRef me)
      : system_(std::move(system)), name_(std::move(name)), me_(std::move(me)) {}

  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>& projects) override {
    ferry::v1::CheckSystemResponse response;
    response.set_ok(true);
    *response.mutable_user() = me_;
    response.set_role("owner");
    for (const auto& project : projects) {
      response.add_capabilities(
          absl::StrCat("read and write project ", project, ": ok"));
    }
    return response;
  }

  absl::StatusOr<std::unique_ptr<ChangeReader>> NewReader(
      const ReaderOptions& options) override {
    return std::make_unique<FakeReader>(system_, name_, me_.id(), options);
  }

  absl::StatusOr<std::unique_ptr<EntityWriter>> NewWriter(
      const std::string&) override {
    return std::make_unique<FakeWriter>(system_, me_);
  }

 private:
  FakeSystem system_;
  std::string name_;
  ferry::v1::UserRef me_;
};

// The fields the fake system offers mappings, like a small issue tracker.
ferry::mapping::SystemSchema FakeSchema() {
  using ferry::mapping::FieldType;
  using ferry::mapping::Writability;
  ferry::mapping::SystemSchema schema;
  schema.kind = "fake";
  schema.fields = {
      {"Key", FieldType::kText, Writability::kReadOnly, 0, {}, "set by the system"},
      {"Title", FieldType::kText, Writability::kWritable, 255, {}, ""},
      {"Description", FieldType::kText, Writability::kWritable, 0, {}, ""},
      {"Status", FieldType::kLookup, Writability::kWritable, 0,
       {"open", "in_progress", "done"}, ""},
      {"Priority", FieldType::kLookup, Writability::kWritable, 0, {}, ""},
      {"Assignee", FieldType::kUser, Writability::kWritable, 0, {}, ""},
  };
  schema.status_field = "Status";
  // Criteria on the fake system are written as URL query parameters.
  schema.query_dialect = std::make_shared<ferry::query::UrlQueryDialect>();
  schema.comment_kinds = {"comment"};
  return schema;
}

// The fake system goes through the same seam as every real one. It takes
// no options: its directory is its url.
const ferry::engine::SystemRegistration kRegistration(
    {FakeSchema(), {}, [](const ferry::v1::SystemConfig& system, const std::string&,
                          const ferry::engine::ConnectorContext&) {
       return MakeFakeConnector(system);
     }});

}  // namespace

absl::StatusOr<std::unique_ptr<ferry::engine::Connector>> MakeFakeConnector(
    const ferry::v1::SystemConfig& system) {
  std::string dir = system.url();
  if (absl::StartsWith(dir, "file://")) dir = dir.substr(7);
  auto opened = FakeSystem::Open(dir);
  if (!opened.ok()) return opened.status();
  ferry::v1::UserRef me;
  me.set_id(system.user_email().empty() ? "ferry" : system.user_email());
  me.set_name("Ferry");
  return std::make_unique<FakeConnector>(*std::move(opened), system.name(),
                                         std::move(me));
}

}  // namespace ferry::fake
