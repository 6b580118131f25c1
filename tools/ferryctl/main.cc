// ferryctl: runs and inspects ferryd through its control API.
//
//   ferryctl validate FILE                 check a config (locally)
//   ferryctl check SYSTEM                  a system's connection and rights
//   ferryctl fields SYSTEM [--config=FILE] a live system's fields (locally)
//   ferryctl status [INTEGRATION]          lag, last sync, failures
//   ferryctl sync-now|pause|resume INTEGRATION
//   ferryctl backfill INTEGRATION --since=TIME [--system=S] [--project=P]
//   ferryctl failures list [INTEGRATION] [--error=TEXT]
//   ferryctl failures reprocess|skip INTEGRATION (--ids=A,B | --error=TEXT)
//   ferryctl link show INTEGRATION ENTITY [--system=S]
//   ferryctl mapping preview INTEGRATION ENTITY_ID [--system=S]
//   ferryctl --version                     the version and source revision
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "proto/control.grpc.pb.h"
#include "tools/ferryctl/backfill_progress.h"
#include "tools/ferryctl/connection_errors.h"
#include "tools/ferryctl/fields_command.h"
#include "tools/ferryctl/status_table.h"
#include "tools/version/version.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7400", "ferryd's control address.");
ABSL_FLAG(std::string, token_env, "FERRY_CONTROL_TOKEN",
          "Environment variable holding the control API's bearer token.");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed ferryd's control certificate; "
          "empty for a plaintext connection.");
ABSL_FLAG(std::string, system, "", "The system an entity or project is in.");
ABSL_FLAG(std::string, project, "", "A project of the system.");
ABSL_FLAG(std::string, since, "", "An RFC 3339 time, for backfill.");
ABSL_FLAG(std::string, ids, "", "Failure ids, comma separated.");
ABSL_FLAG(std::string, error, "", "Select failures whose error contains this.");

namespace {

using google::protobuf::util::TimeUtil;
using Args = std::vector<std::string>;

// Exit codes: 0 done, 1 the call failed, 2 wrong usage or invalid config.
constexpr int kFailed = 1;
constexpr int kUsage = 2;

int Usage(const std::string& message) {
  std::fprintf(stderr, "ferryctl: %s\n%s", message.c_str(),
               absl::ProgramUsageMessage().data());
  return kUsage;
}

int Failed(const grpc::Status& status) {
  std::fprintf(stderr, "ferryctl: %s\n",
               ferry::ctl::DescribeCallError(status, absl::GetFlag(FLAGS_server),
                                             absl::GetFlag(FLAGS_token_env))
                   .c_str());
  return kFailed;
}

class Client {
 public:
  Client() {
    std::shared_ptr<grpc::ChannelCredentials> credentials =
        grpc::InsecureChannelCredentials();
    if (!absl::GetFlag(FLAGS_tls_ca).empty()) {
      grpc::SslCredentialsOptions tls;
      tls.pem_root_certs = ReadFile(absl::GetFlag(FLAGS_tls_ca));
      credentials = grpc::SslCredentials(tls);
    }
    stub_ = ferry::v1::Control::NewStub(
        grpc::CreateChannel(absl::GetFlag(FLAGS_server), credentials));
  }

  // A context with the bearer token, when one is set.
  std::unique_ptr<grpc::ClientContext> Context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    const char* token = std::getenv(absl::GetFlag(FLAGS_token_env).c_str());
    if (token != nullptr && *token != '\0') {
      context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
    }
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(30));
    return context;
  }

  ferry::v1::Control::Stub& stub() { return *stub_; }

 private:
  static std::string ReadFile(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    std::string content;
    if (file == nullptr) return content;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) {
      content.append(buffer, n);
    }
    std::fclose(file);
    return content;
  }

  std::unique_ptr<ferry::v1::Control::Stub> stub_;
};

std::string Value(const ferry::v1::FieldValue& value) {
  switch (value.kind_case()) {
    case ferry::v1::FieldValue::kText: return absl::StrCat("\"", value.text(), "\"");
    case ferry::v1::FieldValue::kNumber: return absl::StrCat(value.number());
    case ferry::v1::FieldValue::kLookup: return value.lookup().name();
    case ferry::v1::FieldValue::kUser: return value.user().name();
    case ferry::v1::FieldValue::kTime: return ferry::ctl::TimeOrDash(value.time());
    default: return "(empty)";
  }
}

int Validate(Client*, const Args& args) {
  if (args.size() != 1) return Usage("validate takes one FILE");
  ferry::config::ValidationOptions options;
  options.system_kinds = ferry::engine::ConnectorRegistry::Kinds();
  // As ferryd will read them, on the host validate runs on.
  options.check_secrets = true;
  const auto loaded = ferry::config::LoadConfigFile(args[0], options);
  for (const auto& problem : loaded.problems) {
    std::printf("%s\n", ferry::config::FormatProblem(problem).c_str());
  }
  if (!loaded.ok()) {
    std::printf("%zu problem(s)\n", loaded.problems.size());
    return kUsage;
  }
  std::printf("%s: valid (%d systems, %d mappings, %d integrations)\n",
              args[0].c_str(), loaded.config.systems_size(),
              loaded.config.mappings_size(), loaded.config.integrations_size());
  return 0;
}

