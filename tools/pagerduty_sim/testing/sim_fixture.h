#pragma once

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/pagerduty_sim.h"

namespace ferry::pagerduty_sim {

// Starts a PagerDutySim on an OS-chosen port, seeded from
// testdata/seed.json (users ada/rita/otto/rhea/olga/ferry-bot, services
// PSVCWEB and PSVCDB1, priorities P1..P3, tokens such as "account-full",
// "responder-token", "observer-token"), and talks to it over plain HTTP the
// way PagerDuty clients do.
class SimFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A request with Authorization `token` (empty: none), the version-2 Accept
  // header, JSON content type and, when non-empty, `From`.
  httplib::Result Call(const std::string& method, const std::string& path,
                       const std::string& token = "account-full",
                       const nlohmann::json& body = nullptr,
                       const std::string& from = "");
  httplib::Result Get(const std::string& path,
                      const std::string& token = "account-full") {
    return Call("GET", path, token);
  }

  // POSTs an incident on `service_id` as ada (account token + From) and
  // returns its id; `extra` fields are merged into the incident object.
  std::string NewIncident(const std::string& title,
                          const std::string& service_id = "PSVCWEB",
                          const nlohmann::json& extra = nlohmann::json::object());

  // PUTs {"incident": fields} on incident `id` as `from` with the account token.
  httplib::Result Update(const std::string& id, const nlohmann::json& fields,
                         const std::string& from = "ada@example.com");

  // POSTs to an admin path and expects a 2xx.
  void Admin(const std::string& path, const nlohmann::json& body);

  std::unique_ptr<PagerDutySim> sim_;
  std::unique_ptr<httplib::Client> client_;
};

// testdata/seed.json, for tests that re-seed a variant through /admin/seed.
nlohmann::json TestSeed();

// The response body as JSON (null when there is no response).
nlohmann::json Body(const httplib::Result& res);

// The PagerDuty error code of an error response body.
int ErrorCode(const httplib::Result& res);

}  // namespace ferry::pagerduty_sim
