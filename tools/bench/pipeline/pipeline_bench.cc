// Pipeline benchmark (issue 8): changes per second through all three
// stages of the embedded pipeline with null connectors, beside a raw gRPC
// stream of the same batches in the same run (the ceiling); and, with
// --links=N, the peak RSS of a writer whose state holds N links.
//
//   bazel run -c opt //tools/bench/pipeline -- --changes=200000
//   bazel run -c opt //tools/bench/pipeline -- --links=1000000
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "engine/ferryd/pipeline.h"
#include "engine/state/state_store.h"
#include "grpcpp/server_builder.h"
#include "proto/stages.grpc.pb.h"
#include "tools/bench/pipeline/null_connector.h"

ABSL_FLAG(int64_t, changes, 200000, "Changes per throughput round.");
ABSL_FLAG(int, batch_size, 100, "Changes per batch.");
ABSL_FLAG(int, window, 8, "Batches in flight.");
ABSL_FLAG(int, rounds, 3, "Rounds of each variant, interleaved.");
ABSL_FLAG(int64_t, links, 0, "Measure peak RSS with this many links instead.");

namespace ferry::bench {
namespace {

std::string TempDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   absl::StrCat("ferry-bench-", getpid(), "-", name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

// The ceiling: a service that acks every batch at once, with the window.
class AckAll final : public ferry::v1::Transformer::Service {
 public:
  grpc::Status Transform(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<ferry::v1::BatchAck, ferry::v1::ChangeBatch>* stream)
      override {
    ferry::v1::BatchAck grant;
    grant.set_credits(absl::GetFlag(FLAGS_window));
    stream->Write(grant);
    ferry::v1::ChangeBatch batch;
    while (stream->Read(&batch)) {
      ferry::v1::BatchAck ack;
      ack.set_batch_id(batch.batch_id());
      ack.set_credits(1);
      for (const auto& change : batch.changes()) {
        ack.add_outcomes()->set_change_id(change.change_id());
      }
      stream->Write(ack);
    }
    return grpc::Status::OK;
  }
};

// Raw stream: the same batches the null reader makes, acked at once.
double RawStreamRate(int64_t changes) {
  AckAll service;
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  auto stub = ferry::v1::Transformer::NewStub(
      server->InProcessChannel(grpc::ChannelArguments()));
  NullCounters::remaining = changes;
  ferry::v1::SystemConfig system;
  system.set_name("src");
  system.set_kind("blackhole");
  auto connector = ferry::engine::ConnectorRegistry::Create(system, "");
  auto reader = (*connector)->NewReader({"bench", "SRC", "", std::nullopt});
  const int batch_size = absl::GetFlag(FLAGS_batch_size);

  const absl::Time start = absl::Now();
  grpc::ClientContext context;
  auto stream = stub->Transform(&context);
  // Acks are read on their own thread, as the reader stage does: a stream
  // whose two directions share one thread can deadlock on a full buffer.
  absl::Mutex mu;
  int64_t credits = 0, acked = 0;
  std::thread acks([&] {
    ferry::v1::BatchAck ack;
    while (stream->Read(&ack)) {
      absl::MutexLock lock(&mu);
      credits += ack.credits();
      acked += ack.batch_id() != 0;
    }
  });
  int64_t sent = 0;
  uint64_t id = 0;
  for (bool more = true; more;) {
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(+[](int64_t* c) { return *c > 0; }, &credits));
      --credits;
    }
    auto page = (*reader)->ReadChanges(std::nullopt, batch_size);
    more = page->more;
    if (page->changes.empty()) break;
    ferry::v1::ChangeBatch batch;
    batch.set_batch_id(++id);
    for (auto& change : page->changes) *batch.add_changes() = std::move(change);
    stream->Write(batch);
    ++sent;
  }
  {
    std::pair<int64_t*, int64_t*> acked_and_sent{&acked, &sent};
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](std::pair<int64_t*, int64_t*>* p) { return *p->first >= *p->second; },
        &acked_and_sent));
  }
  stream->WritesDone();
  acks.join();
  (void)stream->Finish();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  server->Shutdown();
  return changes / seconds;
}

