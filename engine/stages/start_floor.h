#pragma once

#include <vector>

#include "absl/time/time.h"
#include "proto/entity.pb.h"

namespace ferry::engine {

// Sets ChangeEvent.created_before_start on each change whose entity was
// created strictly before `floor`, the time an integration syncs from (its
// start_time, or the moment it first started, or a backfill's earlier
// time); an entity created at `floor` itself, or later, is not marked, nor
// one whose creation time the system did not give. The writer then
// creates no counterpart for a marked entity that is not linked yet (a
// target lookup may still link it to one that exists).
void MarkCreatedBeforeStart(absl::Time floor,
                            std::vector<ferry::v1::ChangeEvent>& changes);

}  // namespace ferry::engine
