#include "http/redactor.h"

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

constexpr char kToken[] = "u+Zx-y_PD-token-0123456789";

TEST(RedactorTest, RemovesEveryOccurrenceOfAKnownSecret) {
  const Redactor redactor({kToken});
  EXPECT_EQ(redactor.Scrub(std::string("a ") + kToken + " b " + kToken),
            "a [REDACTED] b [REDACTED]");
}

TEST(RedactorTest, RemovesThePercentEncodedFormOfASecret) {
  const Redactor redactor({kToken});
  EXPECT_EQ(redactor.Scrub("GET /x?token=u%2BZx-y_PD-token-0123456789&a=1"),
            "GET /x?token=[REDACTED]&a=1");
}

TEST(RedactorTest, LongerSecretIsRemovedWhole) {
  const Redactor redactor({"abc", "abcdef"});
  EXPECT_EQ(redactor.Scrub("x abcdef y abc"), "x [REDACTED] y [REDACTED]");
}

TEST(RedactorTest, RemovesAuthorizationHeaderValueItWasNotToldAbout) {
  const Redactor redactor;
  EXPECT_EQ(redactor.Scrub("GET /x\r\nauthorization: Token token=zzz\r\n"
                           "Accept: */*\r\n"),
            "GET /x\r\nauthorization: [REDACTED]\r\nAccept: */*\r\n");
  EXPECT_EQ(redactor.Scrub("Proxy-Authorization: Basic dXNlcjpwdw=="),
            "Proxy-Authorization: [REDACTED]");
}

TEST(RedactorTest, RemovesCredentialAfterAuthenticationSchemes) {
  const Redactor redactor;
  EXPECT_EQ(redactor.Scrub(R"({"echo":"Token token=y_NxAHJ4rb3t9dZ8"})"),
            R"({"echo":"Token token=[REDACTED]"})");
  EXPECT_EQ(redactor.Scrub("sent bearer eyJhbGciOiJIUzI1NiJ9.e30.sig, done"),
            "sent bearer [REDACTED], done");
}

TEST(RedactorTest, LeavesOrdinaryTextAlone) {
  const Redactor redactor({kToken});
  const std::string text =
      "Incident Already Resolved; basic plan; the bearer of bad news";
  EXPECT_EQ(redactor.Scrub(text), text);
}

TEST(RedactorTest, IgnoresEmptySecrets) {
  const Redactor redactor({""});
  EXPECT_EQ(redactor.Scrub("nothing to hide"), "nothing to hide");
}

}  // namespace
}  // namespace ferry::http
