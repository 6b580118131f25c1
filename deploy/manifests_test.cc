// Checks the Kubernetes manifests of deploy/ against each other and against
// the real ferryd: valid multi-document YAML, every referenced name exists,
// ports agree with the flags, every flag is a ferryd flag, shards agree
// with replicas, the ConfigMap's config loads, every container runs the
// image deploy/image/build.sh makes, as that image's user, and the stage
// streams are mutual TLS with certificates cert-manager issues, each stage
// port reachable only from the stage before it.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "deploy/testing/ferryd_facts.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "gtest/gtest.h"
#include "yaml-cpp/yaml.h"

namespace ferry::deploy {
namespace {

// One Kubernetes object and the file it came from.
struct Object {
  std::string file;
  std::string kind;
  std::string name;
  YAML::Node node;
};

// What is applied together: the shared objects and one way to run ferryd.
const std::map<std::string, std::vector<std::string>> kVariants = {
    {"stages", {"deploy/common", "deploy/stages"}},
    {"embedded", {"deploy/common", "deploy/embedded"}},
};

std::vector<std::string> YamlFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  return files;
}

std::vector<Object> Load(const std::vector<std::string>& dirs) {
  std::vector<Object> objects;
  for (const auto& dir : dirs) {
    for (const auto& file : YamlFiles(dir)) {
      std::vector<YAML::Node> docs;
      try {
        docs = YAML::LoadAllFromFile(file);
      } catch (const YAML::Exception& e) {
        ADD_FAILURE() << file << ": not valid YAML: " << e.what();
      }
      for (const YAML::Node& doc : docs) {
        objects.push_back({file, doc["kind"].as<std::string>(""),
                           doc["metadata"]["name"].as<std::string>(""), doc});
      }
    }
  }
  return objects;
}

const Object* Find(const std::vector<Object>& objects, const std::string& kind,
                   const std::string& name) {
  for (const auto& object : objects) {
    if (object.kind == kind && object.name == name) return &object;
  }
  return nullptr;
}

bool IsWorkload(const Object& object) {
  return object.kind == "StatefulSet" || object.kind == "Deployment";
}

// `labels` contains every key/value of `wanted`.
bool Contains(const YAML::Node& labels, const YAML::Node& wanted) {
  for (const auto& pair : wanted) {
    const std::string key = pair.first.as<std::string>();
    if (!labels[key] || labels[key].as<std::string>() != pair.second.as<std::string>()) {
      return false;
    }
  }
  return true;
}

// The --name=value arguments of a container.
std::map<std::string, std::string> Flags(const YAML::Node& container) {
  std::map<std::string, std::string> flags;
  for (const auto& arg : container["args"]) {
    const std::string text = arg.as<std::string>();
    std::vector<std::string> parts = absl::StrSplit(text, absl::MaxSplits('=', 1));
    EXPECT_TRUE(absl::StartsWith(text, "--") && parts.size() == 2)
        << "argument '" << text << "' is not --flag=value";
    if (parts.size() == 2) flags[parts[0].substr(2)] = parts[1];
  }
  return flags;
}

// The value of --`name`, or "" (and a test failure naming `where`) when
// the container does not set it.
std::string Flag(const std::map<std::string, std::string>& flags,
                 const std::string& name, const std::string& where) {
  const auto found = flags.find(name);
  if (found != flags.end()) return found->second;
  ADD_FAILURE() << where << ": no --" << name;
  return "";
}

int PortOf(const std::string& address) {
  int port = -1;
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port)) {
    return -1;
  }
  return port;
}

// containerPort by name.
std::map<std::string, int> ContainerPorts(const YAML::Node& container) {
  std::map<std::string, int> ports;
  for (const auto& port : container["ports"]) {
    ports[port["name"].as<std::string>("")] = port["containerPort"].as<int>();
  }
  return ports;
}

bool HasPort(const std::map<std::string, int>& ports, int port) {
  for (const auto& [name, number] : ports) {
    if (number == port) return true;
  }
  return false;
}

