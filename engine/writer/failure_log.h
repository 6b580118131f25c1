#pragma once

#include <optional>

#include "absl/strings/string_view.h"
#include "engine/common/log.h"
#include "proto/control.pb.h"

namespace ferry::engine {

// One structured log line about a failure of the failure queue (see
// docs/writer.md, "Failures in the log"): `event` ("failure.parked",
// "failure.retry_failed", "failure.exhausted", "failure.resolved",
// "failure.reprocessed", "failure.skipped") with the integration, the
// failure's id, attempts and next attempt, the source entity (system, id,
// key, link), the target entity when `link` says which, the reason and, as
// "fix", what a person can do about it when `fix` is not empty.
void LogFailure(log::Level level, absl::string_view event,
                const ferry::v1::Failure& failure,
                const std::optional<ferry::v1::Link>& link,
                absl::string_view fix = "");

// The fix of a failure whose automatic attempts ran out: correct the cause,
// then reprocess or skip it with ferryctl.
std::string ExhaustedFix(const ferry::v1::Failure& failure);

}  // namespace ferry::engine