int Check(Client* client, const Args& args) {
  if (args.size() != 1) return Usage("check takes one SYSTEM");
  ferry::v1::CheckSystemRequest request;
  request.set_system(args[0]);
  ferry::v1::CheckSystemResponse response;
  const grpc::Status status =
      client->stub().CheckSystem(client->Context().get(), request, &response);
  if (!status.ok()) return Failed(status);
  std::printf("%s: %s as %s (%s)\n", args[0].c_str(),
              response.ok() ? "ok" : "NOT OK", response.user().name().c_str(),
              response.role().c_str());
  for (const auto& line : response.capabilities()) std::printf("  %s\n", line.c_str());
  for (const auto& line : response.problems()) std::printf("  problem: %s\n", line.c_str());
  return response.ok() ? 0 : kFailed;
}

int Status(Client* client, const Args& args) {
  ferry::v1::GetStatusRequest request;
  if (!args.empty()) request.set_integration(args[0]);
  ferry::v1::GetStatusResponse response;
  const grpc::Status status =
      client->stub().GetStatus(client->Context().get(), request, &response);
  if (!status.ok()) return Failed(status);
  std::printf("%s", ferry::ctl::StatusTable(response).c_str());
  return 0;
}

int Act(Client* client, const Args& args,
        grpc::Status (ferry::v1::Control::Stub::*call)(
            grpc::ClientContext*, const ferry::v1::IntegrationRequest&,
            ferry::v1::IntegrationActionResponse*),
        const char* done) {
  if (args.size() != 1) return Usage("name one INTEGRATION");
  ferry::v1::IntegrationRequest request;
  request.set_integration(args[0]);
  ferry::v1::IntegrationActionResponse response;
  const grpc::Status status =
      (client->stub().*call)(client->Context().get(), request, &response);
  if (!status.ok()) return Failed(status);
  std::printf("%s: %s\n", args[0].c_str(), done);
  return 0;
}

int Backfill(Client* client, const Args& args) {
  if (args.size() != 1) return Usage("backfill takes one INTEGRATION");
  ferry::v1::BackfillRequest request;
  request.set_integration(args[0]);
  request.set_system(absl::GetFlag(FLAGS_system));
  request.set_project(absl::GetFlag(FLAGS_project));
  if (!TimeUtil::FromString(absl::GetFlag(FLAGS_since), request.mutable_since())) {
    return Usage("backfill needs --since=2026-11-01T00:00:00Z");
  }
  auto context = client->Context();
  context->set_deadline(std::chrono::system_clock::time_point::max());
  auto stream = client->stub().Backfill(context.get(), request);
  ferry::ctl::BackfillProgressView view(args[0], isatty(fileno(stderr)) != 0, absl::Now());
  ferry::v1::BackfillProgress progress;
  bool ended = false;
  while (!ended && stream->Read(&progress)) {
    std::fputs(view.Update(progress, absl::Now()).c_str(), stderr);
    ended = progress.done() || !progress.error().empty();
  }
  const grpc::Status status = stream->Finish();
  return status.ok() ? 0 : Failed(status);
}

