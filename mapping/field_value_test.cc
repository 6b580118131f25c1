#include "mapping/field_value.h"

#include "gtest/gtest.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

using ferry::v1::FieldValue;

TEST(FieldValueTest, ToTextOfEveryKind) {
  EXPECT_EQ(ToText(TextValue("hi")), "hi");
  EXPECT_EQ(ToText(ParseText<FieldValue>("number: 1042")), "1042");
  EXPECT_EQ(ToText(ParseText<FieldValue>("number: 2.5")), "2.5");
  EXPECT_EQ(ToText(ParseText<FieldValue>("lookup { id: 'P1X' name: 'P1' }")), "P1");
  EXPECT_EQ(ToText(ParseText<FieldValue>("user { id: 'U1' email: 'a@x.io' }")), "a@x.io");
  EXPECT_EQ(ToText(ParseText<FieldValue>("user { id: 'U1' name: 'Ann' email: 'a@x.io' }")), "Ann");
  EXPECT_EQ(ToText(ParseText<FieldValue>("time { seconds: 1795966242 }")), "2026-11-29T15:30:42Z");
  EXPECT_EQ(ToText(FieldValue()), "");
}

TEST(FieldValueTest, ConvertsTextToNumberOrSaysWhy) {
  absl::StatusOr<FieldValue> number = Convert(TextValue(" 42 "), FieldType::kNumber);
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->number(), 42);
  absl::StatusOr<FieldValue> bad = Convert(TextValue("many"), FieldType::kNumber);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("\"many\""), std::string::npos);
  EXPECT_NE(bad.status().message().find("not a number"), std::string::npos);
}

TEST(FieldValueTest, UsersCrossSystemsWithoutTheirIds) {
  absl::StatusOr<FieldValue> user =
      Convert(ParseText<FieldValue>("user { id: 'PXYZ' name: 'Ann' email: 'a@x.io' }"),
              FieldType::kUser);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->user().id(), "");
  EXPECT_EQ(user->user().email(), "a@x.io");
  EXPECT_EQ(Convert(TextValue("a@x.io"), FieldType::kUser)->user().email(), "a@x.io");
  EXPECT_EQ(Convert(TextValue("Ann"), FieldType::kUser)->user().name(), "Ann");
}

TEST(FieldValueTest, LookupsBecomeNamesAndTimesParse) {
  EXPECT_EQ(Convert(TextValue("High"), FieldType::kLookup)->lookup().name(), "High");
  EXPECT_EQ(Convert(ParseText<FieldValue>("number: 3"), FieldType::kLookup)->lookup().name(), "3");
  absl::StatusOr<FieldValue> time = Convert(TextValue("2026-11-29T15:30:42Z"), FieldType::kTime);
  ASSERT_TRUE(time.ok());
  EXPECT_EQ(time->time().seconds(), 1795966242);
  EXPECT_FALSE(Convert(TextValue("yesterday"), FieldType::kTime).ok());
}

TEST(FieldValueTest, RefusesPairsThatCannotConvert) {
  EXPECT_FALSE(CanConvert(FieldType::kTime, FieldType::kUser));
  EXPECT_FALSE(CanConvert(FieldType::kLookup, FieldType::kUser));
  EXPECT_TRUE(CanConvert(FieldType::kUser, FieldType::kText));
  EXPECT_TRUE(CanConvert(FieldType::kAny, FieldType::kUser));
  absl::StatusOr<FieldValue> bad = Convert(LookupName("P1"), FieldType::kUser);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "cannot convert lookup value \"P1\" to user");
}

TEST(FieldValueTest, EmptyStaysEmpty) {
  absl::StatusOr<FieldValue> empty = Convert(FieldValue(), FieldType::kNumber);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(IsEmpty(*empty));
}

TEST(FieldValueTest, CanonicalFormIgnoresIdsAndEmailCase) {
  EXPECT_EQ(CanonicalForm(ParseText<FieldValue>("lookup { id: '3' name: 'Major' }")),
            CanonicalForm(LookupName("Major")));
  EXPECT_EQ(CanonicalForm(ParseText<FieldValue>("user { id: 'a' email: 'Ann@X.io' }")),
            CanonicalForm(ParseText<FieldValue>("user { email: 'ann@x.io' name: 'Ann' }")));
  EXPECT_NE(CanonicalForm(TextValue("3")), CanonicalForm(ParseText<FieldValue>("number: 3")));
}

TEST(FieldValueTest, FingerprintIsStableFnv1a) {
  // These values are stored in link tables; they must never change.
  EXPECT_EQ(Fingerprint(TextValue("abc")), 0x8b2f1ed175283025ull);
  EXPECT_EQ(Fingerprint(FieldValue()), 0xcbf29ce484222325ull);
}

TEST(FieldValueTest, MatchesTextComparesIdsNamesAndEmails) {
  const FieldValue service = ParseText<FieldValue>("lookup { id: 'PSVC1' name: 'Checkout' }");
  EXPECT_TRUE(MatchesText(service, "psvc1"));
  EXPECT_TRUE(MatchesText(service, "checkout"));
  EXPECT_FALSE(MatchesText(service, "Payments"));
  EXPECT_TRUE(MatchesText(ParseText<FieldValue>("user { email: 'a@x.io' }"), "A@X.IO"));
  EXPECT_TRUE(MatchesText(TextValue("Triggered"), "triggered"));
}

TEST(FieldValueTest, TruncatesByCharactersNotBytes) {
  EXPECT_EQ(TruncateUtf8("héllo", 2), "hé");
  EXPECT_EQ(TruncateUtf8("日本語テキスト", 3), "日本語");
  EXPECT_EQ(TruncateUtf8("short", 10), "short");
  EXPECT_EQ(TruncateUtf8("no limit", 0), "no limit");
}

}  // namespace
}  // namespace ferry::mapping
