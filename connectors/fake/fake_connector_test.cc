#include "connectors/fake/fake_connector.h"

#include <cstdlib>
#include <filesystem>

#include "connectors/fake/fake_system.h"
#include "engine/connector/registry.h"
#include "gtest/gtest.h"
#include "tests/support/values.h"

namespace ferry::fake {
namespace {

using ::ferry::testing::LookupName;
using ::ferry::testing::Person;
using ::ferry::testing::TextValue;



class FakeConnectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(std::getenv("TEST_TMPDIR")) + "/" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    ferry::v1::SystemConfig config;
    config.set_name("target");
    config.set_kind("fake");
    config.set_url("file://" + dir_);
    config.set_user_email("ferry");
    auto connector = ferry::engine::ConnectorRegistry::Create(config, "");
    ASSERT_TRUE(connector.ok()) << connector.status();
    connector_ = *std::move(connector);
    auto system = FakeSystem::Open(dir_);
    ASSERT_TRUE(system.ok());
    system_ = std::make_unique<FakeSystem>(*std::move(system));
  }

  std::unique_ptr<ferry::engine::ChangeReader> Reader() {
    ferry::engine::ReaderOptions options;
    options.integration = "i";
    options.project = "OPS";
    auto reader = connector_->NewReader(options);
    EXPECT_TRUE(reader.ok());
    return *std::move(reader);
  }

  std::string dir_;
  std::unique_ptr<ferry::engine::Connector> connector_;
  std::unique_ptr<FakeSystem> system_;
};

TEST_F(FakeConnectorTest, ReaderSkipsTheIntegrationUsersOwnChanges) {
  auto human = system_->Create("OPS", "Task", {{"Title", TextValue("a")}},
                               Person("alice"));
  ASSERT_TRUE(human.ok());
  ASSERT_TRUE(system_->AddComment(human->id(), "mine", Person("ferry")).ok());
  auto ours = system_->Create("OPS", "Task", {{"Title", TextValue("b")}},
                              Person("ferry"), "origin");
  ASSERT_TRUE(ours.ok());

  auto page = Reader()->ReadChanges(std::nullopt, 10);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->changes.size(), 1u);
  const auto& event = page->changes[0];
  EXPECT_EQ(event.entity().id(), human->id());
  EXPECT_TRUE(event.created());
  EXPECT_EQ(event.entity().comments_size(), 0);  // Ferry's comment left out.
  ASSERT_TRUE(page->scanned_to.has_value());
  // The checkpoint may pass the skipped changes.
  EXPECT_GT(page->scanned_to->tie_breaker(), event.position().tie_breaker());
}

TEST_F(FakeConnectorTest, ReaderPagesAndResumesAfterAPosition) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(system_->Create("OPS", "Task", {}, Person("alice")).ok());
  }
  auto reader = Reader();
  auto first = reader->ReadChanges(std::nullopt, 3);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->changes.size(), 3u);
  EXPECT_TRUE(first->more);
  auto rest = reader->ReadChanges(first->changes.back().position(), 3);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->changes.size(), 2u);
  EXPECT_FALSE(rest->more);
}

TEST_F(FakeConnectorTest, WriterCreatesFindsByOriginAndComments) {
  auto writer = connector_->NewWriter("i");
  ASSERT_TRUE(writer.ok());
  ferry::engine::CreateRequest request;
  request.project = "OPS";
  request.type = "Task";
  request.origin = "ferry:i:pd:P1";
  ferry::v1::FieldWrite title;
  title.set_target_field("Title");
  title.mutable_value()->set_text("Database down");
  request.fields.push_back(title);
  auto created = (*writer)->Create(request);
  ASSERT_TRUE(created.ok()) << created.status();

  auto found = (*writer)->FindByOrigin("OPS", "ferry:i:pd:P1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, created->id);

  auto looked_up = (*writer)->Lookup("OPS", "Title=Database down");
  ASSERT_TRUE(looked_up.ok());
  ASSERT_EQ(looked_up->size(), 1u);
  EXPECT_EQ((*looked_up)[0].id, created->id);
  EXPECT_EQ((*writer)->Lookup("OPS", "nonsense").status().code(),
            absl::StatusCode::kInvalidArgument);

  ferry::v1::CommentWrite comment;
  comment.set_body("note");
  auto comment_id = (*writer)->AddComment(*created, comment, "c-origin");
  ASSERT_TRUE(comment_id.ok());
  auto found_comment = (*writer)->FindComment(*created, "c-origin");
  ASSERT_TRUE(found_comment.ok() && found_comment->has_value());
  EXPECT_EQ(**found_comment, *comment_id);
}

}  // namespace
}  // namespace ferry::fake
