#include "tools/servicenow_sim/table_api.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/testing/test_servicenow.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kIncidents[] = "/api/now/table/incident";

std::string CreateIncident(TestServiceNow& sn, const nlohmann::json& body) {
  const nlohmann::json row = sn.CreateIncident(body);
  return row.is_object() ? row.value("sys_id", "") : "";
}

TEST(TableApiTest, PostAnswersCreatedWithLocationAndStringValues) {
  TestServiceNow sn;
  httplib::Result created = sn.Post(
      kIncidents, {{"short_description", "Disk full"}, {"impact", 2},
                   {"assignment_group", TestServiceNow::kNetworkGroup}});
  ASSERT_EQ(created->status, 201) << created->body;
  nlohmann::json result = Body(created)["result"];
  const std::string sys_id = result["sys_id"];
  EXPECT_EQ(created->get_header_value("Location"),
            "http://127.0.0.1:" + std::to_string(sn.port()) +
                "/api/now/table/incident/" + sys_id);
  EXPECT_EQ(result["impact"], "2");
  EXPECT_EQ(result["sys_mod_count"], "0");
  EXPECT_EQ(result["comments"], "");
  EXPECT_EQ(result["assignment_group"]["value"], TestServiceNow::kNetworkGroup);
  EXPECT_TRUE(absl::EndsWith(
      result["assignment_group"]["link"].get<std::string>(),
      std::string("/api/now/table/sys_user_group/") +
          TestServiceNow::kNetworkGroup));
  for (const auto& [name, value] : result.items()) {
    EXPECT_TRUE(value.is_string() || value.is_object()) << name;
  }
  EXPECT_FALSE(result.contains("user_password"));
}

TEST(TableApiTest, GetByIdPatchAndDelete) {
  TestServiceNow sn;
  const std::string id = CreateIncident(sn, {{"short_description", "a"}});
  const std::string path = std::string(kIncidents) + "/" + id;
  httplib::Result got = sn.Get(path);
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(Body(got)["result"]["short_description"], "a");
  httplib::Result patched = sn.Patch(path, {{"short_description", "b"}});
  ASSERT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(Body(patched)["result"]["short_description"], "b");
  EXPECT_EQ(Body(patched)["result"]["sys_mod_count"], "1");
  httplib::Result put = sn.Put(path, {{"short_description", "c"}});
  ASSERT_EQ(put->status, 200);
  EXPECT_EQ(Body(put)["result"]["sys_mod_count"], "2");
  EXPECT_EQ(sn.Delete(path)->status, 204);
  httplib::Result gone = sn.Get(path);
  EXPECT_EQ(gone->status, 404);
  EXPECT_EQ(Body(gone), nlohmann::json::parse(R"({"error":{"message":"No Record found",
      "detail":"Record doesn't exist or ACL restricts the record retrieval"},
      "status":"failure"})"));
}

TEST(TableApiTest, ListFiltersPagesAndCounts) {
  TestServiceNow sn;
  for (int i = 0; i < 5; ++i) {
    CreateIncident(sn, {{"short_description", "disk " + std::to_string(i)},
                        {"state", i % 2 == 0 ? "1" : "2"}});
  }
  httplib::Result page = sn.Get(
      std::string(kIncidents) +
      "?sysparm_query=state=1^ORDERBYDESCshort_description&sysparm_limit=2"
      "&sysparm_fields=short_description,state");
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_EQ(page->get_header_value("X-Total-Count"), "3");
  nlohmann::json result = Body(page)["result"];
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0], nlohmann::json({{"short_description", "disk 4"},
                                       {"state", "1"}}));
  EXPECT_EQ(result[1]["short_description"], "disk 2");
  const std::string link = page->get_header_value("Link");
  EXPECT_NE(link.find("sysparm_offset=2>;rel=\"next\""), std::string::npos)
      << link;
  EXPECT_NE(link.find("sysparm_offset=2>;rel=\"last\""), std::string::npos)
      << link;
  EXPECT_EQ(link.find("rel=\"prev\""), std::string::npos) << link;

  httplib::Result second = sn.Get(
      std::string(kIncidents) +
      "?sysparm_query=state=1^ORDERBYDESCshort_description&sysparm_limit=2"
      "&sysparm_offset=2&sysparm_no_count=true");
  EXPECT_EQ(Body(second)["result"].size(), 1u);
  EXPECT_FALSE(second->has_header("X-Total-Count"));
  EXPECT_NE(second->get_header_value("Link").find("rel=\"prev\""),
            std::string::npos);

  httplib::Result plain =
      sn.Get(std::string(kIncidents) + "?state=In%20Progress");
  EXPECT_EQ(Body(plain)["result"].size(), 2u);
}

