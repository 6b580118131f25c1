#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "mapping/field_value.h"
#include "mapping/mapper.h"
#include "proto/stages.pb.h"

namespace ferry::mapping {

// Parses a text-format proto for a test; fails the test on a syntax error.
template <typename T>
T ParseText(absl::string_view text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text), &message))
      << "bad text proto: " << text;
  return message;
}

// An intent's field writes as target field → value text ("(clear)" for a
// write that clears), for comparing against a table of expectations.
inline std::map<std::string, std::string> WrittenText(const ferry::v1::WriteIntent& intent) {
  std::map<std::string, std::string> written;
  for (const ferry::v1::FieldWrite& write : intent.fields()) {
    written[write.target_field()] = write.has_value() ? ToText(write.value()) : "(clear)";
  }
  return written;
}

// One row of a system-pair table: a change as the source connector reports
// it, and what the mapping must make of it.
struct PairCase {
  const char* name;
  // A ferry.v1.ChangeEvent in text format.
  const char* change;
  // Target field → value text (WrittenText); every write must be listed.
  std::map<std::string, std::string> writes;
  // Target fields that must be tagged sync_when CREATE.
  std::vector<std::string> create_only;
  // Bodies of the comments to post, in order.
  std::vector<std::string> comments;
  // When set, mapping must fail with a message containing it.
  const char* error = nullptr;
};

// Maps `row.change` with `mapper` and checks every expectation of `row`.
inline void ExpectPairCase(const Mapper& mapper, const PairCase& row) {
  SCOPED_TRACE(row.name);
  absl::StatusOr<ferry::v1::WriteIntent> intent =
      mapper.Map(ParseText<ferry::v1::ChangeEvent>(row.change));
  if (row.error != nullptr) {
    ASSERT_FALSE(intent.ok());
    EXPECT_NE(intent.status().message().find(row.error), absl::string_view::npos)
        << intent.status();
    return;
  }
  ASSERT_TRUE(intent.ok()) << intent.status();
  EXPECT_EQ(WrittenText(*intent), row.writes);
  for (const std::string& field : row.create_only) {
    bool found = false;
    for (const ferry::v1::FieldWrite& write : intent->fields()) {
      if (write.target_field() != field) continue;
      found = true;
      EXPECT_EQ(write.sync_when(), ferry::v1::SYNC_WHEN_CREATE) << field;
    }
    EXPECT_TRUE(found) << field;
  }
  std::vector<std::string> bodies;
  for (const ferry::v1::CommentWrite& comment : intent->comments()) bodies.push_back(comment.body());
  EXPECT_EQ(bodies, row.comments);
}

}  // namespace ferry::mapping
