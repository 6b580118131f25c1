#include "connectors/fake/fake_system.h"

#include <cstdlib>
#include <filesystem>

#include "gtest/gtest.h"
#include "tests/support/values.h"

namespace ferry::fake {
namespace {

using ::ferry::testing::LookupName;
using ::ferry::testing::Person;
using ::ferry::testing::TextValue;



FakeSystem OpenFresh() {
  const std::string dir =
      std::string(std::getenv("TEST_TMPDIR")) + "/" +
      ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  auto system = FakeSystem::Open(dir);
  EXPECT_TRUE(system.ok()) << system.status();
  return *std::move(system);
}

TEST(FakeSystemTest, CreateSetAndCommentBumpRevisionsAndHistory) {
  FakeSystem system = OpenFresh();
  auto created = system.Create("OPS", "Task", {{"Title", TextValue("a")}},
                               Person("alice"), "origin-1");
  ASSERT_TRUE(created.ok()) << created.status();
  auto updated =
      system.SetFields(created->id(), {{"Title", TextValue("b")}}, Person("bob"));
  ASSERT_TRUE(updated.ok());
  EXPECT_GT(updated->revision(), created->revision());
  auto comment = system.AddComment(created->id(), "hi", Person("carol"), "c-1");
  ASSERT_TRUE(comment.ok());

  auto record = system.Get(created->id());
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->entity().fields().at("Title").text(), "b");
  ASSERT_EQ(record->history_size(), 2);
  EXPECT_EQ(record->history(1).change().old_value().text(), "a");
  EXPECT_EQ(record->history(1).change().changed_by().id(), "bob");
  EXPECT_EQ(record->origin(), "origin-1");
  EXPECT_EQ(record->comment_origins().at(*comment), "c-1");
  EXPECT_EQ(record->entity().last_changed_by().id(), "carol");
}

TEST(FakeSystemTest, SettingAnEqualValueChangesNothing) {
  FakeSystem system = OpenFresh();
  auto created =
      system.Create("OPS", "Task", {{"Title", TextValue("a")}}, Person("alice"));
  ASSERT_TRUE(created.ok());
  auto same =
      system.SetFields(created->id(), {{"Title", TextValue("a")}}, Person("bob"));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->revision(), created->revision());
}

TEST(FakeSystemTest, ChangedAfterListsByRevisionWithinAProject) {
  FakeSystem system = OpenFresh();
  auto first = system.Create("OPS", "Task", {}, Person("a"));
  auto other = system.Create("DEV", "Task", {}, Person("a"));
  auto second = system.Create("OPS", "Task", {}, Person("a"));
  ASSERT_TRUE(first.ok() && other.ok() && second.ok());
  ASSERT_TRUE(system.SetFields(first->id(), {{"X", TextValue("1")}}, Person("a")).ok());

  auto all = system.ChangedAfter("OPS", 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].entity().id(), second->id());
  EXPECT_EQ((*all)[1].entity().id(), first->id());

  auto later = system.ChangedAfter("OPS", second->revision());
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].entity().id(), first->id());
}

TEST(FakeSystemTest, UnknownEntityIsNotFound) {
  FakeSystem system = OpenFresh();
  EXPECT_EQ(system.Get("F999").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ferry::fake
