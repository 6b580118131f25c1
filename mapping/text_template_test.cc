#include "mapping/text_template.h"

#include <string>

#include "gtest/gtest.h"

namespace ferry::mapping {
namespace {

std::string Upper(absl::string_view name) { return "<" + std::string(name) + ">"; }

TEST(TextTemplateTest, FindsPlaceholdersWithSpaces) {
  const TextTemplate t("[@Number@] @Title@ (@Incident Key@)");
  EXPECT_EQ(t.placeholders(), (std::vector<std::string>{"Number", "Title", "Incident Key"}));
  EXPECT_EQ(t.Render(Upper), "[<Number>] <Title> (<Incident Key>)");
}

TEST(TextTemplateTest, DoubleAtIsALiteralAt) {
  const TextTemplate t("mail ops@@example.com about @Title@");
  EXPECT_EQ(t.placeholders(), (std::vector<std::string>{"Title"}));
  EXPECT_EQ(t.Render(Upper), "mail ops@example.com about <Title>");
}

TEST(TextTemplateTest, UnclosedAtIsLiteral) {
  const TextTemplate t("ping a@b.com\nnow");
  EXPECT_TRUE(t.placeholders().empty());
  EXPECT_EQ(t.Render(Upper), "ping a@b.com\nnow");
}

TEST(TextTemplateTest, EmptyTemplate) {
  EXPECT_TRUE(TextTemplate("").empty());
  EXPECT_TRUE(TextTemplate().empty());
  EXPECT_FALSE(TextTemplate("x").empty());
}

}  // namespace
}  // namespace ferry::mapping
