#include "engine/config/validate.h"

#include <arpa/inet.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "engine/config/secrets.h"
#include "engine/config/system_options.h"
#include "engine/config/tls_files.h"
#include "google/protobuf/util/time_util.h"

namespace ferry::config {
namespace {

using ferry::v1::ConfigProblem;
using ferry::v1::FerryConfig;
using google::protobuf::util::TimeUtil;

// "scheme://…" with a scheme as RFC 3986 allows; connectors check which
// schemes they take.
bool HasScheme(absl::string_view url) {
  const size_t end = url.find("://");
  if (end == absl::string_view::npos || end == 0) return false;
  for (size_t i = 0; i < end; ++i) {
    const char c = url[i];
    const bool ok = absl::ascii_isalpha(c) ||
                    (i > 0 && (absl::ascii_isdigit(c) || c == '+' ||
                               c == '-' || c == '.'));
    if (!ok) return false;
  }
  return true;
}

std::string Quoted(const std::vector<std::string>& names) {
  if (names.empty()) return "(none defined)";
  return absl::StrJoin(names, ", ");
}

class Validator {
 public:
  Validator(const FerryConfig& config, const ValidationOptions& options,
            absl::string_view file, const SourceMap& sources)
      : config_(config), options_(options), file_(file), sources_(sources) {}

  std::vector<ConfigProblem> Run() {
    CheckSystems();
    CheckMappings();
    CheckIntegrations();
    CheckServer();
    return std::move(problems_);
  }

 private:
  void CheckSystems() {
    for (int i = 0; i < config_.systems_size(); ++i) {
      const auto& system = config_.systems(i);
      const std::string path = absl::StrCat("systems[", i, "]");
      CheckName(system.name(), path, "system", "pd-prod",
                "integrations refer to the system by it", &system_index_);
      if (system.kind().empty()) {
        Problem(path + ".kind", "a system needs a kind",
                absl::StrCat("set kind to one of ",
                             Quoted(options_.system_kinds)));
      } else if (!KnownKind(system.kind())) {
        Problem(path + ".kind",
                absl::StrCat("unknown kind '", system.kind(), "'"),
                absl::StrCat("use one of ", Quoted(options_.system_kinds)));
      }
      if (system.url().empty()) {
        Problem(path + ".url", "a system needs the URL of its REST API",
                "add url, the base URL of the system's REST API");
      } else if (!HasScheme(system.url())) {
        Problem(path + ".url",
                absl::StrCat("'", system.url(), "' is not a URL"),
                "write the URL with its scheme, such as "
                "https://example.atlassian.net");
      }
      CheckSecret(system.has_token(), system.token(), path + ".token",
                  "a system needs its integration user's API token");
      CheckOptions(system, path + ".options");
    }
  }

  // The typed options against their connector's cross-field rules; the
  // reader has checked names and types already. A known kind that takes
  // no options has its block left in the untyped map: refused here.
  void CheckOptions(const ferry::v1::SystemConfig& system,
                    const std::string& path) {
    const SystemOptionsSpec* spec = FindSystemOptions(system.kind());
    if (spec == nullptr) {
      if (!system.options().empty() && KnownKind(system.kind())) {
        Problem(path, absl::StrCat("a ", system.kind(), " system takes no options"),
                "remove the options block");
      }
      return;
    }
    if (!spec->check && !spec->secrets) return;
    std::unique_ptr<google::protobuf::Message> options(spec->prototype->New());
    if (const absl::Status unpacked = UnpackSystemOptions(system, options.get());
        !unpacked.ok()) {
      Problem(path, unpacked.message(), "write the options under options: in the YAML config");
      return;
    }
    if (spec->check) {
      for (const OptionProblem& problem : spec->check(*options)) {
        Problem(absl::StrCat(path, ".", problem.option), problem.message, problem.fix);
      }
    }
    if (spec->secrets && options_.check_secrets) {
      for (const OptionSecret& secret : spec->secrets(*options)) {
        CheckReadable(secret.ref, absl::StrCat(path, ".", secret.option));
      }
    }
    if (spec->tls && options_.check_secrets) {
      for (TlsSettings settings : spec->tls(*options)) {
        for (TlsFileSetting* file :
             {&settings.certificate, &settings.private_key, &settings.ca}) {
          if (!file->option.empty()) file->option = absl::StrCat(path, ".", file->option);
        }
        CheckTlsFiles(settings);
      }
    }
  }

  void CheckMappings() {
    for (int i = 0; i < config_.mappings_size(); ++i) {
      const auto& mapping = config_.mappings(i);
      const std::string path = absl::StrCat("mappings[", i, "]");
      CheckName(mapping.name(), path, "mapping", "incident-to-bug",
                "integrations refer to the mapping by it", &mapping_index_);
      for (int f = 0; f < mapping.fields_size(); ++f) {
        const auto& field = mapping.fields(f);
        const std::string field_path = absl::StrCat(path, ".fields[", f, "]");
        if (field.source().empty()) {
          Problem(field_path + ".source", "a field mapping needs a source field",
                  "name the field to read, such as Title");
        }
        if (field.target().empty()) {
          Problem(field_path + ".target", "a field mapping needs a target field",
                  "name the field to write, such as summary");
        }
      }
    }
  }

