#include "tests/seam/ledger_connector.h"

#include <cinttypes>
#include <map>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "engine/config/system_options.h"
#include "mapping/query_dialect.h"
#include "tests/seam/ledger_options.pb.h"
#include "tests/seam/ledger_store.h"

namespace ferry::seam {
namespace {

using engine::ChangePage;
using engine::CreateRequest;
using engine::EntityRef;

constexpr char kUrlScheme[] = "ledger://";

// Lookups are `Field == 'value'`; a quote inside a value is doubled, as
// SQL does, so a value cannot end its string.
class LedgerDialect : public mapping::QueryDialect {
 public:
  std::string EscapeValue(absl::string_view value) const override {
    return absl::StrReplaceAll(value, {{"'", "''"}});
  }
  std::string DecodeValue(absl::string_view written) const override {
    return std::string(written);
  }
  bool FerryParsesQueries() const override { return false; }
};

mapping::SystemSchema LedgerSchema() {
  using mapping::FieldType;
  using mapping::Writability;
  mapping::SystemSchema schema;
  schema.kind = "ledger";
  schema.fields = {
      {"Key", FieldType::kText, Writability::kReadOnly, 0, {}, "set by the ledger"},
      {"Subject", FieldType::kText, Writability::kWritable, 120, {}, ""},
      {"State", FieldType::kLookup, Writability::kWritable, 0, {"open", "closed"}, ""},
      {"Owner", FieldType::kUser, Writability::kWritable, 0, {}, ""},
  };
  schema.status_field = "State";
  schema.query_dialect = std::make_shared<LedgerDialect>();
  schema.comment_kinds = {"remark"};
  return schema;
}

config::SystemOptionsSpec LedgerOptionsSpec() {
  config::SystemOptionsSpec spec;
  spec.prototype = std::make_shared<LedgerOptions>();
  return spec;
}

// Positions are the ledger's revision, zero-padded so they sort.
ferry::v1::SourcePosition PositionOf(int64_t revision, const ferry::v1::Entity& entity) {
  ferry::v1::SourcePosition position;
  *position.mutable_time() = entity.updated_at();
  position.set_tie_breaker(absl::StrFormat("%020" PRId64, revision));
  return position;
}

int64_t RevisionOf(const std::optional<ferry::v1::SourcePosition>& position) {
  int64_t revision = 0;
  if (position.has_value()) absl::SimpleAtoi(position->tie_breaker(), &revision);
  return revision;
}

EntityRef RefOf(const ferry::v1::Entity& entity) {
  return {entity.id(), entity.display_key(), absl::StrCat(kUrlScheme, entity.id())};
}

class LedgerReader : public engine::ChangeReader {
 public:
  LedgerReader(LedgerStore& store, std::string system, std::string me, int page_size,
               engine::ReaderOptions options)
      : store_(store), system_(std::move(system)), me_(std::move(me)),
        page_size_(page_size), options_(std::move(options)) {}

  absl::StatusOr<ChangePage> ReadChanges(const std::optional<ferry::v1::SourcePosition>& after,
                                         int max_changes) override {
    if (page_size_ > 0 && page_size_ < max_changes) max_changes = page_size_;
    ChangePage page;
    for (const LedgerWrite& write : store_.WritesAfter(RevisionOf(after))) {
      if (static_cast<int>(page.changes.size()) >= max_changes) {
        page.more = true;
        break;
      }
      const std::optional<LedgerEntry> entry = store_.Get(write.entry_id);
      if (!entry.has_value() || entry->entity.project() != options_.project) continue;
      page.scanned_to = PositionOf(write.revision, entry->entity);
      if (write.by == me_) continue;  // Ferry's own write: no echo
      ferry::v1::ChangeEvent event;
      event.set_change_id(absl::StrCat(write.entry_id, "@", write.revision));
      event.set_integration(options_.integration);
      *event.mutable_position() = *page.scanned_to;
      *event.mutable_entity() = entry->entity;
      event.mutable_entity()->set_system(system_);
      event.mutable_entity()->set_url(RefOf(entry->entity).url);
      event.mutable_entity()->clear_comments();
      for (const ferry::v1::Comment& remark : entry->entity.comments()) {
        if (remark.author().id() != me_) *event.mutable_entity()->add_comments() = remark;
      }
      for (const ferry::v1::FieldChange& change : write.changes) *event.add_changes() = change;
      event.set_created(write.created && entry->origin.empty());
      page.changes.push_back(std::move(event));
    }
    return page;
  }

 private:
  LedgerStore& store_;
  const std::string system_;
  const std::string me_;
  const int page_size_;
  const engine::ReaderOptions options_;
};

std::map<std::string, ferry::v1::FieldValue> ToMap(const std::vector<ferry::v1::FieldWrite>& writes) {
  std::map<std::string, ferry::v1::FieldValue> fields;
  for (const ferry::v1::FieldWrite& write : writes) fields[write.target_field()] = write.value();
  return fields;
}

class LedgerWriter : public engine::EntityWriter {
 public:
  LedgerWriter(LedgerStore& store, ferry::v1::UserRef me, std::string key_prefix)
      : store_(store), me_(std::move(me)), key_prefix_(std::move(key_prefix)) {}