YAML::Node Container(const Object& workload) {
  return workload.node["spec"]["template"]["spec"]["containers"][0];
}

std::string Stage(const Object& workload) {
  const auto flags = Flags(Container(workload));
  const auto stage = flags.find("stage");
  return stage == flags.end() ? "all" : stage->second;
}

std::string Where(const Object& object) {
  return absl::StrCat(object.file, ": ", object.kind, " ", object.name);
}

TEST(ManifestsTest, EveryDocumentIsAnObjectWithKindAndName) {
  for (const auto& [variant, dirs] : kVariants) {
    std::map<std::string, int> documents;
    for (const auto& dir : dirs) {
      for (const auto& file : YamlFiles(dir)) documents[file] = 0;
    }
    for (const auto& object : Load(dirs)) {
      ++documents[object.file];
      EXPECT_TRUE(object.node["apiVersion"].IsScalar()) << object.file;
      EXPECT_FALSE(object.kind.empty()) << object.file << ": a document without kind";
      EXPECT_FALSE(object.name.empty()) << object.file << ": a document without a name";
    }
    for (const auto& [file, count] : documents) {
      EXPECT_GT(count, 0) << file << " holds no object";
    }
    EXPECT_GE(documents.size(), 2u) << variant << ": manifests missing from the runfiles";
  }
}

TEST(ManifestsTest, EveryReferencedNameExists) {
  for (const auto& [variant, dirs] : kVariants) {
    SCOPED_TRACE(variant);
    const std::vector<Object> objects = Load(dirs);
    for (const auto& object : objects) {
      if (object.kind == "Service") {
        // A Service selects some workload's pods, on ports they name.
        bool selects = false;
        for (const auto& workload : objects) {
          if (!IsWorkload(workload) ||
              !Contains(workload.node["spec"]["template"]["metadata"]["labels"],
                        object.node["spec"]["selector"])) {
            continue;
          }
          selects = true;
          const auto ports = ContainerPorts(Container(workload));
          for (const auto& port : object.node["spec"]["ports"]) {
            const std::string target = port["targetPort"].as<std::string>();
            EXPECT_EQ(ports.count(target), 1u)
                << Where(object) << ": targetPort '" << target << "' is no port of "
                << workload.name;
            if (ports.count(target) > 0) {
              EXPECT_EQ(port["port"].as<int>(), ports.at(target)) << Where(object);
            }
          }
        }
        EXPECT_TRUE(selects) << Where(object) << " selects no pods";
        continue;
      }
      if (!IsWorkload(object)) continue;
      const YAML::Node spec = object.node["spec"];
      EXPECT_TRUE(Contains(spec["template"]["metadata"]["labels"],
                           spec["selector"]["matchLabels"]))
          << Where(object) << ": selector does not match the pod labels";
      if (object.kind == "StatefulSet") {
        const std::string service = spec["serviceName"].as<std::string>("");
        const Object* headless = Find(objects, "Service", service);
        ASSERT_NE(headless, nullptr) << Where(object) << ": no Service '" << service << "'";
        EXPECT_EQ(headless->node["spec"]["clusterIP"].as<std::string>(""), "None")
            << service << " must be headless";
      }
      std::set<std::string> volumes;
      for (const auto& volume : spec["template"]["spec"]["volumes"]) {
        volumes.insert(volume["name"].as<std::string>());
        if (volume["configMap"]) {
          const std::string name = volume["configMap"]["name"].as<std::string>();
          EXPECT_NE(Find(objects, "ConfigMap", name), nullptr)
              << Where(object) << ": no ConfigMap '" << name << "'";
        }
      }
      for (const auto& claim : spec["volumeClaimTemplates"]) {
        volumes.insert(claim["metadata"]["name"].as<std::string>());
      }
      const YAML::Node container = Container(object);
      for (const auto& mount : container["volumeMounts"]) {
        EXPECT_EQ(volumes.count(mount["name"].as<std::string>()), 1u)
            << Where(object) << ": no volume '" << mount["name"] << "'";
      }
      std::set<std::string> env;
      for (const auto& var : container["env"]) {
        env.insert(var["name"].as<std::string>());
        const YAML::Node secret = var["valueFrom"]["secretKeyRef"];
        if (!secret) continue;
        const Object* found = Find(objects, "Secret", secret["name"].as<std::string>());
        ASSERT_NE(found, nullptr) << Where(object) << ": no Secret " << secret["name"];
        EXPECT_TRUE(found->node["stringData"][secret["key"].as<std::string>()])
            << Where(object) << ": Secret " << secret["name"] << " has no key "
            << secret["key"];
      }
      // $(VAR) in an argument is expanded by Kubernetes from the env.
      for (const auto& [flag, value] : Flags(container)) {
        if (const size_t open = value.find("$("); open != std::string::npos) {
          const std::string var = value.substr(open + 2, value.find(')', open) - open - 2);
          EXPECT_EQ(env.count(var), 1u) << Where(object) << ": --" << flag
                                        << " uses $(" << var << ") with no such env";
        }
      }
    }
  }
}

