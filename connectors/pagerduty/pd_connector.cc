#include "connectors/pagerduty/pd_connector.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "http/http_client.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_identity.h"
#include "connectors/pagerduty/pd_reader.h"
#include "connectors/pagerduty/pd_system_check.h"
#include "connectors/pagerduty/pd_webhook_receiver.h"
#include "connectors/pagerduty/pd_writer.h"
#include "engine/config/secrets.h"
#include "engine/connector/registry.h"

namespace ferry::pagerduty {
namespace {

constexpr char kStatusUpdatesOption[] = "status_updates_as_comments";
constexpr char kReescalateOption[] = "reescalate_acknowledged";
constexpr char kWebhookListenOption[] = "webhook_listen";
constexpr char kWebhookSecretEnvOption[] = "webhook_secret_env";
constexpr char kWebhookSecretFileOption[] = "webhook_secret_file";
constexpr char kKnownOptions[] =
    "status_updates_as_comments: true|false, reescalate_acknowledged: true|false, "
    "webhook_listen: HOST:PORT, webhook_secret_env: VARIABLE, webhook_secret_file: PATH";
constexpr double kDefaultRequestsPerMinute = 960;

// The connector options (SystemConfig.options), parsed.
struct Options {
  bool status_updates_as_comments = false;
  bool reescalate_acknowledged = false;
  // Empty: no push mode.
  std::string webhook_listen;
  // Where the webhook signing secret is; set exactly when webhook_listen is.
  ferry::v1::SecretRef webhook_secret;
};

absl::Status OptionError(const ferry::v1::SystemConfig& system, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("system '", system.name(), "': ", what));
}

absl::StatusOr<Options> ParseOptions(const ferry::v1::SystemConfig& system) {
  Options parsed;
  for (const auto& [name, value] : system.options()) {
    bool* flag = name == kStatusUpdatesOption ? &parsed.status_updates_as_comments
                 : name == kReescalateOption  ? &parsed.reescalate_acknowledged
                                              : nullptr;
    if (flag != nullptr && (value == "true" || value == "false")) {
      *flag = value == "true";
    } else if (name == kWebhookListenOption && !value.empty()) {
      parsed.webhook_listen = value;
    } else if (name == kWebhookSecretEnvOption && !value.empty()) {
      parsed.webhook_secret.set_env(value);
    } else if (name == kWebhookSecretFileOption && !value.empty()) {
      parsed.webhook_secret.set_file(value);
    } else if (flag != nullptr || name == kWebhookListenOption) {
      return OptionError(system, absl::StrCat("option '", name, ": ", value,
                                              "' has no valid value; the pagerduty connector "
                                              "knows ", kKnownOptions));
    } else {
      // The value is left out: it may be a secret written inline by mistake.
      return OptionError(system, absl::StrCat("option '", name, "' is unknown or empty; the "
                                              "pagerduty connector knows ", kKnownOptions));
    }
  }
  if (system.options().count(kWebhookSecretEnvOption) > 0 &&
      system.options().count(kWebhookSecretFileOption) > 0) {
    return OptionError(system, absl::StrCat("give the webhook signing secret once: ",
                                            kWebhookSecretEnvOption, " or ",
                                            kWebhookSecretFileOption, ", not both"));
  }
  const bool has_secret =
      parsed.webhook_secret.source_case() != ferry::v1::SecretRef::SOURCE_NOT_SET;
  if (!parsed.webhook_listen.empty() && !has_secret) {
    return OptionError(system, absl::StrCat(
        kWebhookListenOption, " is set but no signing secret is: add ",
        kWebhookSecretEnvOption, ": VARIABLE or ", kWebhookSecretFileOption,
        ": PATH holding the webhook subscription's secret"));
  }
  if (parsed.webhook_listen.empty() && has_secret) {
    return OptionError(system, absl::StrCat(
        "a webhook signing secret is set but ", kWebhookListenOption, " is not: add ",
        kWebhookListenOption, ": HOST:PORT to receive webhooks, or remove the secret option"));
  }
  return parsed;
}

// Starts push mode's receiver; its deliveries call `wake` and are told to
// `observer` (may be null).
absl::StatusOr<std::unique_ptr<PdWebhookReceiver>> StartReceiver(
    const ferry::v1::SystemConfig& system, const std::string& listen,
    const std::string& secret, std::function<void()> wake,
    ferry::http::HttpObserver* observer) {
  PdWebhookReceiverOptions receiver;
  receiver.listen = listen;
  receiver.secret = secret;
  receiver.on_delivery = std::move(wake);
  receiver.observer = observer;
  receiver.system = system.name();
  auto started = PdWebhookReceiver::Start(std::move(receiver));
  if (!started.ok()) {
    return absl::Status(started.status().code(),
                        absl::StrCat("system '", system.name(), "': option ",
                                     kWebhookListenOption, ": ", started.status().message()));
  }
  return started;
}

class PdConnector : public engine::Connector {
 public:
  PdConnector(std::string system, std::shared_ptr<const PdApi> api, Options options,
              std::unique_ptr<PdWebhookReceiver> receiver)
      : system_(std::move(system)),
        api_(std::move(api)),
        identity_(std::make_shared<PdIdentity>(api_)),
        options_(std::move(options)),
        receiver_(std::move(receiver)) {}

  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>& projects) override {
    return CheckPagerDuty(*api_, *identity_, projects);
  }

