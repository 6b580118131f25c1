#pragma once

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace ferry {

// Conversions between protobuf's well-known time types and absl's, in one
// place. Exact to the nanosecond; thread-safe.

inline google::protobuf::Timestamp ToProto(absl::Time time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(time));
}

inline absl::Time FromProto(const google::protobuf::Timestamp& time) {
  return absl::FromUnixNanos(
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(time));
}

inline absl::Duration FromProto(const google::protobuf::Duration& duration) {
  return absl::Nanoseconds(
      google::protobuf::util::TimeUtil::DurationToNanoseconds(duration));
}

}  // namespace ferry
