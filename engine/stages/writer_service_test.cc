#include "engine/stages/writer_service.h"

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "engine/writer/testing/writer_test_world.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/values.h"

namespace ferry::engine {
namespace {

using ::ferry::testing::Person;
using ::ferry::testing::TextValue;
using ferry::v1::ChangeOutcome;

// A writer whose creates for held source entities (by the id in their
// origin marker) wait until the test lets them go. Passes every call to
// the real one.
class GatedWriter : public EntityWriter {
 public:
  explicit GatedWriter(EntityWriter* inner) : inner_(inner) {}

  void Hold(const std::string& source_id) {
    absl::MutexLock lock(&mu_);
    held_.insert(source_id);
  }
  void Release(const std::string& source_id) {
    absl::MutexLock lock(&mu_);
    held_.erase(source_id);
  }
  // Waits until a create for `source_id` is held; false when none was
  // within 10 s.
  bool WaitHeld(const std::string& source_id) {
    absl::MutexLock lock(&mu_);
    auto waiting = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return waiting_.contains(source_id);
    };
    return mu_.AwaitWithTimeout(absl::Condition(&waiting), absl::Seconds(10));
  }

  absl::StatusOr<EntityRef> Create(const CreateRequest& request) override {
    {
      absl::MutexLock lock(&mu_);
      const std::string id = request.origin.substr(request.origin.rfind(':') + 1);
      waiting_.insert(id);
      auto released = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return !held_.contains(id);
      };
      mu_.Await(absl::Condition(&released));
      waiting_.erase(id);
    }
    return inner_->Create(request);
  }
  absl::StatusOr<std::vector<EntityRef>> Lookup(const std::string& project,
                                                const std::string& query) override {
    return inner_->Lookup(project, query);
  }
  absl::StatusOr<std::optional<EntityRef>> FindByOrigin(
      const std::string& project, const std::string& origin) override {
    return inner_->FindByOrigin(project, origin);
  }
  absl::Status Update(const EntityRef& entity,
                      const std::vector<ferry::v1::FieldWrite>& fields) override {
    return inner_->Update(entity, fields);
  }
  absl::StatusOr<ferry::v1::Entity> Get(const EntityRef& entity) override {
    return inner_->Get(entity);
  }
  absl::StatusOr<std::string> AddComment(const EntityRef& entity,
                                         const ferry::v1::CommentWrite& comment,
                                         const std::string& origin) override {
    return inner_->AddComment(entity, comment, origin);
  }
  absl::StatusOr<std::optional<std::string>> FindComment(
      const EntityRef& entity, const std::string& origin) override {
    return inner_->FindComment(entity, origin);
  }

 private:
  EntityWriter* const inner_;
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> held_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> waiting_ ABSL_GUARDED_BY(mu_);
};

class WriterServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto world = WriterTestWorld::Make(CurrentTestDir());
    ASSERT_TRUE(world.ok()) << world.status();
    world_ = *std::move(world);
    gated_ = std::make_unique<GatedWriter>(world_->dst_writer.get());
    applier_ = std::make_unique<ChangeApplier>(
        world_->plan, world_->store.get(),
        absl::flat_hash_map<std::string, EntityWriter*>{
            {"dst", gated_.get()}, {"src", world_->src_writer.get()}},
        [this] { return absl::FromUnixSeconds(now_.load()); });
  }

  void TearDown() override {
    for (const auto& [title, id] : ids_) gated_->Release(id);
    if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
    service_.reset();
  }

  // Creates source task `title`; returns its mapped change.
  ferry::v1::WriteIntent NewTask(const std::string& title) {
    auto entity = world_->src->Create("SRC", "Task", {{"Title", TextValue(title)}},
                                      Person("alice"));
    EXPECT_TRUE(entity.ok());
    ids_[title] = entity->id();
    auto intents = world_->Intents();
    EXPECT_TRUE(intents.ok() && !intents->empty());
    return intents->back();
  }

  // Parks the change of task `title` as a failed attempt, due in 10 s.
  void ParkTask(const std::string& title) {
    ferry::v1::WriteIntent intent = NewTask(title);
    intent.set_mapping_error("a mapping that a reload fixed");
    auto outcome = applier_->Apply(intent);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ASSERT_EQ(outcome->kind(), ChangeOutcome::KIND_PARKED);
  }

  void Serve() {
    WriterService::Options options;
    options.retry_every = absl::Milliseconds(10);
    service_ = std::make_unique<WriterService>(
        std::map<std::string, ChangeApplier*>{{"i", applier_.get()}}, options);
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = ferry::v1::Writer::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }

  std::unique_ptr<WriterTestWorld> world_;
  std::unique_ptr<GatedWriter> gated_;
  std::unique_ptr<ChangeApplier> applier_;
  std::unique_ptr<WriterService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ferry::v1::Writer::Stub> stub_;
  std::map<std::string, std::string> ids_;  // Source ids by title.
  std::atomic<int64_t> now_{1800000000};
};