  void CheckIntegrations() {
    absl::flat_hash_map<std::string, int> names;
    for (int i = 0; i < config_.integrations_size(); ++i) {
      const auto& integration = config_.integrations(i);
      const std::string path = absl::StrCat("integrations[", i, "]");
      CheckName(integration.name(), path, "integration", "pd-to-jira",
                "its state, metrics and logs are keyed by it", &names);
      CheckEndpointSystem(integration.source().system(), path + ".source");
      CheckEndpointSystem(integration.target().system(), path + ".target");
      if (integration.source().projects().empty()) {
        Problem(path + ".source.projects",
                "the source lists no projects to read",
                "list PagerDuty service ids or Jira project keys under "
                "projects");
      }
      if (integration.target().projects_size() != 1) {
        Problem(path + ".target.projects",
                absl::StrCat("a target has exactly one project, found ",
                             integration.target().projects_size()),
                "list the one project new entities are created in");
      }
      if (integration.mapping().empty()) {
        Problem(path + ".mapping", "an integration needs a mapping",
                absl::StrCat("name one of the mappings: ",
                             Quoted(Names(mapping_index_))));
      } else if (!mapping_index_.contains(integration.mapping())) {
        Problem(path + ".mapping",
                absl::StrCat("no mapping named '", integration.mapping(), "'"),
                absl::StrCat("define it under mappings or use one of: ",
                             Quoted(Names(mapping_index_))));
      }
      if (integration.direction() == ferry::v1::DIRECTION_REVERSE) {
        Problem(path + ".direction",
                "an integration cannot run in REVERSE",
                "swap source and target and use FORWARD");
      }
      CheckPositive(integration.has_poll_interval(),
                    integration.poll_interval(), path + ".poll_interval",
                    "poll interval", "60s");
      CheckRetry(integration.retry(), path + ".retry");
    }
  }

  void CheckServer() {
    const auto& server = config_.server();
    if (server.has_control_token()) {
      CheckSecret(true, server.control_token(), "server.control_token", "");
    }
    // Unset means 127.0.0.1:7400.
    if (!server.has_control_token() && !server.control_listen().empty() &&
        !IsLoopbackAddress(server.control_listen())) {
      Problem("server.control_listen",
              absl::StrCat("the control API on ", server.control_listen(),
                           " is reachable beyond this host, and without "
                           "server.control_token anyone reaching it could "
                           "backfill, skip failures or pause integrations"),
              "set server.control_token (such as `control_token: {env: "
              "FERRY_CONTROL_TOKEN}`), or listen on 127.0.0.1");
    }
    if (server.tls_cert_file().empty() != server.tls_key_file().empty()) {
      Problem(server.tls_cert_file().empty() ? "server.tls_cert_file"
                                             : "server.tls_key_file",
              "TLS needs both a certificate and its key",
              "set both tls_cert_file and tls_key_file, or neither");
    } else if (!server.tls_cert_file().empty() && options_.check_secrets) {
      CheckTlsFiles({{"server.tls_cert_file", server.tls_cert_file()},
                     {"server.tls_key_file", server.tls_key_file()},
                     {}});
    }
    CheckStageTls(server);
  }

  void CheckStageTls(const ferry::v1::ServerConfig& server) {
    const TlsSettings settings = {
        {"server.stage_tls_cert_file", server.stage_tls_cert_file()},
        {"server.stage_tls_key_file", server.stage_tls_key_file()},
        {"server.stage_tls_ca_file", server.stage_tls_ca_file()}};
    bool complete = true;
    for (const TlsFileSetting* file :
         {&settings.certificate, &settings.private_key, &settings.ca}) {
      if (server.stage_mtls() && file->path.empty()) {
        complete = false;
        Problem(file->option, "stage_mtls is on but this file is not set",
                "name the PEM file (this stage's certificate, its key, and the CA "
                "that signs every stage's certificate), or turn stage_mtls off");
      } else if (!server.stage_mtls() && !file->path.empty()) {
        Problem(file->option, "a stage TLS file is set but stage_mtls is off",
                "set `stage_mtls: true` to authenticate and encrypt the stage "
                "streams, or remove the stage TLS files");
      }
    }
    if (server.stage_mtls() && complete && options_.check_secrets &&
        options_.stage_streams) {
      CheckTlsFiles(settings);
    }
  }

  // Reports the first file of `settings` that ferryd could not load, at the
  // setting that names it.
  void CheckTlsFiles(const TlsSettings& settings) {
    std::string option;
    const auto files = ReadTlsFiles(settings, &option);
    if (files.ok()) return;
    absl::string_view message = files.status().message();
    absl::ConsumePrefix(&message, absl::StrCat(option, ": "));
    Problem(option, message,
            "give ferryd a readable PEM file of the right kind (see the "
            "setting's comment in proto/config.proto)");
  }

  bool KnownKind(const std::string& kind) const {
    return std::find(options_.system_kinds.begin(),
                     options_.system_kinds.end(),
                     kind) != options_.system_kinds.end();
  }