TEST(TableApiTest, PollPagesAnswerAlikeThroughTheIndexAndTheScan) {
  TestServiceNow sn([](ServiceNowSimulator& sim) {
    for (int i = 0; i < 12; ++i) {
      ASSERT_TRUE(sim.store()
                      .Seed("incident",
                            {{"short_description", "disk " + std::to_string(i)},
                             {"sys_updated_on",
                              "2026-12-06 07:00:0" + std::to_string(i / 3)}},
                            "2026-12-06 08:00:00")
                      .ok());
    }
  });
  const std::string poll =
      std::string(kIncidents) +
      "?sysparm_query=ORDERBYsys_updated_on^ORDERBYsys_id"
      "^sys_updated_on>=2026-12-06%2007:00:01&sysparm_limit=4"
      "&sysparm_fields=sys_id,sys_updated_on";
  for (const std::string& params :
       {std::string(""), std::string("&sysparm_offset=4"),
        std::string("&sysparm_no_count=true"),
        std::string("&sysparm_offset=4&sysparm_no_count=true"),
        std::string("&sysparm_offset=8&sysparm_no_count=true")}) {
    SCOPED_TRACE(params);
    sn.simulator().store().SetIndexedQueries(false);
    httplib::Result scan = sn.Get(poll + params);
    sn.simulator().store().SetIndexedQueries(true);
    httplib::Result indexed = sn.Get(poll + params);
    ASSERT_EQ(indexed->status, 200) << indexed->body;
    EXPECT_EQ(Body(indexed), Body(scan));
    EXPECT_EQ(indexed->get_header_value("X-Total-Count"),
              scan->get_header_value("X-Total-Count"));
    EXPECT_EQ(indexed->get_header_value("Link"),
              scan->get_header_value("Link"));
  }
  httplib::Result counted = sn.Get(poll);
  EXPECT_EQ(counted->get_header_value("X-Total-Count"), "9");
  EXPECT_EQ(Body(counted)["result"].size(), 4u);
  httplib::Result last = sn.Get(poll + "&sysparm_offset=8&sysparm_no_count=true");
  EXPECT_EQ(Body(last)["result"].size(), 1u);
  EXPECT_EQ(last->get_header_value("Link").find("rel=\"next\""),
            std::string::npos);
}

TEST(TableApiTest, EmptyListIs404OnV1AndEmptyOnV2) {
  TestServiceNow sn;
  httplib::Result v1 = sn.Get("/api/now/v1/table/incident?sysparm_query=state=9");
  EXPECT_EQ(v1->status, 404);
  EXPECT_EQ(Body(v1)["error"]["message"], "No Record found");
  httplib::Result v2 = sn.Get("/api/now/v2/table/incident?sysparm_query=state=9");
  EXPECT_EQ(v2->status, 200);
  EXPECT_EQ(Body(v2), nlohmann::json::parse(R"({"result":[]})"));
  httplib::Result latest = sn.Get("/api/now/table/incident");
  EXPECT_EQ(latest->status, 200);
}

