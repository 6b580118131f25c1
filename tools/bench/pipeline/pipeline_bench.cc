// Pipeline benchmark (issue 8): changes per second through all three
// stages with null connectors, embedded (one process) and as three
// processes (reader here, transformer and writer as children on loopback),
// beside a raw gRPC stream of the same batches in the same run (the
// ceiling); and, with --links=N, the peak RSS of a writer whose state
// holds N links. Two parts of the pipeline are also measured alone, to
// show where its ceiling lies: the same batches over two in-process hops
// with no work between them, and the writer's state writes alone.
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
#include "engine/connector/registry.h"
#include "engine/runtime/pipeline.h"
#include "engine/runtime/stage_process.h"
#include "engine/state/state_store.h"
#include "grpcpp/server_builder.h"
#include "proto/stages.grpc.pb.h"
#include "tools/bench/pipeline/child_stage.h"
#include "tools/bench/pipeline/null_connector.h"

ABSL_FLAG(int64_t, changes, 200000, "Changes per throughput round.");
ABSL_FLAG(int, batch_size, 100, "Changes per batch.");
ABSL_FLAG(int, window, 8, "Batches in flight.");
ABSL_FLAG(int, rounds, 3, "Rounds of each variant, interleaved.");
ABSL_FLAG(int64_t, links, 0, "Measure peak RSS with this many links instead.");
ABSL_FLAG(bool, three_processes, true,
          "Also measure the pipeline as three processes.");
// Set only when the bench runs itself as a child stage process.
ABSL_FLAG(std::string, stage, "", "Internal: run this stage as a child.");
ABSL_FLAG(std::string, listen, "127.0.0.1:0", "Internal: the child's address.");
ABSL_FLAG(std::string, downstream, "", "Internal: the child's next stage.");
ABSL_FLAG(std::string, state_dir, "", "Internal: the child's state.");