  // Checks that a system reference names a system.
  void CheckEndpointSystem(const std::string& name, const std::string& path) {
    if (name.empty()) {
      Problem(path + ".system", "no system given",
              absl::StrCat("name one of the systems: ",
                           Quoted(Names(system_index_))));
    } else if (!system_index_.contains(name)) {
      Problem(path + ".system", absl::StrCat("no system named '", name, "'"),
              absl::StrCat("define it under systems or use one of: ",
                           Quoted(Names(system_index_))));
    }
  }

  void CheckRetry(const ferry::v1::RetryPolicy& retry,
                  const std::string& path) {
    CheckPositive(retry.has_initial_backoff(), retry.initial_backoff(),
                  path + ".initial_backoff", "backoff", "30s");
    CheckPositive(retry.has_max_backoff(), retry.max_backoff(),
                  path + ".max_backoff", "backoff", "15m");
    if (retry.has_initial_backoff() && retry.has_max_backoff() &&
        retry.max_backoff() < retry.initial_backoff()) {
      Problem(path + ".max_backoff",
              "max_backoff is shorter than initial_backoff",
              "make max_backoff at least as long as initial_backoff");
    }
  }

  void CheckPositive(bool present, const google::protobuf::Duration& value,
                     const std::string& path, absl::string_view what,
                     absl::string_view example) {
    if (!present || value > google::protobuf::Duration()) return;
    Problem(path,
            absl::StrCat("the ", what, " must be positive, found ",
                         TimeUtil::ToString(value)),
            absl::StrCat("write a positive duration such as ", example));
  }

  void CheckSecret(bool present, const ferry::v1::SecretRef& ref,
                   const std::string& path, absl::string_view missing) {
    if (!present || ref.source_case() == ferry::v1::SecretRef::SOURCE_NOT_SET) {
      Problem(path, missing.empty() ? "the secret names no source" : missing,
              absl::StrCat("add `", path.substr(path.rfind('.') + 1),
                           ": {env: VARIABLE}` or `{file: /path/to/secret}`"));
      return;
    }
    if (options_.check_secrets) CheckReadable(ref, path);
  }

  // Reports the secret `ref` at `path` when ferryd could not read it.
  void CheckReadable(const ferry::v1::SecretRef& ref, const std::string& path) {
    const absl::Status readable = config::CheckSecret(ref);
    if (!readable.ok()) {
      Problem(path, readable.message(),
              "make the secret available to ferryd, or correct the "
              "reference");
    }
  }

  // Names must be present and unique; `index` maps them to the index of
  // the first entry that has them.
  void CheckName(const std::string& name, const std::string& path,
                 absl::string_view what, absl::string_view example,
                 absl::string_view why,
                 absl::flat_hash_map<std::string, int>* index) {
    if (name.empty()) {
      Problem(path + ".name", absl::StrCat("a ", what, " needs a name"),
              absl::StrCat("add a unique name such as `name: ", example,
                           "`; ", why));
      return;
    }
    const size_t open = path.rfind('[');
    auto [it, inserted] =
        index->emplace(name, std::stoi(path.substr(open + 1)));
    if (!inserted) {
      Problem(path + ".name",
              absl::StrCat("the name '", name, "' is already used by ",
                           path.substr(0, open), "[", it->second, "]"),
              absl::StrCat("give each ", what, " its own name"));
    }
  }

  static std::vector<std::string> Names(
      const absl::flat_hash_map<std::string, int>& index) {
    std::vector<std::pair<int, std::string>> ordered;
    for (const auto& [name, i] : index) ordered.emplace_back(i, name);
    std::sort(ordered.begin(), ordered.end());
    std::vector<std::string> names;
    for (auto& entry : ordered) names.push_back(std::move(entry.second));
    return names;
  }

  void Problem(const std::string& path, absl::string_view message,
               absl::string_view fix) {
    problems_.push_back(MakeProblem(file_, sources_, path, message, fix));
  }

  const FerryConfig& config_;
  const ValidationOptions& options_;
  const std::string file_;
  const SourceMap& sources_;
  std::vector<ConfigProblem> problems_;
  absl::flat_hash_map<std::string, int> system_index_;
  absl::flat_hash_map<std::string, int> mapping_index_;
};

}  // namespace

bool IsLoopbackAddress(absl::string_view address) {
  if (absl::StartsWith(address, "unix:")) return true;
  absl::string_view host;
  if (absl::StartsWith(address, "[")) {
    host = address.substr(1, address.find(']') - 1);
  } else {
    host = address.substr(0, address.rfind(':'));
  }
  if (absl::AsciiStrToLower(host) == "localhost") return true;
  const std::string text(host);
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  return inet_pton(AF_INET6, text.c_str(), &v6) == 1 &&
         IN6_IS_ADDR_LOOPBACK(&v6);
}

std::vector<ConfigProblem> ValidateConfig(const FerryConfig& config,
                                          const ValidationOptions& options,
                                          absl::string_view file,
                                          const SourceMap& sources) {
  return Validator(config, options, file, sources).Run();
}

}  // namespace ferry::config
