#include "engine/writer/failure_log.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/common/proto_time.h"

namespace ferry::engine {

void LogFailure(log::Level level, absl::string_view event,
                const ferry::v1::Failure& failure,
                const std::optional<ferry::v1::Link>& link,
                absl::string_view fix) {
  const auto& entity = failure.change().entity();
  nlohmann::json fields = {
      {"integration", failure.integration()},
      {"failure", failure.id()},
      {"attempts", failure.attempts()},
      {"source_system", failure.source_system()},
      {"source_id", failure.source_id()},
      {"source_key", failure.source_key()},
      {"error", failure.error()},
  };
  if (!entity.url().empty()) fields["source_url"] = entity.url();
  if (failure.has_next_attempt()) {
    fields["next_attempt"] = absl::FormatTime(
        "%Y-%m-%dT%H:%M:%SZ", FromProto(failure.next_attempt()), absl::UTCTimeZone());
  }
  if (link.has_value()) {
    // The link is stored under its source; the failed change may come from
    // either side of it.
    const bool from_source = link->source_system() == failure.source_system() &&
                             link->source_id() == failure.source_id();
    fields["target_system"] = from_source ? link->target_system() : link->source_system();
    fields["target_id"] = from_source ? link->target_id() : link->source_id();
    fields["target_key"] = from_source ? link->target_key() : link->source_key();
  }
  if (!fix.empty()) fields["fix"] = std::string(fix);
  log::Write(level, event, std::move(fields));
}

std::string ExhaustedFix(const ferry::v1::Failure& failure) {
  return absl::StrCat("no automatic attempt is left: correct what the error names, then "
                      "`ferryctl failures reprocess ", failure.integration(), " --ids=",
                      failure.id(), "`, or give up on it with `ferryctl failures skip ",
                      failure.integration(), " --ids=", failure.id(), "`");
}

}  // namespace ferry::engine