// All three stages, embedded, null connectors, RocksDB state in a temp dir.
double PipelineRate(int64_t changes) {
  const std::string dir = TempDir("pipeline");
  const std::string yaml = R"(
systems:
  - {name: src, kind: blackhole, url: "blackhole://src", token: {env: PATH}}
  - {name: dst, kind: blackhole, url: "blackhole://dst", token: {env: PATH}}
mappings:
  - {name: m, source_type: Task, target_type: Task, fields: [{source: Title, target: Title}]}
integrations:
  - {name: bench, source: {system: src, projects: [SRC]}, target: {system: dst, projects: [DST]}, mapping: m, poll_interval: 60s}
)";
  ferry::config::ValidationOptions validation;
  validation.system_kinds = {"blackhole"};
  auto loaded = ferry::config::LoadConfigText(yaml, "bench.yaml", validation);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", ferry::config::FormatProblem(loaded.problems[0]).c_str());
    std::exit(1);
  }
  ferry::engine::EmbeddedPipeline::Options options;
  options.state_dir = dir + "/state";
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.window = absl::GetFlag(FLAGS_window);
  NullCounters::remaining = changes;
  NullCounters::created = 0;
  auto pipeline = ferry::engine::EmbeddedPipeline::Create(loaded.config, options);
  if (!pipeline.ok()) {
    std::fprintf(stderr, "%s\n", std::string(pipeline.status().message()).c_str());
    std::exit(1);
  }
  const absl::Time start = absl::Now();
  (*pipeline)->Start();
  auto* reader = (*pipeline)->Readers("bench").front();
  while (NullCounters::created.load() < changes ||
         reader->GetStatus().batches_in_flight > 0) {
    absl::SleepFor(absl::Microseconds(200));
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  pipeline->reset();
  std::filesystem::remove_all(dir);
  return changes / seconds;
}

void Throughput() {
  const int64_t changes = absl::GetFlag(FLAGS_changes);
  std::vector<double> raw, pipeline;
  for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
    raw.push_back(RawStreamRate(changes));
    pipeline.push_back(PipelineRate(changes));
    std::printf("round %d: raw stream %.0f changes/s, pipeline %.0f changes/s, "
                "ratio %.3f\n",
                round, raw.back(), pipeline.back(), pipeline.back() / raw.back());
  }
  std::sort(raw.begin(), raw.end());
  std::sort(pipeline.begin(), pipeline.end());
  const double raw_median = raw[raw.size() / 2];
  const double pipeline_median = pipeline[pipeline.size() / 2];
  std::printf("median: raw stream %.0f changes/s, pipeline %.0f changes/s, "
              "pipeline/raw %.3f (batch %d, window %d, %lld changes)\n",
              raw_median, pipeline_median, pipeline_median / raw_median,
              absl::GetFlag(FLAGS_batch_size), absl::GetFlag(FLAGS_window),
              static_cast<long long>(changes));
}

void LinksRss() {
  const int64_t links = absl::GetFlag(FLAGS_links);
  const std::string dir = TempDir("links");
  const double baseline = PeakRssMb();
  {
    auto store = ferry::engine::StateStore::Open(dir, {});
    if (!store.ok()) std::exit(1);
    for (int64_t first = 0; first < links; first += 1000) {
      ferry::engine::StateStore::Batch batch;
      for (int64_t i = first; i < std::min(links, first + 1000); ++i) {
        ferry::v1::Link link;
        link.set_integration("bench");
        link.set_source_system("pagerduty");
        link.set_source_id(absl::StrCat("P", i));
        link.set_source_key(absl::StrCat("#", i));
        link.set_target_system("jira");
        link.set_target_id(absl::StrCat(100000 + i));
        link.set_target_key(absl::StrCat("OPS-", i));
        (*link.mutable_last_synced())["jira/summary"].set_text(absl::StrCat("incident ", i));
        (*link.mutable_last_synced())["pagerduty/Title"].set_text(absl::StrCat("incident ", i));
        batch.PutLink(link);
      }
      if (!(*store)->Write(std::move(batch)).ok()) std::exit(1);
    }
  }
  const double after_load = PeakRssMb();
  auto store = ferry::engine::StateStore::Open(dir, {});
  std::mt19937_64 random(42);
  const absl::Time start = absl::Now();
  constexpr int kLookups = 200000;
  int found = 0;
  for (int i = 0; i < kLookups; ++i) {
    const int64_t n = std::uniform_int_distribution<int64_t>(0, links - 1)(random);
    auto link = (*store)->FindLink({"bench", i % 2 ? "jira" : "pagerduty",
                                    i % 2 ? absl::StrCat(100000 + n) : absl::StrCat("P", n)});
    found += link.ok() && link->has_value();
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("%lld links: peak RSS %.1f MB (process baseline %.1f MB, after "
              "loading %.1f MB); %d/%d random lookups found, %.0f lookups/s\n",
              static_cast<long long>(links), PeakRssMb(), baseline, after_load,
              found, kLookups, kLookups / seconds);
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ferry::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_links) > 0) {
    ferry::bench::LinksRss();
  } else {
    ferry::bench::Throughput();
  }
  return 0;
}
