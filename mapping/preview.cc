#include "mapping/preview.h"

#include "absl/strings/str_cat.h"
#include "mapping/field_value.h"

namespace ferry::mapping {
namespace {

std::string Shown(const ferry::v1::FieldValue& value) {
  return IsEmpty(value) ? "(empty)" : absl::StrCat("\"", ToText(value), "\"");
}

}  // namespace

Preview PreviewChange(const Mapper& mapper, const ferry::v1::ChangeEvent& change,
                      const TargetSnapshot& target, ferry::v1::ConflictPolicy policy,
                      bool stop_when_unmatched) {
  const ferry::v1::Entity& entity = change.entity();
  Preview preview;
  preview.creating = target.entity == nullptr;
  preview.criteria =
      DecideCriteria(mapper.MatchesCriteria(entity), target.linked, stop_when_unmatched);
  absl::StatusOr<std::string> query = mapper.LookupQuery(entity);
  if (query.ok()) {
    preview.target_lookup_query = *std::move(query);
  } else {
    preview.target_lookup_error = std::string(query.status().message());
  }
  for (const FieldPlan& plan : mapper.fields()) {
    const auto source = entity.fields().find(plan.from_field);
    if (source == entity.fields().end()) continue;
    FieldPreview field;
    field.source_field = plan.from_field;
    field.target_field = plan.to_field;
    field.source_value = source->second;
    absl::StatusOr<std::optional<ferry::v1::FieldWrite>> write = mapper.MapField(plan, entity);
    if (!write.ok()) {
      field.error = std::string(write.status().message());
      preview.fields.push_back(std::move(field));
      continue;
    }
    const ferry::v1::FieldWrite& mapped = **write;
    field.value = mapped.value();
    FieldSyncState state;
    state.creating = preview.creating;
    state.source_changed_at = SourceChangedAt(change, plan.from_field);
    // The target's values count only where the writer reads them: under
    // SOURCE_WINS and NEWEST_WINS it decides an update from the link.
    if (target.entity != nullptr && ReadsTargetBeforeUpdate(policy)) {
      const auto current = target.entity->fields().find(plan.to_field);
      if (current != target.entity->fields().end()) state.target_value = &current->second;
      state.target_changed_at = ToTime(target.entity->updated_at());
    }
    const auto synced = target.last_synced.find(plan.to_field);
    if (synced != target.last_synced.end()) state.last_synced = synced->second;
    field.outcome = DecideFieldWrite(mapped, state, policy);
    preview.fields.push_back(std::move(field));
  }
  for (ferry::v1::CommentWrite& comment : mapper.MapComments(entity)) {
    const bool post = !target.posted_comment_ids.contains(comment.source_comment_id());
    preview.comments.push_back({std::move(comment), post});
  }
  return preview;
}

std::string PreviewToText(const Preview& preview) {
  std::string out = absl::StrCat("criteria: ", Explain(preview.criteria), "\n");
  absl::StrAppend(&out, preview.creating ? "target: would be created\n" : "target: exists\n");
  if (!preview.target_lookup_error.empty()) {
    absl::StrAppend(&out, "target lookup: ", preview.target_lookup_error, "\n");
  } else if (!preview.target_lookup_query.empty()) {
    absl::StrAppend(&out, "target lookup: ", preview.target_lookup_query, "\n");
  }
  for (const FieldPreview& field : preview.fields) {
    absl::StrAppend(&out, field.source_field, " → ", field.target_field, ": ",
                    Shown(field.source_value));
    if (field.value.has_value()) {
      absl::StrAppend(&out, " → ", Shown(*field.value), ": ", Explain(*field.outcome), "\n");
    } else {
      absl::StrAppend(&out, ": error: ", field.error, "\n");
    }
  }
  for (const CommentPreview& comment : preview.comments) {
    absl::StrAppend(&out, "comment ", comment.comment.source_comment_id(), " as ",
                    comment.comment.kind(), ": ",
                    comment.post ? "posted" : "skipped: posted before", "\n");
  }
  return out;
}

}  // namespace ferry::mapping
