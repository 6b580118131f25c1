#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "connectors/fake/fake_system.h"
#include "engine/connector/connector.h"
#include "engine/pipeline/integration_plan.h"
#include "engine/state/state_store.h"
#include "proto/config.pb.h"
#include "proto/stages.pb.h"

namespace ferry::engine {

// An EntityWriter that fails its next `failures` writes with UNAVAILABLE,
// then passes calls to the real one. Counts creates, updates and reads
// (Get), keeps the last create
// request and the requests FindCreated was asked about. Thread-compatible,
// as writers are.
class FlakyWriter : public EntityWriter {
 public:
  explicit FlakyWriter(std::unique_ptr<EntityWriter> inner)
      : inner_(std::move(inner)) {}

  int failures = 0;
  // The next `refusals` updates answer ABORTED and write nothing, as a
  // target that saw the entity change since Ferry's last write does.
  int refusals = 0;
  int creates = 0;
  int updates = 0;  // Update calls, refused ones included
  int gets = 0;
  CreateRequest last_create;
  std::vector<CreateRequest> find_created_requests;

  absl::StatusOr<std::vector<EntityRef>> Lookup(
      const std::string& project, const std::string& query) override;
  absl::StatusOr<std::optional<EntityRef>> FindByOrigin(
      const std::string& project, const std::string& origin) override;
  absl::StatusOr<std::optional<EntityRef>> FindCreated(
      const CreateRequest& request) override;
  absl::StatusOr<EntityRef> Create(const CreateRequest& request) override;
  absl::Status Update(const EntityRef& entity,
                      const std::vector<ferry::v1::FieldWrite>& fields) override;
  absl::StatusOr<ferry::v1::Entity> Get(const EntityRef& entity) override;
  absl::StatusOr<std::string> AddComment(const EntityRef& entity,
                                         const ferry::v1::CommentWrite& comment,
                                         const std::string& origin) override;
  absl::StatusOr<std::optional<std::string>> FindComment(
      const EntityRef& entity, const std::string& origin) override;

 private:
  absl::Status MaybeFail();
  std::unique_ptr<EntityWriter> inner_;
};

// A directory under TEST_TMPDIR named after the running test, so each test
// of a suite gets its own state store.
std::string CurrentTestDir();

// What the writer's unit tests run against: two fake systems, "src"
// (project SRC) and "dst" (project DST), integration "i" syncing Title and
// Status (open/in_progress/done) of Tasks from src to dst with mapping "m"
// (retry: 2 attempts, 10 s initial backoff), its plan, a state store, and
// writers for both systems (dst's a FlakyWriter).
struct WriterTestWorld {
  // Builds the world in `dir` (emptied first), with `extra` YAML added to
  // the integration and `mapping_extra` to the mapping.
  static absl::StatusOr<std::unique_ptr<WriterTestWorld>> Make(
      const std::string& dir, const std::string& extra = "",
      const std::string& mapping_extra = "");

  // The writers by system name, as an applier takes them.
  absl::flat_hash_map<std::string, EntityWriter*> writers() const;
  // The source's current changes, mapped, as the transformer sends them.
  absl::StatusOr<std::vector<ferry::v1::WriteIntent>> Intents() const;

  std::string dir;
  ferry::v1::FerryConfig config;
  std::shared_ptr<const IntegrationPlan> plan;
  std::unique_ptr<StateStore> store;
  std::map<std::string, std::unique_ptr<Connector>> connectors;
  std::unique_ptr<FlakyWriter> dst_writer;
  std::unique_ptr<EntityWriter> src_writer;
  std::unique_ptr<fake::FakeSystem> src;
  std::unique_ptr<fake::FakeSystem> dst;
};

}  // namespace ferry::engine
