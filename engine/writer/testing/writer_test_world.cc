#include "engine/writer/testing/writer_test_world.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_replace.h"
#include "connectors/fake/fake_connector.h"
#include "engine/config/loader.h"
#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

constexpr char kConfig[] = R"(
systems:
  - {name: src, kind: fake, url: "file://@DIR@/src", token: {env: UNUSED}}
  - {name: dst, kind: fake, url: "file://@DIR@/dst", token: {env: UNUSED}}
mappings:
  - name: m
    source_type: Task
    target_type: Task
    fields:
      - {source: Title, target: Title}
      - source: Status
        target: Status
        value_map: {values: {open: open, in_progress: in_progress, done: done}}
    @MAPPING_EXTRA@
integrations:
  - name: i
    source: {system: src, projects: [SRC]}
    target: {system: dst, projects: [DST]}
    mapping: m
    retry: {max_attempts: 2, initial_backoff: 10s}
    @EXTRA@
)";

}  // namespace

absl::StatusOr<std::vector<EntityRef>> FlakyWriter::Lookup(
    const std::string& project, const std::string& query) {
  return inner_->Lookup(project, query);
}

absl::StatusOr<std::optional<EntityRef>> FlakyWriter::FindByOrigin(
    const std::string& project, const std::string& origin) {
  return inner_->FindByOrigin(project, origin);
}

absl::StatusOr<std::optional<EntityRef>> FlakyWriter::FindCreated(
    const CreateRequest& request) {
  find_created_requests.push_back(request);
  return inner_->FindCreated(request);
}

absl::StatusOr<EntityRef> FlakyWriter::Create(const CreateRequest& request) {
  if (absl::Status s = MaybeFail(); !s.ok()) return s;
  ++creates;
  last_create = request;
  return inner_->Create(request);
}

absl::Status FlakyWriter::Update(const EntityRef& entity,
                                 const std::vector<ferry::v1::FieldWrite>& fields) {
  ++updates;
  if (absl::Status s = MaybeFail(); !s.ok()) return s;
  if (refusals > 0) {
    --refusals;
    return absl::AbortedError("the entity changed since Ferry last wrote it");
  }
  return inner_->Update(entity, fields);
}

absl::StatusOr<ferry::v1::Entity> FlakyWriter::Get(const EntityRef& entity) {
  ++gets;
  return inner_->Get(entity);
}

absl::StatusOr<std::string> FlakyWriter::AddComment(
    const EntityRef& entity, const ferry::v1::CommentWrite& comment,
    const std::string& origin) {
  if (absl::Status s = MaybeFail(); !s.ok()) return s;
  return inner_->AddComment(entity, comment, origin);
}

absl::StatusOr<std::optional<std::string>> FlakyWriter::FindComment(
    const EntityRef& entity, const std::string& origin) {
  return inner_->FindComment(entity, origin);
}

absl::Status FlakyWriter::MaybeFail() {
  if (failures == 0) return absl::OkStatus();
  --failures;
  return absl::UnavailableError("503 Service Unavailable: try later");
}

std::string CurrentTestDir() {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

absl::StatusOr<std::unique_ptr<WriterTestWorld>> WriterTestWorld::Make(
    const std::string& dir, const std::string& extra,
    const std::string& mapping_extra) {
  auto world = std::make_unique<WriterTestWorld>();
  world->dir = dir;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string yaml = absl::StrReplaceAll(
      kConfig, {{"@EXTRA@", extra}, {"@MAPPING_EXTRA@", mapping_extra}, {"@DIR@", dir}});
  config::ValidationOptions options;
  options.system_kinds = {"fake"};
  auto loaded = config::LoadConfigText(yaml, "test.yaml", options);
  if (!loaded.ok()) {
    return absl::InvalidArgumentError(config::FormatProblem(loaded.problems[0]));
  }
  world->config = loaded.config;
  auto plan = PlanIntegration(world->config, world->config.integrations(0));
  if (!plan.ok()) return plan.status();
  world->plan = *plan;

  auto store = StateStore::Open(dir + "/state", StateStore::Options());
  if (!store.ok()) return store.status();
  world->store = *std::move(store);
  for (const auto& system : world->config.systems()) {
    auto connector = fake::MakeFakeConnector(system);
    if (!connector.ok()) return connector.status();
    world->connectors[system.name()] = *std::move(connector);
  }
  auto dst_writer = world->connectors["dst"]->NewWriter("i");
  if (!dst_writer.ok()) return dst_writer.status();
  world->dst_writer = std::make_unique<FlakyWriter>(*std::move(dst_writer));
  auto src_writer = world->connectors["src"]->NewWriter("i");
  if (!src_writer.ok()) return src_writer.status();
  world->src_writer = *std::move(src_writer);
  auto src = fake::FakeSystem::Open(dir + "/src");
  if (!src.ok()) return src.status();
  world->src = std::make_unique<fake::FakeSystem>(*std::move(src));
  auto dst = fake::FakeSystem::Open(dir + "/dst");
  if (!dst.ok()) return dst.status();
  world->dst = std::make_unique<fake::FakeSystem>(*std::move(dst));
  return world;
}

absl::flat_hash_map<std::string, EntityWriter*> WriterTestWorld::writers() const {
  return {{"dst", dst_writer.get()}, {"src", src_writer.get()}};
}

absl::StatusOr<std::vector<ferry::v1::WriteIntent>> WriterTestWorld::Intents() const {
  ReaderOptions options;
  options.integration = "i";
  options.project = "SRC";
  auto reader = connectors.at("src")->NewReader(options);
  if (!reader.ok()) return reader.status();
  auto page = (*reader)->ReadChanges(std::nullopt, 100);
  if (!page.ok()) return page.status();
  std::vector<ferry::v1::WriteIntent> intents;
  for (const auto& change : page->changes) {
    auto intent = plan->forward->Map(change);
    if (!intent.ok()) return intent.status();
    intents.push_back(*std::move(intent));
  }
  return intents;
}

}  // namespace ferry::engine