int Failures(Client* client, const Args& args) {
  if (args.empty()) return Usage("failures list|reprocess|skip");
  const std::string verb = args[0];
  if (verb == "list") {
    ferry::v1::ListFailuresRequest request;
    if (args.size() > 1) request.set_integration(args[1]);
    request.set_error_contains(absl::GetFlag(FLAGS_error));
    int shown = 0;
    do {
      ferry::v1::ListFailuresResponse response;
      const grpc::Status status =
          client->stub().ListFailures(client->Context().get(), request, &response);
      if (!status.ok()) return Failed(status);
      for (const auto& failure : response.failures()) {
        std::printf("%s  %s  %s %s  attempts %d  next %s\n  %s\n",
                    failure.id().c_str(), failure.integration().c_str(),
                    failure.source_system().c_str(), failure.source_key().c_str(),
                    failure.attempts(), ferry::ctl::TimeOrDash(failure.next_attempt()).c_str(),
                    failure.error().c_str());
        ++shown;
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    std::printf("%d open failure(s)\n", shown);
    return 0;
  }
  if ((verb != "reprocess" && verb != "skip") || args.size() != 2) {
    return Usage("failures reprocess|skip INTEGRATION (--ids=A,B | --error=TEXT)");
  }
  ferry::v1::FailureSelector selector;
  selector.set_integration(args[1]);
  for (absl::string_view id :
       absl::StrSplit(absl::GetFlag(FLAGS_ids), ',', absl::SkipEmpty())) {
    selector.add_ids(std::string(id));
  }
  selector.set_error_contains(absl::GetFlag(FLAGS_error));
  if (selector.ids().empty() && selector.error_contains().empty()) {
    return Usage("select failures with --ids or --error");
  }
  ferry::v1::FailureActionResponse response;
  const grpc::Status status =
      verb == "reprocess"
          ? client->stub().ReprocessFailures(client->Context().get(), selector, &response)
          : client->stub().SkipFailures(client->Context().get(), selector, &response);
  if (!status.ok()) return Failed(status);
  std::printf("%s: %d failure(s)", verb.c_str(), response.affected());
  if (!response.still_failing().empty()) {
    std::printf(", %d still failing:", response.still_failing_size());
    for (const auto& failure : response.still_failing()) {
      std::printf("\n  %s: %s", failure.id().c_str(), failure.error().c_str());
    }
  }
  std::printf("\n");
  return response.still_failing().empty() ? 0 : kFailed;
}

int Link(Client* client, const Args& args) {
  if (args.size() != 3 || args[0] != "show") {
    return Usage("link show INTEGRATION ENTITY [--system=S]");
  }
  ferry::v1::GetLinkRequest request;
  request.set_integration(args[1]);
  request.set_entity(args[2]);
  request.set_system(absl::GetFlag(FLAGS_system));
  ferry::v1::Link link;
  const grpc::Status status =
      client->stub().GetLink(client->Context().get(), request, &link);
  if (!status.ok()) return Failed(status);
  std::printf("%s %s (%s)  <->  %s %s (%s)\nlast synced %s\n",
              link.source_system().c_str(), link.source_key().c_str(),
              link.source_id().c_str(), link.target_system().c_str(),
              link.target_key().c_str(), link.target_id().c_str(),
              ferry::ctl::TimeOrDash(link.last_synced_at()).c_str());
  std::map<std::string, std::string> fields;
  for (const auto& [key, value] : link.last_synced()) fields[key] = Value(value);
  for (const auto& [key, value] : fields) {
    std::printf("  %-32s %s\n", key.c_str(), value.c_str());
  }
  std::printf("  %d comment(s) synced\n", link.comments_size());
  return 0;
}

int Mapping(Client* client, const Args& args) {
  if (args.size() != 3 || args[0] != "preview") {
    return Usage("mapping preview INTEGRATION ENTITY_ID [--system=S]");
  }
  ferry::v1::PreviewMappingRequest request;
  request.set_integration(args[1]);
  request.set_entity_id(args[2]);
  request.set_system(absl::GetFlag(FLAGS_system));
  ferry::v1::PreviewMappingResponse response;
  const grpc::Status status =
      client->stub().PreviewMapping(client->Context().get(), request, &response);
  if (!status.ok()) return Failed(status);
  std::printf("%s", response.text().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "ferryctl COMMAND ...\n"
      "  validate FILE\n"
      "  check SYSTEM\n"
      "  fields SYSTEM [--config=FILE]\n"
      "  status [INTEGRATION]\n"
      "  sync-now|pause|resume INTEGRATION\n"
      "  backfill INTEGRATION --since=TIME [--system=S] [--project=P]\n"
      "  failures list [INTEGRATION] [--error=TEXT]\n"
      "  failures reprocess|skip INTEGRATION (--ids=A,B | --error=TEXT)\n"
      "  link show INTEGRATION ENTITY [--system=S]\n"
      "  mapping preview INTEGRATION ENTITY_ID [--system=S]\n");
  ferry::SetVersionFlag("ferryctl");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) return Usage("name a command");
  const std::string command = positional[1];
  const Args args(positional.begin() + 2, positional.end());
  using Stub = ferry::v1::Control::Stub;
  const std::map<std::string, std::function<int(Client*, const Args&)>> commands = {
      {"validate", Validate},
      {"check", Check},
      {"fields", [](Client*, const Args& a) { return ferry::ferryctl::RunFieldsCommand(a); }},
      {"status", Status},
      {"sync-now", [](Client* c, const Args& a) { return Act(c, a, &Stub::SyncNow, "polling now"); }},
      {"pause", [](Client* c, const Args& a) { return Act(c, a, &Stub::PauseIntegration, "paused"); }},
      {"resume", [](Client* c, const Args& a) { return Act(c, a, &Stub::StartIntegration, "running"); }},
      {"backfill", Backfill},
      {"failures", Failures},
      {"link", Link},
      {"mapping", Mapping},
  };
  auto it = commands.find(command);
  if (it == commands.end()) return Usage(absl::StrCat("unknown command '", command, "'"));
  // These two work on a config, without ferryd.
  if (command == "validate" || command == "fields") return it->second(nullptr, args);
  Client client;
  return it->second(&client, args);
}
