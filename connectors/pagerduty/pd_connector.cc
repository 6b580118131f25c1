#include "connectors/pagerduty/pd_connector.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "http/http_client.h"
#include "connectors/pagerduty/pd_account_log.h"
#include "connectors/pagerduty/pd_account_logs.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_identity.h"
#include "connectors/pagerduty/pd_options.h"
#include "connectors/pagerduty/pd_reader.h"
#include "connectors/pagerduty/pd_schema.h"
#include "connectors/pagerduty/pd_system_check.h"
#include "connectors/pagerduty/pd_webhook_receiver.h"
#include "connectors/pagerduty/pd_writer.h"
#include "engine/config/secrets.h"
#include "engine/config/system_options.h"
#include "engine/config/tls_files.h"
#include "engine/connector/registry.h"

namespace ferry::pagerduty {
namespace {

constexpr char kWebhookListenOption[] = "webhook_listen";
constexpr double kDefaultRequestsPerMinute = 960;

absl::Status OptionError(const ferry::v1::SystemConfig& system, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("system '", system.name(), "': ", what));
}

// The system's PagerDutyOptions, held to the same rules the config loader
// checks (a config that did not come through it is checked here).
absl::StatusOr<PagerDutyOptions> ReadOptions(const ferry::v1::SystemConfig& system) {
  PagerDutyOptions options;
  if (absl::Status unpacked = config::UnpackSystemOptions(system, &options); !unpacked.ok()) {
    return unpacked;
  }
  for (const config::OptionProblem& problem : CheckPagerDutyOptions(options)) {
    return OptionError(system, absl::StrCat("options.", problem.option, ": ", problem.message,
                                            "; ", problem.fix));
  }
  return options;
}

// Starts push mode's receiver; its deliveries call `wake` and are told to
// `observer` (may be null).
absl::StatusOr<std::unique_ptr<PdWebhookReceiver>> StartReceiver(
    const ferry::v1::SystemConfig& system, const PagerDutyOptions& options,
    const std::string& secret, std::function<void()> wake,
    ferry::http::HttpObserver* observer) {
  // Loaded here first, so a problem names its option and file rather than
  // the address (the receiver could only say the files do not load).
  for (const config::TlsSettings& settings : WebhookTlsSettings(options)) {
    auto files = config::ReadTlsFiles(settings);
    if (!files.ok()) {
      return absl::Status(files.status().code(),
                          absl::StrCat("system '", system.name(), "': option ",
                                       files.status().message()));
    }
  }
  PdWebhookReceiverOptions receiver;
  receiver.listen = options.webhook_listen();
  receiver.secret = secret;
  receiver.tls_certificate_file = options.webhook_tls_cert_file();
  receiver.tls_private_key_file = options.webhook_tls_key_file();
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
  // Listens to `log`'s fetches with `wake` (may be empty) while it lives.
  PdConnector(std::string system, std::shared_ptr<const PdApi> api, PagerDutyOptions options,
              std::shared_ptr<AccountLog> log, std::function<void()> wake,
              std::unique_ptr<PdWebhookReceiver> receiver)
      : system_(std::move(system)),
        api_(std::move(api)),
        identity_(std::make_shared<PdIdentity>(api_)),
        options_(std::move(options)),
        log_(std::move(log)),
        listener_(wake ? log_->Listen(std::move(wake)) : -1),
        receiver_(std::move(receiver)) {}

  ~PdConnector() override {
    if (listener_ >= 0) log_->Unlisten(listener_);
  }

  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>& projects) override {
    return CheckPagerDuty(*api_, *identity_, projects);
  }

  absl::StatusOr<std::unique_ptr<engine::ChangeReader>> NewReader(
      const engine::ReaderOptions& options) override {
    PdReaderOptions reader;
    reader.system = system_;
    reader.reader = options;
    reader.status_updates_as_comments = options_.status_updates_as_comments();
    reader.account_log = log_;
    auto made = PdReader::Create(api_, identity_, std::move(reader));
    if (!made.ok()) return made.status();
    return std::unique_ptr<engine::ChangeReader>(*std::move(made));
  }

  absl::StatusOr<std::unique_ptr<engine::EntityWriter>> NewWriter(
      const std::string&) override {
    return std::make_unique<PdWriter>(api_, options_.reescalate_acknowledged());
  }

  // Push mode's receiver; null without webhook_listen.
  const PdWebhookReceiver* receiver() const { return receiver_.get(); }

 private:
  const std::string system_;
  const std::shared_ptr<const PdApi> api_;
  const std::shared_ptr<PdIdentity> identity_;
  const PagerDutyOptions options_;
  // The log every reader of this system, and of any other system of the
  // process on the same account and token, reads (one fetch per poll for
  // all).
  const std::shared_ptr<AccountLog> log_;
  // Its id in log_'s listeners; -1 for none.
  const int listener_;
  // Destroyed first, so no webhook arrives at a connector being destroyed,
  // and a reload's next connector can bind the same address.
  const std::unique_ptr<PdWebhookReceiver> receiver_;
};

const engine::SystemRegistration kRegistration(
    {PagerDutySchema(), PagerDutyOptionsSpec(),
     [](const ferry::v1::SystemConfig& system, const std::string& secret,
        const engine::ConnectorContext& context) {
       return MakePagerDutyConnector(system, secret, context);
     }});

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
  auto parsed = ReadOptions(system);
  if (!parsed.ok()) return parsed.status();
  std::string webhook_secret;
  if (!parsed->webhook_listen().empty()) {
    auto resolved = config::ResolveSecret(WebhookSecretRef(*parsed));
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
  // Shared with every system of the process on this account and token;
  // each fetch wakes the readers of all of them, so they read it together.
  std::shared_ptr<AccountLog> log = AccountLogs::Process().Get(
      system.url(), secret, system.ca_bundle(), api, AccountLogOptions());
  std::unique_ptr<PdWebhookReceiver> receiver;
  if (!parsed->webhook_listen().empty()) {
    // A delivery means the log has news: the next read fetches it.
    auto wake = [log, wake = context.wake] {
      log->MarkStale();
      if (wake) wake();
    };
    auto started = StartReceiver(system, *parsed, webhook_secret, std::move(wake),
                                 context.http_observer);
    if (!started.ok()) return started.status();
    receiver = *std::move(started);
  }
  return std::make_unique<PdConnector>(system.name(), std::move(api), *std::move(parsed),
                                       std::move(log), context.wake, std::move(receiver));
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
