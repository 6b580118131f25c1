#pragma once

#include <string>

#include "mapping/field_value.h"
#include "proto/entity.pb.h"

namespace ferry::testing {

// Field values and people for tests, as the end systems would show them.
using mapping::LookupName;  // LookupName("open"): a status or priority.
using mapping::TextValue;   // TextValue("Database down").

// A person of an end system, id and name both `id`.
inline ferry::v1::UserRef Person(const std::string& id) {
  ferry::v1::UserRef user;
  user.set_id(id);
  user.set_name(id);
  return user;
}

}  // namespace ferry::testing
