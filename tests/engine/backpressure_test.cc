// Backpressure through the whole embedded pipeline: a writer that stalls
// keeps the reader's reads, and so its memory, bounded by the writer's
// window, however long the stall; once the writer moves, so does the rest.
#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "engine/ferryd/pipeline.h"
#include "gtest/gtest.h"
#include "mapping/system_schema.h"

namespace ferry::engine {
namespace {

constexpr int kBatch = 10;
constexpr int kWindow = 2;

// What the "stalling" connectors share with the test.
struct Stall {
  static std::atomic<int64_t> produced;
  static std::atomic<int64_t> created;
  // Creates block until this is notified.
  static absl::Notification* release;
};
std::atomic<int64_t> Stall::produced{0};
std::atomic<int64_t> Stall::created{0};
absl::Notification* Stall::release = nullptr;

// An endless source of new entities.
class EndlessReader : public ChangeReader {
 public:
  explicit EndlessReader(std::string system) : system_(std::move(system)) {}
  absl::StatusOr<ChangePage> ReadChanges(
      const std::optional<ferry::v1::SourcePosition>&, int max_changes) override {
    ChangePage page;
    for (int i = 0; i < max_changes; ++i) {
      const int64_t n = ++Stall::produced;
      ferry::v1::ChangeEvent change;
      change.set_change_id(absl::StrCat("c", n));
      change.set_created(true);
      auto* entity = change.mutable_entity();
      entity->set_system(system_);
      entity->set_project("SRC");
      entity->set_id(absl::StrCat("E", n));
      (*entity->mutable_fields())["Title"].set_text(std::string(1000, 'x'));
      change.mutable_position()->set_tie_breaker(absl::StrCat(n));
      page.changes.push_back(std::move(change));
    }
    page.more = true;
    return page;
  }

 private:
  std::string system_;
};

// A target whose creates wait for Stall::release.
class StallingWriter : public EntityWriter {
 public:
  absl::StatusOr<std::vector<EntityRef>> Lookup(const std::string&,
                                                const std::string&) override {
    return std::vector<EntityRef>();
  }
  absl::StatusOr<std::optional<EntityRef>> FindByOrigin(const std::string&,
                                                        const std::string&) override {
    return std::nullopt;
  }
  absl::StatusOr<EntityRef> Create(const CreateRequest&) override {
    Stall::release->WaitForNotification();
    const int64_t n = ++Stall::created;
    return EntityRef{absl::StrCat("T", n), absl::StrCat("T-", n), ""};
  }
  absl::Status Update(const EntityRef&, const std::vector<ferry::v1::FieldWrite>&) override {
    return absl::OkStatus();
  }
  absl::StatusOr<ferry::v1::Entity> Get(const EntityRef&) override {
    return ferry::v1::Entity();
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

class StallingConnector : public Connector {
 public:
  explicit StallingConnector(std::string name) : name_(std::move(name)) {}
  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>&) override {
    return ferry::v1::CheckSystemResponse();
  }
  absl::StatusOr<std::unique_ptr<ChangeReader>> NewReader(const ReaderOptions&) override {
    return std::make_unique<EndlessReader>(name_);
  }
  absl::StatusOr<std::unique_ptr<EntityWriter>> NewWriter(const std::string&) override {
    return std::make_unique<StallingWriter>();
  }

 private:
  std::string name_;
};

const ConnectorRegistration kRegistration(
    "stalling", [](const ferry::v1::SystemConfig& system, const std::string&,
                   const ConnectorContext&) {
      return absl::StatusOr<std::unique_ptr<Connector>>(
          std::make_unique<StallingConnector>(system.name()));
    });

const bool kSchemaRegistered = [] {
  mapping::SystemSchema schema;
  schema.kind = "stalling";
  schema.fields = {{"Title", mapping::FieldType::kText,
                    mapping::Writability::kWritable, 0, {}, ""}};
  schema.comment_kind = "comment";
  mapping::RegisterSystemSchema(schema);
  return true;
}();

int64_t WaitUntil(const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!done() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  return Stall::produced.load();
}

TEST(BackpressureTest, AStalledWriterKeepsWhatTheReaderHoldsBounded) {
  absl::Notification release;
  Stall::release = &release;
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/backpressure";
  std::filesystem::remove_all(dir);
  config::ValidationOptions validation;
  validation.system_kinds = {"stalling"};
  auto loaded = config::LoadConfigText(R"(
systems:
  - {name: src, kind: stalling, url: "stalling://src", token: {env: PATH}}
  - {name: dst, kind: stalling, url: "stalling://dst", token: {env: PATH}}
mappings:
  - {name: m, source_type: Task, target_type: Task, fields: [{source: Title, target: Title}]}
integrations:
  - {name: i, source: {system: src, projects: [SRC]}, target: {system: dst, projects: [DST]}, mapping: m, poll_interval: 60s}
)", "backpressure.yaml", validation);
  ASSERT_TRUE(loaded.ok()) << config::FormatProblem(loaded.problems[0]);
  EmbeddedPipeline::Options options;
  options.state_dir = dir;
  options.batch_size = kBatch;
  options.window = kWindow;
  auto pipeline = EmbeddedPipeline::Create(loaded.config, options);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  (*pipeline)->Start();
  PartitionReader* reader = (*pipeline)->Readers("i").front();

  // The writer's window fills, then nothing more is read.
  WaitUntil([&] { return reader->GetStatus().batches_in_flight >= kWindow; });
  const int64_t stalled_at = Stall::produced.load();
  // A reader that ignored the window would read on meanwhile.
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Stall::produced.load(), stalled_at);
  EXPECT_LE(stalled_at, kWindow * kBatch);
  EXPECT_LE(reader->GetStatus().changes_in_flight, kWindow * kBatch);
  EXPECT_EQ(Stall::created.load(), 0);

  // The writer moves: so does everything.
  release.Notify();
  const int64_t moved = WaitUntil([&] { return Stall::created.load() > 5 * kWindow * kBatch; });
  EXPECT_GT(moved, 5 * kWindow * kBatch);
  EXPECT_LE(reader->GetStatus().changes_in_flight, kWindow * kBatch);
  pipeline->reset();
}

}  // namespace
}  // namespace ferry::engine
