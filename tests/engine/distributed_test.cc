// Three stages in three kinds of process on loopback (a reader, a
// transformer and two writer shards) give the same result as the embedded
// mode: the target equals the source, both ways, with nothing twice.
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/support/values.h"
#include "tests/support/fake_world.h"
#include "tests/support/ferryd_process.h"
#include "tests/support/grpc_health.h"

namespace ferry::testing {
namespace {

using ::ferry::testing::LookupName;
using ::ferry::testing::Person;
using ::ferry::testing::TextValue;



TEST(DistributedTest, ThreeStagesSyncLikeTheEmbeddedMode) {
  const FakeWorld world = FakeWorld::Fresh("distributed", /*both_ways=*/true);
  const std::string config = world.dir + "/ferry.yaml";
  std::ofstream(config) << world.ConfigYaml("0.05s");

  auto src = world.Source();
  auto dst = world.Target();
  ASSERT_TRUE(src.ok() && dst.ok());
  for (int i = 0; i < 20; ++i) {
    auto entity = src->Create("SRC", "Task", {{"Title", TextValue(absl::StrCat("t", i))}},
                              Person("alice"));
    ASSERT_TRUE(entity.ok());
    ASSERT_TRUE(src->AddComment(entity->id(), absl::StrCat("c", i), Person("bob")).ok());
  }

  std::vector<std::unique_ptr<FerrydProcess>> processes;
  const std::string flag = "--config=" + config;
  std::vector<std::string> writers;
  std::vector<int> writer_metrics;
  for (int shard = 0; shard < 2; ++shard) {
    const auto started = StartFerryd(
        &processes,
        {flag, "--stage=writer", "--listen=127.0.0.1:0", "--metrics_listen=127.0.0.1:0",
         absl::StrCat("--shard=", shard), "--shards=2",
         absl::StrCat("--state_dir=", world.dir, "/writer", shard)},
        absl::StrCat(world.dir, "/writer", shard, ".log"));
    ASSERT_NE(started.value("port", 0), 0);
    writers.push_back(absl::StrCat("127.0.0.1:", started.value("port", 0)));
    writer_metrics.push_back(started.value("metrics_port", 0));
  }
  const int transformer = StartFerryd(
      &processes,
      {flag, "--stage=transformer", "--listen=127.0.0.1:0",
       "--downstream=" + absl::StrJoin(writers, ",")},
      world.dir + "/transformer.log").value("port", 0);
  ASSERT_NE(transformer, 0);
  // The reader serves nothing but health, and only when asked to listen.
  const int reader = StartFerryd(
      &processes,
      {flag, "--stage=reader", absl::StrCat("--downstream=127.0.0.1:", transformer),
       "--listen=127.0.0.1:0", "--state_dir=" + world.dir + "/reader"},
      world.dir + "/reader.log").value("port", 0);
  ASSERT_NE(reader, 0);
  for (int port : {reader, transformer}) {
    auto serving = IsServing(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                                 grpc::InsecureChannelCredentials()));
    ASSERT_TRUE(serving.ok()) << "port " << port << ": " << serving.status();
    EXPECT_TRUE(*serving) << "port " << port;
  }

  auto wait_in_step = [&] {
    std::vector<std::string> differences;
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      auto found = Differences(world);
      EXPECT_TRUE(found.ok()) << found.status();
      differences = *found;
      if (differences.empty()) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return differences;
  };
  EXPECT_THAT(wait_in_step(), ::testing::IsEmpty());

  // The other way: a person edits a copy; it reaches the source.
  auto copies = dst->ChangedAfter("DST", 0);
  ASSERT_TRUE(copies.ok() && !copies->empty());
  const auto& copy = copies->front();
  ASSERT_TRUE(dst->SetFields(copy.entity().id(), {{"Title", TextValue("edited in dst")}},
                             Person("carol")).ok());
  const std::string source_id = copy.origin().substr(copy.origin().rfind(':') + 1);
  std::string title;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline && title != "edited in dst") {
    auto record = src->Get(source_id);
    ASSERT_TRUE(record.ok());
    title = record->entity().fields().at("Title").text();
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(title, "edited in dst");
  EXPECT_THAT(wait_in_step(), ::testing::IsEmpty());

  // The writer shard that owns the integration reports what it wrote.
  int shards_reporting = 0;
  for (int port : writer_metrics) {
    httplib::Client client("127.0.0.1", port);
    auto response = client.Get("/metrics");
    ASSERT_TRUE(response) << "metrics port " << port;
    shards_reporting += response->body.find(
        "ferry_changes_written_total{integration=\"sync\"}") != std::string::npos;
  }
  EXPECT_EQ(shards_reporting, 1);

  for (auto& process : processes) {
    const int status = process->Stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "see " << process->log();
  }
}

}  // namespace
}  // namespace ferry::testing
