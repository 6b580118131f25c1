#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "mapping/query_dialect.h"
#include "mapping/text_template.h"
#include "proto/entity.pb.h"

namespace ferry::mapping {

// Fills a target lookup query (`incident_key=@Key@`) with `source`'s field
// values, as text, each escaped by the target's `dialect` so that it cannot
// change the query's shape (null: values go in as they are, for a target
// with no query language). Fails with FailedPrecondition naming the
// placeholder when the source entity has no value for it: an empty key
// would find the wrong entities (the mapper hands the message on as
// WriteIntent.target_lookup_unfilled and the writer follows on_none).
// Pure and thread-safe.
absl::StatusOr<std::string> FillLookupQuery(const TextTemplate& query,
                                            const ferry::v1::Entity& source,
                                            const QueryDialect* dialect);

}  // namespace ferry::mapping
