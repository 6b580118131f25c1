#pragma once

#include <vector>

#include "proto/config.pb.h"

namespace ferry::config {

// Joins the problems the passes over one config found (the schema, then
// the structure, then the meaning of mappings, criteria and lookups) into
// the one list a person reads top to bottom:
//   - a problem of a later pass whose field path is, contains or lies
//     inside the path of an earlier pass's problem is left out: it is the
//     same mistake seen again (a value of the wrong kind is also a missing
//     value to the structure check);
//   - the rest are sorted by line and column; problems at one place keep
//     the order of their passes, and problems with no place (line 0) come
//     last.
// Pure.
std::vector<ferry::v1::ConfigProblem> InFileOrder(
    std::vector<std::vector<ferry::v1::ConfigProblem>> passes);

}  // namespace ferry::config