TEST(TableApiTest, DisplayValuesOfReferencesAndChoices) {
  TestServiceNow sn;
  const std::string id = CreateIncident(
      sn, {{"state", "2"}, {"assignment_group", TestServiceNow::kNetworkGroup}});
  const std::string path = std::string(kIncidents) + "/" + id +
                           "?sysparm_fields=state,assignment_group";
  nlohmann::json shown =
      Body(sn.Get(path + "&sysparm_display_value=true"))["result"];
  EXPECT_EQ(shown["state"], "In Progress");
  EXPECT_EQ(shown["assignment_group"]["display_value"], "Network");
  EXPECT_TRUE(shown["assignment_group"].contains("link"));
  nlohmann::json all = Body(sn.Get(path + "&sysparm_display_value=all"))["result"];
  EXPECT_EQ(all["state"],
            nlohmann::json({{"display_value", "In Progress"}, {"value", "2"}}));
  EXPECT_EQ(all["assignment_group"]["value"], TestServiceNow::kNetworkGroup);
  nlohmann::json bare = Body(sn.Get(
      path + "&sysparm_display_value=true&sysparm_exclude_reference_link=true"))
      ["result"];
  EXPECT_EQ(bare["assignment_group"], "Network");
  nlohmann::json values =
      Body(sn.Get(path + "&sysparm_exclude_reference_link=true"))["result"];
  EXPECT_EQ(values["assignment_group"], TestServiceNow::kNetworkGroup);
  nlohmann::json walked = Body(sn.Get(
      std::string(kIncidents) + "/" + id +
      "?sysparm_fields=assignment_group.name"))["result"];
  EXPECT_EQ(walked["assignment_group.name"], "Network");
}

TEST(TableApiTest, InputDisplayValuesOnWrite) {
  TestServiceNow sn;
  httplib::Result created = sn.Post(
      std::string(kIncidents) + "?sysparm_input_display_value=true",
      {{"state", "On Hold"}, {"hold_reason", "4"},
       {"assignment_group", "Network"}});
  ASSERT_EQ(created->status, 201);
  nlohmann::json result = Body(created)["result"];
  EXPECT_EQ(result["state"], "3");
  EXPECT_EQ(result["assignment_group"]["value"], TestServiceNow::kNetworkGroup);
}

TEST(TableApiTest, NoResponseBodyHeader) {
  TestServiceNow sn;
  const std::string id = CreateIncident(sn, {{"short_description", "a"}});
  httplib::Result patched = sn.Send(
      "PATCH", std::string(kIncidents) + "/" + id,
      {{"Authorization", TestServiceNow::BasicFor("ferry")},
       {"Content-Type", "application/json"},
       {"X-no-response-body", "true"}},
      R"({"short_description":"b"})");
  EXPECT_EQ(patched->status, 204);
  EXPECT_TRUE(patched->body.empty());
}

TEST(TableApiTest, RefusedHeadersAndBodies) {
  TestServiceNow sn;
  const std::string basic = TestServiceNow::BasicFor("ferry");
  EXPECT_EQ(sn.Send("POST", kIncidents, {{"Authorization", basic}})->status,
            400);
  EXPECT_EQ(sn.Send("POST", kIncidents,
                    {{"Authorization", basic}, {"Content-Type", "text/xml"}},
                    "<x/>")
                ->status,
            415);
  EXPECT_EQ(sn.Send("GET", kIncidents,
                    {{"Authorization", basic}, {"Accept", "application/xml"}})
                ->status,
            406);
  httplib::Result bad_json =
      sn.Send("POST", kIncidents,
              {{"Authorization", basic}, {"Content-Type", "application/json"}},
              "{not json");
  EXPECT_EQ(bad_json->status, 400);
  EXPECT_EQ(Body(bad_json)["status"], "failure");
  httplib::Result table = sn.Get("/api/now/table/no_such_table");
  EXPECT_EQ(table->status, 400);
  EXPECT_EQ(Body(table), nlohmann::json::parse(R"({"error":{"message":
      "Invalid table no_such_table","detail":null},"status":"failure"})"));
}

}  // namespace
}  // namespace ferry::servicenow_sim
