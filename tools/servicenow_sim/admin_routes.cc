// The simulator's own admin routes (ServiceNowSimulator's header lists
// them); simcore installs the clock and fault ones.
#include "absl/strings/str_cat.h"
#include "tools/servicenow_sim/record_json.h"
#include "tools/servicenow_sim/servicenow_simulator.h"
#include "tools/servicenow_sim/table_api.h"
#include "tools/simcore/core_admin_routes.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kRowsPath[] = R"(/admin/servicenow/tables/([A-Za-z0-9_]+)/rows)";
constexpr char kAuditPath[] =
    R"(/admin/servicenow/tables/([A-Za-z0-9_]+)/audit)";
constexpr char kActAsPrefix[] = R"(/admin/servicenow/as/([^/]+))";

void AdminError(httplib::Response& res, int status, const std::string& what) {
  simcore::WriteJson(res, status, {{"error", what}});
}

}  // namespace

void ServiceNowSimulator::RegisterAdminRoutes() {
  httplib::Server& http = server_.http();
  http.Post(kRowsPath, [this](const httplib::Request& req,
                              httplib::Response& res) {
    std::optional<nlohmann::json> body = simcore::ParseAdminBody(req, res);
    if (!body) return;
    absl::StatusOr<Record> row = RecordFromJson(*body);
    if (row.ok()) row = store_.Seed(req.matches[1].str(), *std::move(row), Now());
    if (!row.ok()) {
      AdminError(res, row.status().code() == absl::StatusCode::kNotFound ? 404 : 400,
                 std::string(row.status().message()));
      return;
    }
    simcore::WriteJson(res, 201, {{"result", *row}});
  });
  http.Get(kRowsPath, [this](const httplib::Request& req,
                             httplib::Response& res) {
    const std::string table = req.matches[1].str();
    const httplib::Params params = QueryParams(req.target);
    auto query = params.find("sysparm_query");
    store_.Read([&](const Tables& tables) {
      const TableSchema* schema = tables.Schema(table);
      if (schema == nullptr) {
        AdminError(res, 404, absl::StrCat("no table ", table,
                                          " (see tools/servicenow_sim/schema.cc)"));
        return;
      }
      nlohmann::json rows = nlohmann::json::array();
      for (const Record* row : tables.Select(
               *schema,
               EncodedQuery::Parse(query == params.end() ? "" : query->second))) {
        rows.push_back(*row);
      }
      simcore::WriteJson(res, 200, {{"result", rows}});
    });
  });
  http.Put(kAuditPath, [this](const httplib::Request& req,
                              httplib::Response& res) {
    std::optional<nlohmann::json> body = simcore::ParseAdminBody(req, res);
    if (!body) return;
    if (!body->contains("audit") || !(*body)["audit"].is_boolean()) {
      AdminError(res, 400, "give {\"audit\": true|false}");
      return;
    }
    absl::Status status =
        store_.SetAudited(req.matches[1].str(), (*body)["audit"].get<bool>());
    if (!status.ok()) {
      AdminError(res, 404, std::string(status.message()));
      return;
    }
    simcore::WriteJson(res, 200, *body);
  });
  http.Get("/admin/servicenow/rate_limit_rules",
           [this](const httplib::Request&, httplib::Response& res) {
             simcore::WriteJson(res, 200, rate_rules_.ToJson());
           });
  http.Put("/admin/servicenow/rate_limit_rules",
           [this](const httplib::Request& req, httplib::Response& res) {
             std::optional<nlohmann::json> body =
                 simcore::ParseAdminBody(req, res);
             if (!body) return;
             absl::Status status = rate_rules_.Replace(*body);
             if (!status.ok()) {
               AdminError(res, 400, std::string(status.message()));
               return;
             }
             simcore::WriteJson(res, 200, rate_rules_.ToJson());
           });
  auto act_as = [this](const httplib::Request& req, httplib::Response& res) {
    HandleTable(req, res, req.matches[1].str());
  };
  const std::string path = std::string(kActAsPrefix) + kTableApiPath;
  http.Get(path, act_as);
  http.Post(path, act_as);
  http.Put(path, act_as);
  http.Patch(path, act_as);
  http.Delete(path, act_as);
}

}  // namespace ferry::servicenow_sim