TEST(ManifestsTest, EveryFlagIsAFerrydFlag) {
  const auto known = FerrydFlags();
  ASSERT_TRUE(known.ok()) << known.status();
  for (const auto& [variant, dirs] : kVariants) {
    for (const auto& object : Load(dirs)) {
      if (!IsWorkload(object)) continue;
      for (const auto& [flag, value] : Flags(Container(object))) {
        EXPECT_EQ(known->count(flag), 1u) << Where(object) << ": ferryd has no --" << flag;
      }
    }
  }
}

TEST(ManifestsTest, PortsProbesAndScrapeAnnotationsMatchTheFlags) {
  for (const auto& [variant, dirs] : kVariants) {
    for (const auto& object : Load(dirs)) {
      if (!IsWorkload(object)) continue;
      SCOPED_TRACE(Where(object));
      const YAML::Node container = Container(object);
      const auto flags = Flags(container);
      const auto ports = ContainerPorts(container);
      // Each served address is a container port, and each port is served.
      std::set<int> served;
      for (const char* flag : {"listen", "metrics_listen", "control_listen"}) {
        if (flags.count(flag) == 0) continue;
        const int port = PortOf(flags.at(flag));
        EXPECT_TRUE(HasPort(ports, port)) << "--" << flag << " port " << port
                                          << " is no containerPort";
        served.insert(port);
      }
      for (const auto& [name, port] : ports) {
        EXPECT_EQ(served.count(port), 1u) << "containerPort " << name << " is served by no flag";
      }
      // Probes: gRPC health on the control API's port, in plain text (a
      // stage port requires a client certificate the kubelet cannot show).
      const std::string grpc_flag = "control_listen";
      for (const char* probe : {"readinessProbe", "livenessProbe"}) {
        const YAML::Node check = container[probe];
        ASSERT_TRUE(check) << "no " << probe;
        ASSERT_EQ(flags.count(grpc_flag), 1u) << "no --" << grpc_flag;
        EXPECT_EQ(check["grpc"]["port"].as<int>(-1), PortOf(flags.at(grpc_flag))) << probe;
      }
      const YAML::Node annotations = object.node["spec"]["template"]["metadata"]["annotations"];
      EXPECT_EQ(annotations["prometheus.io/scrape"].as<std::string>(""), "true");
      EXPECT_EQ(annotations["prometheus.io/path"].as<std::string>(""), "/metrics");
      ASSERT_EQ(flags.count("metrics_listen"), 1u);
      EXPECT_EQ(annotations["prometheus.io/port"].as<std::string>(""),
                std::to_string(PortOf(flags.at("metrics_listen"))));
      const YAML::Node requests = container["resources"]["requests"];
      EXPECT_TRUE(requests["cpu"] && requests["memory"]) << "no resource requests";
    }
  }
}