TEST_F(WriterServiceTest, ABatchIsAckedWhileTheRetryRoundItInterruptsIsHeld) {
  ParkTask("a");
  ParkTask("b");
  const ferry::v1::WriteIntent c = NewTask("c");
  gated_->Hold(ids_["a"]);
  gated_->Hold(ids_["b"]);
  now_ += 11;  // Both failures are due.
  Serve();
  ASSERT_TRUE(gated_->WaitHeld(ids_["a"])) << "the retry round did not start";

  // A stream's batch comes while a's retry is held.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto stream = stub_->Write(&context);
  ferry::v1::BatchAck ack;
  ASSERT_TRUE(stream->Read(&ack));  // The grant.
  ferry::v1::WriteBatch batch;
  batch.set_integration("i");
  batch.set_batch_id(1);
  *batch.add_writes() = c;
  ASSERT_TRUE(stream->Write(batch));

  const absl::Time queued = absl::Now() + absl::Seconds(10);
  while (service_->Waiting("i") == 0 && absl::Now() < queued) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  ASSERT_EQ(service_->Waiting("i"), 1) << "the batch never reached the worker";

  // a's call returns; b's is held too: the batch goes between them.
  gated_->Release(ids_["a"]);
  ASSERT_TRUE(stream->Read(&ack)) << "the batch waited behind the retry round";
  EXPECT_EQ(ack.batch_id(), 1u);
  ASSERT_EQ(ack.outcomes_size(), 1);
  EXPECT_EQ(ack.outcomes(0).kind(), ChangeOutcome::KIND_WRITTEN);
  EXPECT_TRUE(gated_->WaitHeld(ids_["b"])) << "the round went on after the batch";

  gated_->Release(ids_["b"]);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(WriterServiceTest, DueFailuresAreRetriedWithNoStreamOpen) {
  ParkTask("a");
  now_ += 11;
  Serve();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  int64_t open = 1;
  while (open > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
    open = 0;
    ASSERT_TRUE(world_->store
                    ->ForEachFailure("i", "", [&](const ferry::v1::Failure& failure) {
                      open += failure.state() == ferry::v1::FAILURE_STATE_OPEN;
                      return true;
                    })
                    .ok());
  }
  EXPECT_EQ(open, 0);
  auto targets = world_->dst->ChangedAfter("DST", 0);
  ASSERT_TRUE(targets.ok());
  EXPECT_EQ(targets->size(), 1u);
}

TEST_F(WriterServiceTest, ControlActionsRunOnTheIntegrationsApplier) {
  ParkTask("a");
  Serve();
  ferry::v1::FailureActionResponse response;
  absl::Status done = service_->WithApplier("i", [&](ChangeApplier& applier) {
    ferry::v1::FailureSelector selector;
    selector.set_error_contains("reload");
    auto reprocessed = applier.Reprocess(selector);
    if (!reprocessed.ok()) return reprocessed.status();
    response = *std::move(reprocessed);
    return absl::OkStatus();
  });
  ASSERT_TRUE(done.ok()) << done;
  EXPECT_EQ(response.affected(), 1);
  EXPECT_TRUE(response.still_failing().empty());
  EXPECT_TRUE(absl::IsNotFound(
      service_->WithApplier("nope", [](ChangeApplier&) { return absl::OkStatus(); })));
}

}  // namespace
}  // namespace ferry::engine
