#pragma once

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mapping/system_schema.h"
#include "proto/config.pb.h"
#include "proto/entity.pb.h"
#include "proto/stages.pb.h"

namespace ferry::mapping {

// OK when `field` of `schema` can receive a target's id or URL after
// create (a writable text field); else InvalidArgument saying why.
absl::Status CheckWritebackField(const SystemSchema& schema, absl::string_view field);

// OIM's "remote entity fields": after the writer creates `created` in the
// target for `source`, the intent that writes where it lives back into the
// source, per `writeback`:
//   - `id_field` receives the target's id, `url_field` its URL (both as
//     text, sync_when UPDATE: the source exists);
//   - `as_comment` adds a comment "Synced to <key>: <url>" whose source
//     comment id is "ferry-remote-entity/<target system>/<target id>", so a
//     repeated write-back posts it once.
// The intent's `change.entity` is `source` itself (the entity to update)
// and its target_* name the source's system, project and type. nullopt
// when `writeback` asks for nothing. Fails with InvalidArgument when a
// named field fails CheckWritebackField. Pure.
absl::StatusOr<std::optional<ferry::v1::WriteIntent>> BuildRemoteEntityWriteback(
    const ferry::v1::RemoteEntityWriteback& writeback, const SystemSchema& source_schema,
    const ferry::v1::Entity& source, const ferry::v1::Entity& created);

}  // namespace ferry::mapping