TEST(ManifestsTest, StagesDialEachOtherOnServedPortsAndShardsMatchReplicas) {
  const std::vector<Object> objects = Load(kVariants.at("stages"));
  std::map<std::string, const Object*> stages;
  for (const auto& object : objects) {
    if (IsWorkload(object)) stages[Stage(object)] = &object;
  }
  ASSERT_EQ(stages.size(), 3u) << "one workload per stage";
  const Object& reader = *stages.at("reader");
  const Object& transformer = *stages.at("transformer");
  const Object& writer = *stages.at("writer");
  const auto reader_flags = Flags(Container(reader));
  const auto transformer_flags = Flags(Container(transformer));
  const auto writer_flags = Flags(Container(writer));
  const int writers = writer.node["spec"]["replicas"].as<int>();

  // Reader -> transformer: the transformer's Service, on its --listen port.
  const std::string to_transformer = Flag(reader_flags, "downstream", reader.name);
  EXPECT_EQ(to_transformer.substr(0, to_transformer.rfind(':')),
            transformer.node["metadata"]["name"].as<std::string>());
  EXPECT_NE(Find(objects, "Service", transformer.name), nullptr);
  EXPECT_EQ(PortOf(to_transformer), PortOf(Flag(transformer_flags, "listen", transformer.name)));

  // Transformer -> every writer shard, in shard order, by pod DNS name.
  const std::vector<std::string> shards =
      absl::StrSplit(Flag(transformer_flags, "downstream", transformer.name), ',');
  ASSERT_EQ(static_cast<int>(shards.size()), writers)
      << "the transformer must list every writer replica";
  const std::string service = writer.node["spec"]["serviceName"].as<std::string>();
  for (int i = 0; i < writers; ++i) {
    EXPECT_EQ(shards[i], absl::StrCat(writer.name, "-", i, ".", service, ":",
                                      PortOf(Flag(writer_flags, "listen", writer.name))));
  }
  // Each sharded StatefulSet takes its shard from its ordinal.
  for (const Object* sharded : {&reader, &writer}) {
    const auto flags = Flags(Container(*sharded));
    EXPECT_EQ(Flag(flags, "shards", sharded->name),
              std::to_string(sharded->node["spec"]["replicas"].as<int>()))
        << Where(*sharded) << ": --shards must equal replicas";
    EXPECT_EQ(Flag(flags, "shard", sharded->name), "$(POD_INDEX)") << Where(*sharded);
  }
}

// The config of the ConfigMap ferry-config (deploy/common), as read
// without its secrets; empty, with a test failure, when there is none.
config::LoadedConfig LoadSharedConfig() {
  const std::vector<Object> common = Load({"deploy/common"});
  const Object* config_map = Find(common, "ConfigMap", "ferry-config");
  if (config_map == nullptr) {
    ADD_FAILURE() << "deploy/common has no ConfigMap ferry-config";
    return {};
  }
  config::ValidationOptions options;
  options.system_kinds = engine::ConnectorRegistry::Kinds();
  return config::LoadConfigText(config_map->node["data"]["ferry.yaml"].as<std::string>(),
                                "ferry.yaml", options);
}

// The host of "host:port".
std::string HostOf(const std::string& address) {
  return address.substr(0, address.rfind(':'));
}

// Whether a certificate DNS name ("*.ferry-writer" matches one label) covers
// `host`.
bool DnsNameCovers(const std::string& name, const std::string& host) {
  if (!absl::StartsWith(name, "*.")) return name == host;
  const size_t dot = host.find('.');
  return dot != std::string::npos && host.substr(dot) == name.substr(1);
}

