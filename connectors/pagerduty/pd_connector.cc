#include "connectors/pagerduty/pd_connector.h"

#include "absl/strings/str_cat.h"
#include "connectors/http/http_client.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_identity.h"
#include "connectors/pagerduty/pd_reader.h"
#include "connectors/pagerduty/pd_system_check.h"
#include "connectors/pagerduty/pd_writer.h"
#include "engine/connector/registry.h"

namespace ferry::pagerduty {
namespace {

constexpr char kStatusUpdatesOption[] = "status_updates_as_comments";
constexpr char kReescalateOption[] = "reescalate_acknowledged";

// The boolean connector options.
struct Options {
  bool status_updates_as_comments = false;
  bool reescalate_acknowledged = false;
};
constexpr double kDefaultRequestsPerMinute = 960;

class PdConnector : public engine::Connector {
 public:
  PdConnector(std::string system, std::shared_ptr<const PdApi> api, Options options)
      : system_(std::move(system)),
        api_(std::move(api)),
        identity_(std::make_shared<PdIdentity>(api_)),
        options_(options) {}

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

 private:
  const std::string system_;
  const std::shared_ptr<const PdApi> api_;
  const std::shared_ptr<PdIdentity> identity_;
  const Options options_;
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
  Options parsed;
  for (const auto& [name, value] : system.options()) {
    bool* target = name == kStatusUpdatesOption ? &parsed.status_updates_as_comments
                   : name == kReescalateOption  ? &parsed.reescalate_acknowledged
                                                : nullptr;
    if (target == nullptr || (value != "true" && value != "false")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "system '", system.name(), "': option '", name, ": ", value,
          "' is unknown; the pagerduty connector knows ", kStatusUpdatesOption,
          ": true|false and ", kReescalateOption, ": true|false"));
    }
    *target = value == "true";
  }
  const double per_minute = system.requests_per_minute() > 0
                                ? system.requests_per_minute()
                                : kDefaultRequestsPerMinute;
  http::HttpClientOptions options;
  options.system = "pagerduty";
  options.authorization = absl::StrCat("Token token=", secret);
  options.secrets = {secret};
  options.transport.ca_bundle_path = system.ca_bundle();
  options.retry = retry;
  absl::Status shared = engine::ShareHttpResources(context, per_minute, &options);
  if (!shared.ok()) return shared;
  auto client = http::HttpClient::Create(std::move(options));
  if (!client.ok()) return client.status();
  auto api = std::make_shared<const PdApi>(*std::move(client), system.url(),
                                           system.user_email());
  return std::make_unique<PdConnector>(system.name(), std::move(api), parsed);
}

}  // namespace ferry::pagerduty