  absl::StatusOr<std::unique_ptr<engine::ChangeReader>> NewReader(
      const engine::ReaderOptions& options) override {
    PdReaderOptions reader;
    reader.system = system_;
    reader.reader = options;
    reader.status_updates_as_comments = options_.status_updates_as_comments;
    auto made = PdReader::Create(api_, identity_, std::move(reader));
    if (!made.ok()) return made.status();
    return std::unique_ptr<engine::ChangeReader>(*std::move(made));
  }

  absl::StatusOr<std::unique_ptr<engine::EntityWriter>> NewWriter(
      const std::string&) override {
    return std::make_unique<PdWriter>(api_, options_.reescalate_acknowledged);
  }

  // Push mode's receiver; null without webhook_listen.
  const PdWebhookReceiver* receiver() const { return receiver_.get(); }

 private:
  const std::string system_;
  const std::shared_ptr<const PdApi> api_;
  const std::shared_ptr<PdIdentity> identity_;
  const Options options_;
  // Destroyed first, so no webhook arrives at a connector being destroyed,
  // and a reload's next connector can bind the same address.
  const std::unique_ptr<PdWebhookReceiver> receiver_;
};

const engine::ConnectorRegistration kRegistration(
    "pagerduty", [](const ferry::v1::SystemConfig& system, const std::string& secret,
                    const engine::ConnectorContext& context) {
      return MakePagerDutyConnector(system, secret, context);
    });

}  // namespace

absl::StatusOr<std::unique_ptr<engine::Connector>> MakePagerDutyConnector(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const engine::ConnectorContext& context, const http::RetryPolicy& retry) {
  if (system.url().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "system '", system.name(), "': url is empty; set it to the PagerDuty REST "
        "API base, https://api.pagerduty.com"));
  }
  if (secret.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "system '", system.name(), "': the token is empty; give a PagerDuty API key"));
  }
  auto parsed = ParseOptions(system);
  if (!parsed.ok()) return parsed.status();
  std::string webhook_secret;
  if (!parsed->webhook_listen.empty()) {
    auto resolved = config::ResolveSecret(parsed->webhook_secret);
    if (!resolved.ok()) {
      return absl::Status(resolved.status().code(),
                          absl::StrCat("system '", system.name(), "': webhook signing secret: ",
                                       resolved.status().message()));
    }
    webhook_secret = *std::move(resolved);
  }
  const double per_minute = system.requests_per_minute() > 0
                                ? system.requests_per_minute()
                                : kDefaultRequestsPerMinute;
  http::HttpClientOptions options;
  // Names the configured system in messages and metrics, as Jira does.
  options.system = system.name().empty() ? "pagerduty" : system.name();
  options.authorization = absl::StrCat("Token token=", secret);
  options.secrets = {secret, webhook_secret};
  options.transport.ca_bundle_path = system.ca_bundle();
  options.retry = retry;
  absl::Status shared = engine::ShareHttpResources(context, per_minute, &options);
  if (!shared.ok()) return shared;
  auto client = http::HttpClient::Create(std::move(options));
  if (!client.ok()) return client.status();
  auto api = std::make_shared<const PdApi>(*std::move(client), system.url(),
                                           system.user_email());
  std::unique_ptr<PdWebhookReceiver> receiver;
  if (!parsed->webhook_listen.empty()) {
    auto started = StartReceiver(system, parsed->webhook_listen, webhook_secret,
                                 context.wake, context.http_observer);
    if (!started.ok()) return started.status();
    receiver = *std::move(started);
  }
  return std::make_unique<PdConnector>(system.name(), std::move(api), *std::move(parsed),
                                       std::move(receiver));
}

absl::StatusOr<int> WebhookPort(const engine::Connector& connector) {
  const auto* pagerduty = dynamic_cast<const PdConnector*>(&connector);
  if (pagerduty == nullptr || pagerduty->receiver() == nullptr) {
    return absl::NotFoundError(
        "not a pagerduty connector with webhook_listen; it receives no webhooks");
  }
  return pagerduty->receiver()->port();
}

}  // namespace ferry::pagerduty