TEST(ManifestsTest, StageStreamsUseMutualTlsWithTheCertificatesCertManagerIssues) {
  const config::LoadedConfig loaded = LoadSharedConfig();
  const ferry::v1::ServerConfig& server = loaded.config.server();
  ASSERT_TRUE(server.stage_mtls()) << "the config leaves the stage streams in plain text";
  const std::string dir = server.stage_tls_cert_file().substr(
      0, server.stage_tls_cert_file().rfind('/'));
  for (const std::string& file : {server.stage_tls_cert_file(), server.stage_tls_key_file(),
                                  server.stage_tls_ca_file()}) {
    EXPECT_EQ(file.substr(0, file.rfind('/')), dir) << "the stage TLS files share one mount";
  }
  // cert-manager writes tls.crt, tls.key and ca.crt into a Certificate's Secret.
  EXPECT_EQ(server.stage_tls_cert_file(), dir + "/tls.crt");
  EXPECT_EQ(server.stage_tls_key_file(), dir + "/tls.key");
  EXPECT_EQ(server.stage_tls_ca_file(), dir + "/ca.crt");

  const std::vector<Object> certificates = Load({"deploy/cert-manager"});
  std::map<std::string, const Object*> by_secret;
  for (const auto& object : certificates) {
    if (object.kind == "Certificate") {
      by_secret[object.node["spec"]["secretName"].as<std::string>("")] = &object;
    }
  }
  // The hosts each stage is dialed by.
  std::map<std::string, std::vector<std::string>> dialed_as;
  const std::vector<Object> objects = Load(kVariants.at("stages"));
  std::map<std::string, const Object*> stages;
  for (const auto& object : objects) {
    if (IsWorkload(object)) stages[Stage(object)] = &object;
  }
  ASSERT_EQ(stages.size(), 3u);
  dialed_as["transformer"].push_back(
      HostOf(Flags(Container(*stages.at("reader"))).at("downstream")));
  const std::vector<std::string> shards =
      absl::StrSplit(Flags(Container(*stages.at("transformer"))).at("downstream"), ',');
  for (const std::string& shard : shards) dialed_as["writer"].push_back(HostOf(shard));

  for (const auto& [stage, workload] : stages) {
    SCOPED_TRACE(Where(*workload));
    std::string secret;
    for (const auto& mount : Container(*workload)["volumeMounts"]) {
      if (mount["mountPath"].as<std::string>() != dir) continue;
      for (const auto& volume : workload->node["spec"]["template"]["spec"]["volumes"]) {
        if (volume["name"].as<std::string>() == mount["name"].as<std::string>() &&
            volume["secret"]) {
          secret = volume["secret"]["secretName"].as<std::string>();
        }
      }
    }
    ASSERT_FALSE(secret.empty()) << "no Secret is mounted at " << dir;
    ASSERT_EQ(by_secret.count(secret), 1u)
        << "no cert-manager Certificate writes the Secret " << secret;
    const YAML::Node spec = by_secret.at(secret)->node["spec"];
    std::set<std::string> usages;
    for (const auto& usage : spec["usages"]) usages.insert(usage.as<std::string>());
    EXPECT_EQ(usages.count("client auth"), 1u) << secret << " cannot dial";
    for (const std::string& host : dialed_as[stage]) {
      bool covered = false;
      for (const auto& name : spec["dnsNames"]) {
        covered |= DnsNameCovers(name.as<std::string>(), host);
      }
      EXPECT_TRUE(covered) << secret << " has no DNS name for " << host
                           << ", which the stage before dials";
      EXPECT_EQ(usages.count("server auth"), 1u) << secret << " cannot serve";
    }
    // Every stage certificate is issued by the one CA the stages trust.
    EXPECT_EQ(spec["issuerRef"]["name"].as<std::string>(""), "ferry-stage-ca") << secret;
  }
}

