#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/config/tls_files.h"
#include "google/protobuf/message.h"
#include "proto/config.pb.h"

namespace ferry::config {

// A problem with one option of a system, found by its connector's check:
// `option` is the field's name ("webhook_listen"), placed by the caller
// under `systems[i].options`.
struct OptionProblem {
  std::string option;
  std::string message;
  std::string fix;
};

// A secret a system's options refer to, such as a webhook signing secret,
// with the option that names it ("webhook_secret_env").
struct OptionSecret {
  std::string option;
  ferry::v1::SecretRef ref;
};

// What a system kind declares about its `options:` block: the proto
// message it is read into (Envoy's typed extension config is the model),
// and the rules between fields that the message's types cannot say.
struct SystemOptionsSpec {
  // An empty message of the options type; never null.
  std::shared_ptr<const google::protobuf::Message> prototype;
  // Cross-field rules ("webhook_listen needs a secret"); may be empty.
  std::function<std::vector<OptionProblem>(const google::protobuf::Message& options)> check;
  // The secrets the connector will read from these options at start, so
  // that validation checks them as it checks the system's token; may be
  // empty.
  std::function<std::vector<OptionSecret>(const google::protobuf::Message& options)> secrets;
  // The TLS files the connector will load from these options at start
  // (settings named by option, such as "webhook_tls_cert_file"), so that
  // validation loads them as the connector will; may be empty.
  std::function<std::vector<TlsSettings>(const google::protobuf::Message& options)> tls;
};

// Makes `spec` the options of `kind`. Called when the kind's descriptor is
// registered (engine/connector/registry.h), at static-initialisation time;
// registering a kind twice, or a spec without prototype, aborts, naming
// the kind. Thread-safe.
void RegisterSystemOptions(absl::string_view kind, SystemOptionsSpec spec);

// The options of `kind`; nullptr when the kind is unknown or takes no
// options. Specs live for the whole program. Thread-safe.
const SystemOptionsSpec* FindSystemOptions(absl::string_view kind);

// The options of `system`, unpacked from SystemConfig.typed_options into
// `*options` (left at its defaults when none are set). Fails with
// InvalidArgument, naming the system, when typed_options holds another
// message type, or when only the untyped `options` map is set (it is no
// longer read; see SystemConfig in proto/config.proto). Thread-safe.
absl::Status UnpackSystemOptions(const ferry::v1::SystemConfig& system,
                                 google::protobuf::Message* options);

}  // namespace ferry::config
