// The incident rules as a Table API client meets them: registered by the
// simulator, their refusals rendered as ServiceNow's bodies, their journal
// and audit rows readable through the Table API.
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/testing/test_servicenow.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kIncidents[] = "/api/now/table/incident";


TEST(IncidentRulesHttpTest, InsertNumbersAndComputesPriority) {
  TestServiceNow sn;
  nlohmann::json first =
      sn.CreateIncident({{"short_description", "a"}, {"impact", "1"}, {"urgency", "2"}});
  EXPECT_EQ(first["number"], "INC0010001");
  EXPECT_EQ(first["priority"], "2");
  EXPECT_EQ(first["state"], "1");
  EXPECT_EQ(first["active"], "true");
  EXPECT_EQ(first["opened_by"].value("value", "").size(), 32u) << first;
  EXPECT_EQ(sn.CreateIncident({{"short_description", "b"}})["number"], "INC0010002");
}

TEST(IncidentRulesHttpTest, PriorityWriteIsIgnored) {
  TestServiceNow sn;
  nlohmann::json incident = sn.CreateIncident({{"impact", "3"}, {"urgency", "3"}});
  httplib::Result patched =
      sn.Patch(std::string(kIncidents) + "/" + incident["sys_id"].get<std::string>(),
               {{"priority", "1"}});
  ASSERT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(Body(patched)["result"]["priority"], "5");
}

TEST(IncidentRulesHttpTest, DataPolicyRefusalIsServiceNowsBody) {
  TestServiceNow sn;
  nlohmann::json incident = sn.CreateIncident({{"short_description", "a"}});
  const std::string path =
      std::string(kIncidents) + "/" + incident["sys_id"].get<std::string>();
  httplib::Result refused = sn.Patch(path, {{"state", "6"}});
  ASSERT_EQ(refused->status, 403);
  EXPECT_EQ(Body(refused),
            nlohmann::json::parse(R"({"error": {"message": "Operation Failed",
              "detail": "Data Policy Exception: The following fields are mandatory: Resolution code, Resolution notes"},
              "status": "failure"})"));
  // Nothing was saved.
  EXPECT_EQ(Body(sn.Get(path))["result"]["state"], "1");
  EXPECT_EQ(Body(sn.Get(path))["result"]["sys_mod_count"], "0");
}

TEST(IncidentRulesHttpTest, JournalAndAuditRowsAreReadableAndAuditCanBeOff) {
  TestServiceNow sn;
  nlohmann::json incident = sn.CreateIncident({{"short_description", "a"}});
  const std::string id = incident["sys_id"];
  const std::string path = std::string(kIncidents) + "/" + id;
  httplib::Result patched =
      sn.Patch(path, {{"state", "2"}, {"work_notes", "Paged the DBA"}});
  ASSERT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(Body(patched)["result"]["work_notes"], "");

  nlohmann::json journal = Body(sn.Get(
      "/api/now/table/sys_journal_field?sysparm_query=element_id=" + id))["result"];
  ASSERT_EQ(journal.size(), 1u) << journal;
  EXPECT_EQ(journal[0]["element"], "work_notes");
  EXPECT_EQ(journal[0]["value"], "Paged the DBA");
  EXPECT_EQ(journal[0]["sys_created_by"], "ferry");

  nlohmann::json audit = Body(sn.Get(
      "/api/now/table/sys_audit?sysparm_query=documentkey=" + id +
      "^ORDERBYfieldname"))["result"];
  ASSERT_EQ(audit.size(), 2u) << audit;
  EXPECT_EQ(audit[0]["fieldname"], "state");
  EXPECT_EQ(audit[0]["oldvalue"], "1");
  EXPECT_EQ(audit[0]["newvalue"], "2");
  EXPECT_EQ(audit[0]["record_checkpoint"], "1");
  EXPECT_EQ(audit[1]["fieldname"], "work_notes");
  EXPECT_EQ(audit[1]["oldvalue"], "JOURNAL FIELD ADDITION");

  httplib::Result off = sn.client().Put(
      "/admin/servicenow/tables/incident/audit", R"({"audit":false})",
      "application/json");
  ASSERT_TRUE(off && off->status == 200) << (off ? off->body : "no answer");
  ASSERT_EQ(sn.Patch(path, {{"urgency", "1"}})->status, 200);
  EXPECT_EQ(Body(sn.Get("/api/now/table/sys_audit?sysparm_query=documentkey=" +
                        id))["result"]
                .size(),
            2u);
}

}  // namespace
}  // namespace ferry::servicenow_sim
