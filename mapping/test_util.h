#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace ferry::mapping {

// Parses a text-format proto for a test; fails the test on a syntax error.
template <typename T>
T ParseText(absl::string_view text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text), &message))
      << "bad text proto: " << text;
  return message;
}

}  // namespace ferry::mapping
