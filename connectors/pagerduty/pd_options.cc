#include "connectors/pagerduty/pd_options.h"

#include <memory>

namespace ferry::pagerduty {

std::vector<config::OptionProblem> CheckPagerDutyOptions(const PagerDutyOptions& options) {
  std::vector<config::OptionProblem> problems;
  const bool has_env = !options.webhook_secret_env().empty();
  const bool has_file = !options.webhook_secret_file().empty();
  if (has_env && has_file) {
    problems.push_back({"webhook_secret_file",
                        "the webhook signing secret is given twice",
                        "keep webhook_secret_env or webhook_secret_file, not both"});
  }
  if (!options.webhook_listen().empty() && !has_env && !has_file) {
    problems.push_back({"webhook_listen", "webhook_listen is set but no signing secret is",
                        "add webhook_secret_env: VARIABLE or webhook_secret_file: PATH "
                        "holding the webhook subscription's secret"});
  }
  if (options.webhook_listen().empty() && (has_env || has_file)) {
    problems.push_back({has_env ? "webhook_secret_env" : "webhook_secret_file",
                        "a webhook signing secret is set but webhook_listen is not",
                        "add webhook_listen: HOST:PORT to receive webhooks, or remove the "
                        "secret option"});
  }
  const bool has_cert = !options.webhook_tls_cert_file().empty();
  const bool has_key = !options.webhook_tls_key_file().empty();
  if (has_cert != has_key) {
    problems.push_back({has_cert ? "webhook_tls_cert_file" : "webhook_tls_key_file",
                        has_cert ? "a webhook TLS certificate is set but its key is not"
                                 : "a webhook TLS key is set but its certificate is not",
                        "set both webhook_tls_cert_file and webhook_tls_key_file (PEM files) "
                        "to serve HTTPS, or neither to serve plain HTTP"});
  }
  if (options.webhook_listen().empty() && (has_cert || has_key)) {
    problems.push_back({has_cert ? "webhook_tls_cert_file" : "webhook_tls_key_file",
                        "webhook TLS is set but webhook_listen is not",
                        "add webhook_listen: HOST:PORT to receive webhooks, or remove the "
                        "TLS options"});
  }
  return problems;
}

ferry::v1::SecretRef WebhookSecretRef(const PagerDutyOptions& options) {
  ferry::v1::SecretRef ref;
  if (!options.webhook_secret_env().empty()) ref.set_env(options.webhook_secret_env());
  if (!options.webhook_secret_file().empty()) ref.set_file(options.webhook_secret_file());
  return ref;
}

std::vector<config::TlsSettings> WebhookTlsSettings(const PagerDutyOptions& options) {
  // Without webhook_listen, or with only one of the two files,
  // CheckPagerDutyOptions reports the problem already.
  if (options.webhook_listen().empty() ||
      (options.webhook_tls_cert_file().empty() && options.webhook_tls_key_file().empty())) {
    return {};
  }
  return {{{"webhook_tls_cert_file", options.webhook_tls_cert_file()},
           {"webhook_tls_key_file", options.webhook_tls_key_file()},
           {}}};
}

config::SystemOptionsSpec PagerDutyOptionsSpec() {
  config::SystemOptionsSpec spec;
  spec.prototype = std::make_shared<PagerDutyOptions>();
  spec.check = [](const google::protobuf::Message& options) {
    return CheckPagerDutyOptions(static_cast<const PagerDutyOptions&>(options));
  };
  spec.secrets = [](const google::protobuf::Message& message) {
    const auto& options = static_cast<const PagerDutyOptions&>(message);
    std::vector<config::OptionSecret> secrets;
    const ferry::v1::SecretRef ref = WebhookSecretRef(options);
    // With no source, or without webhook_listen, CheckPagerDutyOptions
    // reports the problem already.
    if (!options.webhook_listen().empty() &&
        ref.source_case() != ferry::v1::SecretRef::SOURCE_NOT_SET) {
      secrets.push_back({options.webhook_secret_file().empty() ? "webhook_secret_env"
                                                               : "webhook_secret_file",
                         ref});
    }
    return secrets;
  };
  spec.tls = [](const google::protobuf::Message& options) {
    return WebhookTlsSettings(static_cast<const PagerDutyOptions&>(options));
  };
  return spec;
}

}  // namespace ferry::pagerduty
