#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/http_observer.h"
#include "connectors/pagerduty/pd_api.h"
#include "engine/connector/connector.h"
#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty {

// A test base for the PagerDuty connector: the seeded PagerDutySim of
// SimFixture on an OS-chosen port, and a "pagerduty" connector against it
// whose integration user is ferry-bot@example.com (account token
// "account-full"), with short retry backoffs.
class PdSimTest : public pagerduty_sim::SimFixture {
 protected:
  void SetUp() override;
  // Closes the connector's kept-alive connections before the simulator stops.
  void TearDown() override;

  // A connector with `token` whose From user is `email` (may be empty).
  std::unique_ptr<engine::Connector> MakeConnector(const std::string& token,
                                                   const std::string& email) const;

  // A PdApi with `token` and From `email`, for tests of the pieces;
  // `observer` (may be null) sees every HTTP attempt.
  std::shared_ptr<const PdApi> MakeApi(const std::string& token, const std::string& email,
                                       http::HttpObserver* observer = nullptr) const;

  // Replaces the simulator's state with testdata/seed.json plus `incidents`
  // (seed.h format).
  void Reseed(const nlohmann::json& incidents);

  // Performs a REST call as the person `as` (email or id) through
  // /admin/act; expects a 2xx and returns the body.
  nlohmann::json Act(const std::string& as, const std::string& method,
                     const std::string& path, const nlohmann::json& body = nullptr);

  // Reads every change after `after` in pages of `page_size`; the position
  // to resume from is left in *end (unchanged when nothing was scanned).
  std::vector<ferry::v1::ChangeEvent> ReadAll(
      engine::ChangeReader& reader, std::optional<ferry::v1::SourcePosition>* end,
      int page_size = 100);

  // A reader of service PSVCWEB (or `service`) that starts a minute ago.
  std::unique_ptr<engine::ChangeReader> NewReader(const std::string& criteria = "",
                                                  const std::string& service = "PSVCWEB");

  std::unique_ptr<engine::Connector> connector_;
};

}  // namespace ferry::pagerduty