TEST(ManifestsTest, OnlyTheStageBeforeReachesEachStagePort) {
  const std::vector<Object> objects = Load(kVariants.at("stages"));
  std::map<std::string, const Object*> stages;
  for (const auto& object : objects) {
    if (IsWorkload(object)) stages[Stage(object)] = &object;
  }
  const std::map<std::string, std::string> before = {
      {"reader", ""}, {"transformer", "reader"}, {"writer", "transformer"}};
  for (const auto& [stage, workload] : stages) {
    SCOPED_TRACE(Where(*workload));
    const YAML::Node pod_labels = workload->node["spec"]["template"]["metadata"]["labels"];
    const auto flags = Flags(Container(*workload));
    const int stage_port = flags.count("listen") > 0 ? PortOf(flags.at("listen")) : -1;
    const std::set<int> open_ports = {PortOf(Flag(flags, "control_listen", workload->name)),
                                      PortOf(Flag(flags, "metrics_listen", workload->name))};
    EXPECT_EQ(stage_port < 0, stage == "reader") << "only the reader serves no stage port";
    int policies = 0;
    bool stage_port_allowed = false;
    for (const auto& object : objects) {
      if (object.kind != "NetworkPolicy" ||
          !Contains(pod_labels, object.node["spec"]["podSelector"]["matchLabels"])) {
        continue;
      }
      ++policies;
      bool ingress = false;
      for (const auto& type : object.node["spec"]["policyTypes"]) {
        ingress |= type.as<std::string>() == "Ingress";
      }
      EXPECT_TRUE(ingress) << object.name << " does not restrict ingress";
      for (const auto& rule : object.node["spec"]["ingress"]) {
        for (const auto& port : rule["ports"]) {
          const int number = port["port"].as<int>(-1);
          if (open_ports.count(number) > 0) continue;
          ASSERT_EQ(number, stage_port) << object.name << " opens port " << number;
          stage_port_allowed = true;
          // From the previous stage's pods, and nothing else.
          ASSERT_EQ(rule["from"].size(), 1u) << object.name;
          const YAML::Node peer = rule["from"][0];
          EXPECT_FALSE(peer["namespaceSelector"] || peer["ipBlock"]) << object.name;
          ASSERT_FALSE(before.at(stage).empty()) << "nothing may dial a reader";
          EXPECT_TRUE(Contains(
              stages.at(before.at(stage))->node["spec"]["template"]["metadata"]["labels"],
              peer["podSelector"]["matchLabels"]))
              << object.name << ": port " << number << " is open to other pods than the "
              << before.at(stage) << "'s";
        }
        EXPECT_TRUE(rule["ports"]) << object.name << ": a rule open on every port";
      }
    }
    EXPECT_EQ(policies, 1) << "one NetworkPolicy selects the " << stage << " pods";
    EXPECT_EQ(stage_port_allowed, stage_port >= 0)
        << "the stage before cannot reach port " << stage_port;
  }
}

TEST(ManifestsTest, StatefulStagesKeepTheirStateOnAClaimAndStatelessOnesHaveNone) {
  for (const auto& [variant, dirs] : kVariants) {
    for (const auto& object : Load(dirs)) {
      if (!IsWorkload(object)) continue;
      SCOPED_TRACE(Where(object));
      const auto flags = Flags(Container(object));
      const bool stateful = Stage(object) != "transformer";
      ASSERT_EQ(flags.count("state_dir"), stateful ? 1u : 0u);
      if (!stateful) {
        EXPECT_FALSE(object.node["spec"]["volumeClaimTemplates"]);
        continue;
      }
      EXPECT_EQ(object.kind, "StatefulSet");
      const std::string claim =
          object.node["spec"]["volumeClaimTemplates"][0]["metadata"]["name"].as<std::string>("");
      bool mounted = false;
      for (const auto& mount : Container(object)["volumeMounts"]) {
        mounted |= mount["name"].as<std::string>() == claim &&
                   mount["mountPath"].as<std::string>() == flags.at("state_dir");
      }
      EXPECT_TRUE(mounted) << "--state_dir is not the mount of claim '" << claim << "'";
    }
  }
}