namespace ferry::bench {
namespace {

std::string TempDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   absl::StrCat("ferry-bench-", getpid(), "-", name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// CPU seconds this process used so far (every thread): on a loaded
// machine a steadier measure of work than wall time.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// One measured round of a variant.
struct Measured {
  double per_second = 0;
  // Microseconds of this process's CPU per change (0: not measured, as
  // for the three processes, whose work is mostly in the children).
  double cpu_us = 0;
};

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

// The ceiling of any design with two hops: a relay that forwards every
// batch to an AckAll service on a second in-process stream and relays the
// acks (credits included) back, as the transformer does, but with no work.
class Relay final : public ferry::v1::Transformer::Service {
 public:
  explicit Relay(ferry::v1::Transformer::Stub* next) : next_(next) {}

  grpc::Status Transform(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<ferry::v1::BatchAck, ferry::v1::ChangeBatch>* stream)
      override {
    grpc::ClientContext context;
    auto downstream = next_->Transform(&context);
    // Acks (the first one carries the window) go back on their own thread:
    // the only writer of `stream`, as the handler thread only reads it.
    std::thread acks([&] {
      ferry::v1::BatchAck ack;
      while (downstream->Read(&ack)) stream->Write(ack);
    });
    ferry::v1::ChangeBatch batch;
    while (stream->Read(&batch)) downstream->Write(batch);
    downstream->WritesDone();
    acks.join();
    (void)downstream->Finish();
    return grpc::Status::OK;
  }

 private:
  ferry::v1::Transformer::Stub* next_;
};

// Streams `changes` the null reader makes, in batches with the window, to
// `stub` and waits until every batch is acked.
Measured StreamBatches(ferry::v1::Transformer::Stub& stub, int64_t changes) {
  NullCounters::remaining = changes;
  ferry::v1::SystemConfig system;
  system.set_name("src");
  system.set_kind("blackhole");
  auto connector = ferry::engine::ConnectorRegistry::Create(system, "");
  ferry::engine::ReaderOptions options;
  options.integration = "bench";
  options.project = "SRC";
  auto reader = (*connector)->NewReader(options);
  const int batch_size = absl::GetFlag(FLAGS_batch_size);

  const absl::Time start = absl::Now();
  const double cpu_start = CpuSeconds();
  grpc::ClientContext context;
  auto stream = stub.Transform(&context);
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
  return {changes / seconds, (CpuSeconds() - cpu_start) * 1e6 / changes};
}

// A server of `service` and a stub that reaches it in-process.
struct InProcessService {
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<ferry::v1::Transformer::Stub> stub;
};

InProcessService ServeInProcess(ferry::v1::Transformer::Service* service) {
  grpc::ServerBuilder builder;
  builder.RegisterService(service);
  InProcessService served;
  served.server = builder.BuildAndStart();
  served.stub = ferry::v1::Transformer::NewStub(
      served.server->InProcessChannel(grpc::ChannelArguments()));
  return served;
}

// Raw stream: the same batches the null reader makes, acked at once.
Measured RawStreamRate(int64_t changes) {
  AckAll service;
  InProcessService served = ServeInProcess(&service);
  const Measured measured = StreamBatches(*served.stub, changes);
  served.server->Shutdown();
  return measured;
}

// The same batches through a relay to AckAll: two in-process hops.
Measured TwoHopRate(int64_t changes) {
  AckAll sink;
  InProcessService sink_served = ServeInProcess(&sink);
  Relay relay(sink_served.stub.get());
  InProcessService relay_served = ServeInProcess(&relay);
  const Measured measured = StreamBatches(*relay_served.stub, changes);
  relay_served.server->Shutdown();
  sink_served.server->Shutdown();
  return measured;
}

// Every variant syncs one integration between two blackhole systems.
ferry::v1::FerryConfig BenchConfig() {
  auto config = BlackholeConfig("bench");
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", std::string(config.status().message()).c_str());
    std::exit(1);
  }
  return *config;
}

// All three stages, embedded, null connectors, RocksDB state in a temp dir.
Measured PipelineRate(int64_t changes) {
  const std::string dir = TempDir("pipeline");
  ferry::engine::EmbeddedPipeline::Options options;
  options.state_dir = dir + "/state";
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.window = absl::GetFlag(FLAGS_window);
  NullCounters::remaining = changes;
  NullCounters::created = 0;
  auto pipeline = ferry::engine::EmbeddedPipeline::Create(BenchConfig(), options);
  if (!pipeline.ok()) {
    std::fprintf(stderr, "%s\n", std::string(pipeline.status().message()).c_str());
    std::exit(1);
  }
  const absl::Time start = absl::Now();
  const double cpu_start = CpuSeconds();
  (*pipeline)->Start();
  auto* reader = (*pipeline)->Readers("bench").front();
  while (NullCounters::created.load() < changes ||
         reader->GetStatus().batches_in_flight > 0) {
    absl::SleepFor(absl::Microseconds(200));
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  pipeline->reset();
  std::filesystem::remove_all(dir);
  return {changes / seconds, (CpuSeconds() - cpu_start) * 1e6 / changes};
}

ferry::engine::StageOptions ChildOptions() {
  ferry::engine::StageOptions options;
  options.stage = absl::GetFlag(FLAGS_stage);
  options.listen = absl::GetFlag(FLAGS_listen);
  if (!absl::GetFlag(FLAGS_downstream).empty()) {
    options.downstream = {absl::GetFlag(FLAGS_downstream)};
  }
  options.state_dir = absl::GetFlag(FLAGS_state_dir);
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.window = absl::GetFlag(FLAGS_window);
  return options;
}

// This binary as one child stage process: serves until its stdin closes.
int RunChild() {
  auto process = ferry::engine::StageProcess::Start(BenchConfig(), ChildOptions());
  if (!process.ok()) {
    std::fprintf(stderr, "%s stage: %s\n", absl::GetFlag(FLAGS_stage).c_str(),
                 std::string(process.status().message()).c_str());
    return 1;
  }
  ReportPortAndWait((*process)->port());
  return 0;
}

// Reader here, transformer and writer in child processes, on loopback.
Measured ThreeProcessRate(int64_t changes) {
  const std::string dir = TempDir("stages");
  auto writer = ChildStage::Start(
      {"--stage=writer", "--state_dir=" + dir + "/writer",
       absl::StrCat("--batch_size=", absl::GetFlag(FLAGS_batch_size)),
       absl::StrCat("--window=", absl::GetFlag(FLAGS_window))});
  if (!writer.ok()) {
    std::fprintf(stderr, "%s\n", std::string(writer.status().message()).c_str());
    std::exit(1);
  }
  auto transformer = ChildStage::Start(
      {"--stage=transformer", absl::StrCat("--downstream=127.0.0.1:", writer->port())});
  if (!transformer.ok()) {
    std::fprintf(stderr, "%s\n", std::string(transformer.status().message()).c_str());
    std::exit(1);
  }
  ferry::engine::StageOptions options;
  options.stage = "reader";
  options.downstream = {absl::StrCat("127.0.0.1:", transformer->port())};
  options.state_dir = dir + "/reader";
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  NullCounters::remaining = changes;

  const absl::Time start = absl::Now();
  auto reader = ferry::engine::StageProcess::Start(BenchConfig(), options);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", std::string(reader.status().message()).c_str());
    std::exit(1);
  }
  // Every change read and acknowledged by the writer, through the
  // transformer.
  ferry::engine::PartitionReader* partition = (*reader)->Readers("").front();
  for (;;) {
    const auto status = partition->GetStatus();
    if (status.changes_read >= changes && status.changes_in_flight == 0) break;
    absl::SleepFor(absl::Microseconds(200));
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  reader->reset();
  std::filesystem::remove_all(dir);
  return {changes / seconds, 0};
}

// The link of entity `i` as the writer keeps it: ids and keys of both
// sides and the last synced value of a field each way.
ferry::v1::Link BenchLink(int64_t i) {
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
  return link;
}

// The writer's state work alone, on one thread, for `changes` created
// entities in batches: the link lookup that misses, the batch's pending
// group written before the creates, then the links with the group's
// deletion and a checkpoint, as one write per batch (change_applier.h).
Measured StateOnlyRate(int64_t changes) {
  const std::string dir = TempDir("state");
  auto store = ferry::engine::StateStore::Open(dir, {});
  if (!store.ok()) std::exit(1);
  const int batch_size = absl::GetFlag(FLAGS_batch_size);
  const absl::Time start = absl::Now();
  const double cpu_start = CpuSeconds();
  uint64_t group_number = 0;
  for (int64_t first = 0; first < changes; first += batch_size) {
    const int64_t end = std::min(changes, first + batch_size);
    ferry::v1::PendingGroup group;
    ferry::engine::StateStore::Batch links;
    for (int64_t i = first; i < end; ++i) {
      const ferry::engine::EntityKey key{"bench", "pagerduty", absl::StrCat("P", i)};
      auto found = (*store)->FindLink(key);
      if (!found.ok() || found->has_value()) std::exit(1);
      auto* member = group.add_members();
      member->set_system(key.system);
      member->set_id(key.id);
      member->mutable_write()->set_origin(absl::StrCat("ferry:bench:pagerduty:P", i));
      links.PutLink(BenchLink(i));
    }
    ferry::engine::StateStore::Batch marks;
    marks.PutPendingGroup("bench", ++group_number, group);
    links.DeletePendingGroup("bench", group_number);
    ferry::v1::SourcePosition position;
    position.set_cursor(absl::StrCat(end));
    links.PutCheckpoint({"bench", "pagerduty", "SRC"}, position);
    if (!(*store)->Write(std::move(marks)).ok() ||
        !(*store)->Write(std::move(links)).ok()) {
      std::exit(1);
    }
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  store->reset();
  std::filesystem::remove_all(dir);
  return {changes / seconds, (CpuSeconds() - cpu_start) * 1e6 / changes};
}

double Median(const std::vector<Measured>& rounds, double Measured::*field) {
  std::vector<double> values;
  for (const Measured& round : rounds) values.push_back(round.*field);
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Prints each variant's rate, CPU per change and ratio to the raw stream
// of the same round; then the medians.
void Throughput() {
  const int64_t changes = absl::GetFlag(FLAGS_changes);
  const bool three = absl::GetFlag(FLAGS_three_processes);
  std::vector<Measured> raw, two_hops, state, embedded, stages;
  auto print = [](const char* name, const Measured& measured, const Measured& base) {
    std::printf(", %s %.0f changes/s (", name, measured.per_second);
    if (measured.cpu_us > 0) std::printf("%.1f us CPU/change, ", measured.cpu_us);
    std::printf("ratio %.3f)", measured.per_second / base.per_second);
  };
  for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
    raw.push_back(RawStreamRate(changes));
    two_hops.push_back(TwoHopRate(changes));
    state.push_back(StateOnlyRate(changes));
    embedded.push_back(PipelineRate(changes));
    if (three) stages.push_back(ThreeProcessRate(changes));
    std::printf("round %d: raw stream %.0f changes/s (%.1f us CPU/change)", round,
                raw.back().per_second, raw.back().cpu_us);
    print("two hops", two_hops.back(), raw.back());
    print("writer state alone", state.back(), raw.back());
    print("embedded", embedded.back(), raw.back());
    if (three) print("three processes", stages.back(), raw.back());
    std::printf("\n");
  }
  const double raw_rate = Median(raw, &Measured::per_second);
  std::printf("median (batch %d, window %d, %lld changes): raw stream %.0f changes/s "
              "(%.1f us CPU/change)",
              absl::GetFlag(FLAGS_batch_size), absl::GetFlag(FLAGS_window),
              static_cast<long long>(changes), raw_rate, Median(raw, &Measured::cpu_us));
  auto print_median = [&](const char* name, const std::vector<Measured>& rounds) {
    print(name, {Median(rounds, &Measured::per_second), Median(rounds, &Measured::cpu_us)},
          {raw_rate, 0});
  };
  print_median("two hops", two_hops);
  print_median("writer state alone", state);
  print_median("embedded", embedded);
  if (three) print_median("three processes", stages);
  std::printf("\n");
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
        batch.PutLink(BenchLink(i));
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
  if (!absl::GetFlag(FLAGS_stage).empty()) return ferry::bench::RunChild();
  if (absl::GetFlag(FLAGS_links) > 0) {
    ferry::bench::LinksRss();
  } else {
    ferry::bench::Throughput();
  }
  return 0;
}
