#pragma once

#include <string>

#include "proto/stages.pb.h"

namespace ferry::engine::testing {

// FieldWrites as a mapping hands them to an EntityWriter, for writer tests
// that do not care which source field a value came from.

// Writes `text` to the target field `field`, from the source field
// "Title", when `when` says.
inline ferry::v1::FieldWrite TextWrite(
    const std::string& field, const std::string& text,
    ferry::v1::SyncWhen when = ferry::v1::SYNC_WHEN_ALWAYS) {
  ferry::v1::FieldWrite write;
  write.set_target_field(field);
  write.set_source_field("Title");
  write.mutable_value()->set_text(text);
  write.set_sync_when(when);
  return write;
}

// Writes the option (status, priority, code…) named `name` to the target
// field `field`, from the source field "Status", always.
inline ferry::v1::FieldWrite LookupWrite(const std::string& field,
                                         const std::string& name) {
  ferry::v1::FieldWrite write;
  write.set_target_field(field);
  write.set_source_field("Status");
  write.mutable_value()->mutable_lookup()->set_name(name);
  return write;
}

}  // namespace ferry::engine::testing