  // `Field == 'value'`, as LedgerDialect writes it.
  absl::StatusOr<std::vector<EntityRef>> Lookup(const std::string& project,
                                                const std::string& query) override {
    const size_t eq = query.find("==");
    absl::string_view value =
        eq == std::string::npos ? "" : absl::StripAsciiWhitespace(query.substr(eq + 2));
    if (eq == std::string::npos || !absl::ConsumePrefix(&value, "'") ||
        !absl::ConsumeSuffix(&value, "'")) {
      return absl::InvalidArgumentError(
          absl::StrCat("ledger lookup '", query, "' is not Field == 'value'"));
    }
    const std::string field(absl::StripAsciiWhitespace(query.substr(0, eq)));
    const std::string wanted = absl::StrReplaceAll(value, {{"''", "'"}});
    std::vector<EntityRef> found;
    for (const LedgerEntry& entry : store_.Entries(project)) {
      const auto it = entry.entity.fields().find(field);
      if (it != entry.entity.fields().end() && it->second.text() == wanted) {
        found.push_back(RefOf(entry.entity));
      }
    }
    return found;
  }

  absl::StatusOr<std::optional<EntityRef>> FindByOrigin(const std::string& project,
                                                        const std::string& origin) override {
    for (const LedgerEntry& entry : store_.Entries(project)) {
      if (entry.origin == origin) return RefOf(entry.entity);
    }
    return std::nullopt;
  }

  absl::StatusOr<EntityRef> Create(const CreateRequest& request) override {
    return RefOf(store_.Create(request.project, request.type, ToMap(request.fields), me_,
                               request.origin, key_prefix_));
  }

  absl::Status Update(const EntityRef& entity,
                      const std::vector<ferry::v1::FieldWrite>& fields) override {
    return store_.SetFields(entity.id, ToMap(fields), me_);
  }

  absl::StatusOr<ferry::v1::Entity> Get(const EntityRef& entity) override {
    const std::optional<LedgerEntry> entry = store_.Get(entity.id);
    if (!entry.has_value()) return absl::NotFoundError(absl::StrCat("no ledger entry ", entity.id));
    return entry->entity;
  }

  absl::StatusOr<std::string> AddComment(const EntityRef& entity,
                                         const ferry::v1::CommentWrite& comment,
                                         const std::string& origin) override {
    return store_.AddRemark(entity.id, comment.body(), me_, origin);
  }

  absl::StatusOr<std::optional<std::string>> FindComment(const EntityRef& entity,
                                                         const std::string& origin) override {
    const std::optional<LedgerEntry> entry = store_.Get(entity.id);
    if (!entry.has_value()) return absl::NotFoundError(absl::StrCat("no ledger entry ", entity.id));
    for (const auto& [id, remark_origin] : entry->remark_origins) {
      if (remark_origin == origin) return id;
    }
    return std::nullopt;
  }

 private:
  LedgerStore& store_;
  const ferry::v1::UserRef me_;
  const std::string key_prefix_;
};

class LedgerConnector : public engine::Connector {
 public:
  LedgerConnector(LedgerStore& store, std::string system, ferry::v1::UserRef me,
                  LedgerOptions options)
      : store_(store), system_(std::move(system)), me_(std::move(me)),
        options_(std::move(options)) {}

  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>& projects) override {
    ferry::v1::CheckSystemResponse response;
    response.set_ok(true);
    *response.mutable_user() = me_;
    for (const std::string& project : projects) {
      response.add_capabilities(absl::StrCat("read and write ", project, ": ok"));
    }
    return response;
  }

  absl::StatusOr<std::unique_ptr<engine::ChangeReader>> NewReader(
      const engine::ReaderOptions& options) override {
    return std::make_unique<LedgerReader>(store_, system_, me_.id(),
                                          static_cast<int>(options_.page_size()), options);
  }

  absl::StatusOr<std::unique_ptr<engine::EntityWriter>> NewWriter(const std::string&) override {
    return std::make_unique<LedgerWriter>(store_, me_, options_.key_prefix());
  }

 private:
  LedgerStore& store_;
  const std::string system_;
  const ferry::v1::UserRef me_;
  const LedgerOptions options_;
};

absl::StatusOr<std::unique_ptr<engine::Connector>> MakeLedgerConnector(
    const ferry::v1::SystemConfig& system, const std::string&, const engine::ConnectorContext&) {
  absl::string_view name = system.url();
  if (!absl::ConsumePrefix(&name, kUrlScheme) || name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "system '", system.name(), "': url '", system.url(), "' is not ledger://NAME"));
  }
  LedgerOptions options;
  if (absl::Status unpacked = config::UnpackSystemOptions(system, &options); !unpacked.ok()) {
    return unpacked;
  }
  ferry::v1::UserRef me;
  me.set_id(system.user_email().empty() ? "ferry" : system.user_email());
  return std::make_unique<LedgerConnector>(LedgerStore::Named(std::string(name)), system.name(),
                                           std::move(me), std::move(options));
}

const engine::SystemRegistration kRegistration(LedgerDescriptor());

}  // namespace

engine::SystemDescriptor LedgerDescriptor() {
  return {LedgerSchema(), LedgerOptionsSpec(), &MakeLedgerConnector};
}

}  // namespace ferry::seam
