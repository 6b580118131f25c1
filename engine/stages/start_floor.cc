#include "engine/stages/start_floor.h"

#include "engine/common/proto_time.h"

namespace ferry::engine {

void MarkCreatedBeforeStart(absl::Time floor,
                            std::vector<ferry::v1::ChangeEvent>& changes) {
  for (auto& change : changes) {
    const auto& entity = change.entity();
    change.set_created_before_start(entity.has_created_at() &&
                                    FromProto(entity.created_at()) < floor);
  }
}

}  // namespace ferry::engine