TEST(ManifestsTest, TheConfigLoadsAndEveryContainerHasItsSecrets) {
  const std::vector<Object> objects = Load({"deploy/common"});
  const Object* config_map = Find(objects, "ConfigMap", "ferry-config");
  ASSERT_NE(config_map, nullptr);
  const config::LoadedConfig loaded = LoadSharedConfig();
  for (const auto& problem : loaded.problems) ADD_FAILURE() << config::FormatProblem(problem);
  std::set<std::string> env_secrets;
  for (const auto& system : loaded.config.systems()) {
    if (!system.token().env().empty()) env_secrets.insert(system.token().env());
  }
  // The pods serve the control API on 0.0.0.0, which ferryd refuses
  // without a token.
  EXPECT_FALSE(loaded.config.server().control_token().env().empty())
      << "the config sets no server.control_token: {env: …}";
  env_secrets.insert(loaded.config.server().control_token().env());
  ASSERT_FALSE(env_secrets.empty());

  for (const auto& [variant, dirs] : kVariants) {
    for (const auto& object : Load(dirs)) {
      if (!IsWorkload(object)) continue;
      const YAML::Node container = Container(object);
      // --config is a file of the mounted ConfigMap.
      const std::string path = Flag(Flags(container), "config", object.name);
      bool mounted = false;
      for (const auto& mount : container["volumeMounts"]) {
        const std::string dir = mount["mountPath"].as<std::string>();
        for (const auto& volume : object.node["spec"]["template"]["spec"]["volumes"]) {
          if (volume["name"].as<std::string>() != mount["name"].as<std::string>() ||
              !volume["configMap"]) {
            continue;
          }
          mounted |= volume["configMap"]["name"].as<std::string>() == config_map->name &&
                     path == dir + "/ferry.yaml";
        }
      }
      EXPECT_TRUE(mounted) << Where(object) << ": --config=" << path
                           << " is not ferry.yaml of the mounted ConfigMap";
      // ferryd resolves every secret at start, in every stage.
      std::set<std::string> env;
      for (const auto& var : container["env"]) {
        if (var["valueFrom"]["secretKeyRef"]) env.insert(var["name"].as<std::string>());
      }
      for (const auto& name : env_secrets) {
        EXPECT_EQ(env.count(name), 1u)
            << Where(object) << ": the config's {env: " << name
            << "} is not set from a Secret";
      }
    }
  }
}

// The rest of the first line of `path` that starts with `prefix`, or "".
std::string LineAfter(const std::string& path, const std::string& prefix) {
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    if (absl::StartsWith(line, prefix)) {
      return std::string(absl::StripAsciiWhitespace(line.substr(prefix.size())));
    }
  }
  return "";
}

TEST(ManifestsTest, EveryContainerRunsTheBuiltImageAsItsUser) {
  // deploy/image/build.sh tags ferryd:VERSION, VERSION being the release in
  // the top-level file, and its Containerfile names the user ("USER uid:gid").
  const std::string version = LineAfter("VERSION", "");
  ASSERT_FALSE(version.empty()) << "VERSION is empty";
  const std::string image = "ferryd:" + version;
  const std::string user = LineAfter("deploy/image/Containerfile", "USER ");
  const std::vector<std::string> ids = absl::StrSplit(user, ':');
  ASSERT_EQ(ids.size(), 2u) << "deploy/image/Containerfile: USER '" << user << "' is not uid:gid";

  int workloads = 0;
  for (const auto& dir : {"deploy/stages", "deploy/embedded"}) {
    for (const auto& object : Load({dir})) {
      if (!IsWorkload(object)) continue;
      ++workloads;
      SCOPED_TRACE(Where(object));
      EXPECT_EQ(Container(object)["image"].as<std::string>(""), image);
      const YAML::Node pod = object.node["spec"]["template"]["spec"];
      EXPECT_EQ(pod["securityContext"]["runAsUser"].as<std::string>(""), ids[0]);
      // A claim is mounted owned by root: the image's group must own it.
      if (object.node["spec"]["volumeClaimTemplates"]) {
        EXPECT_EQ(pod["securityContext"]["fsGroup"].as<std::string>(""), ids[1]);
      }
    }
  }
  EXPECT_EQ(workloads, 4);
}

}  // namespace
}  // namespace ferry::deploy
