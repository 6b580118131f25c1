#include "tools/simcore/testing/openapi_validator.h"

#include "gtest/gtest.h"

namespace ferry::simcore {
namespace {

const char kDocument[] = R"({
  "paths": {
    "/things": {"get": {"responses": {"200": {"content": {"application/json": {
        "schema": {"allOf": [{"$ref": "#/components/schemas/Page"},
                             {"type": "object", "required": ["things"],
                              "properties": {"things": {"type": "array",
                                  "items": {"$ref": "#/components/schemas/Thing"}}}}]}}}},
        "404": {"$ref": "#/components/responses/NotFound"}}}},
    "/things/{id}": {"get": {"responses": {"200": {"content": {"application/json": {
        "schema": {"type": "object", "properties": {"thing": {
            "oneOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "string"}]}}}}}}}}},
    "/things/special": {"get": {"responses": {"204": {"description": "none"}}}}
  },
  "components": {
    "schemas": {
      "Page": {"type": "object", "properties": {"more": {"type": "boolean"},
                                                "total": {"type": "integer", "nullable": true}}},
      "Thing": {"type": "object", "required": ["id"],
                "properties": {"id": {"type": "string"},
                               "status": {"type": "string", "enum": ["on", "off"]},
                               "count": {"type": "integer"}}}
    },
    "responses": {"NotFound": {"content": {"application/json": {"schema": {
        "type": "object", "properties": {"error": {"type": "object",
            "properties": {"code": {"type": "integer"}}}}}}}}}
  }
})";

class OpenApiValidatorTest : public ::testing::Test {
 protected:
  OpenApiValidator validator_{nlohmann::json::parse(kDocument)};
};

TEST_F(OpenApiValidatorTest, AcceptsAConformingBody) {
  auto body = nlohmann::json::parse(
      R"({"things": [{"id": "a", "status": "on", "count": 2}], "more": false, "total": null})");
  EXPECT_TRUE(validator_.ValidateResponse("GET", "/things", 200, body).empty());
}

TEST_F(OpenApiValidatorTest, ReportsTypeEnumRequiredAndNullProblems) {
  auto body = nlohmann::json::parse(
      R"({"things": [{"status": "maybe", "count": 1.5}], "more": null})");
  auto problems = validator_.ValidateResponse("GET", "/things", 200, body);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_NE(problems[0].find("expected boolean"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("missing required \"id\""), std::string::npos) << problems[1];
  EXPECT_NE(problems[2].find("things[0].count: expected integer"), std::string::npos)
      << problems[2];
  EXPECT_NE(problems[3].find("\"maybe\" is not one of"), std::string::npos) << problems[3];
  EXPECT_FALSE(validator_.ValidateResponse("GET", "/things", 200, {{"more", true}}).empty());
}

TEST_F(OpenApiValidatorTest, PathTemplatesOneOfAndResponseRefs) {
  EXPECT_TRUE(validator_.ValidateResponse("GET", "/things/x", 200, {{"thing", "x"}}).empty());
  EXPECT_TRUE(
      validator_.ValidateResponse("GET", "/things/x", 200, {{"thing", {{"id", "x"}}}}).empty());
  EXPECT_EQ(validator_.ValidateResponse("GET", "/things/x", 200, {{"thing", 3}}).size(), 1u);
  // The literal template wins over {id}.
  EXPECT_TRUE(validator_.ValidateResponse("GET", "/things/special", 204, nullptr).empty());
  EXPECT_TRUE(validator_.ValidateResponse("GET", "/things", 404,
                                          {{"error", {{"code", 2100}}}}).empty());
  EXPECT_EQ(validator_.ValidateResponse("GET", "/things", 404,
                                        {{"error", {{"code", "x"}}}}).size(), 1u);
  EXPECT_EQ(validator_.ValidateResponse("POST", "/things", 200, {}).size(), 1u);
  EXPECT_EQ(validator_.ValidateResponse("GET", "/things", 500, {}).size(), 1u);
}

TEST_F(OpenApiValidatorTest, OptionalNullsFollowTheVendorConvention) {
  const nlohmann::json body = {{"things", {{{"id", "a"}, {"status", nullptr}}}}};
  EXPECT_EQ(validator_.ValidateResponse("GET", "/things", 200, body).size(), 1u);
  OpenApiValidator lenient(nlohmann::json::parse(kDocument), {true});
  EXPECT_TRUE(lenient.ValidateResponse("GET", "/things", 200, body).empty());
  EXPECT_EQ(lenient.ValidateResponse("GET", "/things", 200,
                                     {{"things", {{{"id", nullptr}}}}}).size(), 1u);
}

}  // namespace
}  // namespace ferry::simcore
