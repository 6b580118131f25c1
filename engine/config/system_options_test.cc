#include "engine/config/system_options.h"

#include "gtest/gtest.h"

namespace ferry::config {
namespace {

// Any message serves as an options type; SecretRef is at hand.
SystemOptionsSpec Spec() {
  SystemOptionsSpec spec;
  spec.prototype = std::make_shared<ferry::v1::SecretRef>();
  return spec;
}

TEST(SystemOptionsTest, RegisteredKindsAreFound) {
  RegisterSystemOptions("options-test", Spec());
  const SystemOptionsSpec* spec = FindSystemOptions("options-test");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->prototype->GetDescriptor(), ferry::v1::SecretRef::descriptor());
  EXPECT_EQ(FindSystemOptions("unknown"), nullptr);
}

TEST(SystemOptionsTest, UnpacksTypedOptions) {
  ferry::v1::SystemConfig system;
  ferry::v1::SecretRef written;
  written.set_env("X");
  system.mutable_typed_options()->PackFrom(written);
  ferry::v1::SecretRef read;
  ASSERT_TRUE(UnpackSystemOptions(system, &read).ok());
  EXPECT_EQ(read.env(), "X");
}

TEST(SystemOptionsTest, NoOptionsLeaveTheDefaults) {
  ferry::v1::SecretRef read;
  EXPECT_TRUE(UnpackSystemOptions(ferry::v1::SystemConfig(), &read).ok());
  EXPECT_EQ(read.source_case(), ferry::v1::SecretRef::SOURCE_NOT_SET);
}

TEST(SystemOptionsTest, TheUntypedMapAndOtherTypesAreRefused) {
  ferry::v1::SystemConfig system;
  system.set_name("sys");
  (*system.mutable_options())["deployment"] = "cloud";
  ferry::v1::SecretRef read;
  absl::Status status = UnpackSystemOptions(system, &read);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("system 'sys'"), std::string::npos);

  system.mutable_typed_options()->PackFrom(ferry::v1::Endpoint());
  status = UnpackSystemOptions(system, &read);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("ferry.v1.SecretRef"), std::string::npos);
}

TEST(SystemOptionsDeathTest, RegisteringAKindTwiceAborts) {
  EXPECT_DEATH(
      {
        RegisterSystemOptions("twice", Spec());
        RegisterSystemOptions("twice", Spec());
      },
      "system options of 'twice' are registered twice");
}

}  // namespace
}  // namespace ferry::config
