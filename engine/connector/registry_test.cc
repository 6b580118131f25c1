#include "engine/connector/registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

// A connector that can do nothing; the registry only needs to make it.
class NoopConnector : public Connector {
 public:
  explicit NoopConnector(std::string name) : name_(std::move(name)) {}
  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>&) override {
    ferry::v1::CheckSystemResponse response;
    response.set_role(name_);
    return response;
  }
  absl::StatusOr<std::unique_ptr<ChangeReader>> NewReader(
      const ReaderOptions&) override {
    return absl::UnimplementedError("noop");
  }
  absl::StatusOr<std::unique_ptr<EntityWriter>> NewWriter(
      const std::string&) override {
    return absl::UnimplementedError("noop");
  }

 private:
  std::string name_;
};

absl::StatusOr<std::unique_ptr<Connector>> MakeNoop(const ferry::v1::SystemConfig& system,
                                                    const std::string&, const ConnectorContext&) {
  return std::make_unique<NoopConnector>(system.name());
}

SystemDescriptor Descriptor() {
  SystemDescriptor descriptor;
  descriptor.schema.kind = "registry-test";
  descriptor.schema.fields = {
      {"Title", mapping::FieldType::kText, mapping::Writability::kWritable, 0, {}, ""}};
  descriptor.factory = &MakeNoop;
  return descriptor;
}

const SystemRegistration kRegistration(Descriptor());

TEST(ConnectorRegistryTest, MakesARegisteredKind) {
  ferry::v1::SystemConfig system;
  system.set_name("sys");
  system.set_kind("registry-test");
  auto connector = ConnectorRegistry::Create(system, "secret");
  ASSERT_TRUE(connector.ok()) << connector.status();
  auto check = (*connector)->CheckSystem({});
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->role(), "sys");
  EXPECT_THAT(ConnectorRegistry::Kinds(), ::testing::Contains("registry-test"));
}

TEST(ConnectorRegistryTest, RegisteringADescriptorMakesItsSchemaFindable) {
  const mapping::SystemSchema* schema = mapping::FindSystemSchema("registry-test");
  ASSERT_NE(schema, nullptr);
  EXPECT_NE(schema->FindField("Title"), nullptr);
}

TEST(ConnectorRegistryTest, UnknownKindNamesTheKnownOnes) {
  ferry::v1::SystemConfig system;
  system.set_name("sn");
  system.set_kind("servicenow");
  auto connector = ConnectorRegistry::Create(system, "secret");
  EXPECT_EQ(connector.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(connector.status().message(),
            "system 'sn': no connector of kind 'servicenow'; this ferryd has "
            "registry-test");
}

TEST(ConnectorRegistryDeathTest, RegisteringAKindTwiceAborts) {
  EXPECT_DEATH(ConnectorRegistry::Register(Descriptor()),
               "connector kind 'registry-test' is registered twice");
}

TEST(ConnectorRegistryDeathTest, ADescriptorWithoutFactoryAborts) {
  SystemDescriptor descriptor = Descriptor();
  descriptor.schema.kind = "no-factory";
  descriptor.factory = nullptr;
  EXPECT_DEATH(ConnectorRegistry::Register(std::move(descriptor)),
               "system descriptor 'no-factory' needs a kind and a factory");
}

}  // namespace
}  // namespace ferry::engine
