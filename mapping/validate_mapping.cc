#include "mapping/validate_mapping.h"

#include <map>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mapping/field_value.h"
#include "mapping/mapper.h"
#include "mapping/remote_entity.h"
#include "mapping/text_template.h"
#include "mapping/value_map.h"

namespace ferry::mapping {
namespace {

using ferry::v1::ConfigProblem;
using ferry::v1::FieldMapping;
using ferry::v1::ValueMap;

std::string Quoted(const std::vector<std::string>& values) {
  return absl::StrJoin(values, ", ", [](std::string* out, const std::string& v) {
    absl::StrAppend(out, "\"", v, "\"");
  });
}

// One field mapping seen from one flow.
struct FlowView {
  Flow flow;
  const SystemSchema* from;
  const SystemSchema* to;
  std::string from_field;
  std::string to_field;
  // The config keys holding the from and to field names.
  absl::string_view from_key;
  absl::string_view to_key;
  // The value map in this flow's direction and the config keys for its
  // entries and default.
  ValueMap map;
  // The map as configured (source → target), whatever the flow.
  const ValueMap* configured_map;
  absl::string_view entries_key;
  absl::string_view default_key;
  StatusGraph from_graph;
  StatusGraph to_graph;
};

class MappingChecker {
 public:
  MappingChecker(const ferry::v1::MappingConfig& mapping, const MappingContext& context,
                 absl::string_view path)
      : mapping_(mapping), context_(context), path_(path) {}

  std::vector<ConfigProblem> Run() {
    for (int i = 0; i < mapping_.fields_size(); ++i) CheckField(i);
    CheckComments();
    CheckRemoteEntity();
    return std::move(problems_);
  }

 private:
  void Add(std::string field_path, std::string message, std::string fix) {
    problems_.push_back(Problem(std::move(field_path), std::move(message), std::move(fix)));
  }

  std::vector<Flow> FlowsOf(const FieldMapping& field) const {
    std::vector<Flow> flows;
    if (AppliesTo(field.direction(), Flow::kForward)) flows.push_back(Flow::kForward);
    if (context_.direction == ferry::v1::DIRECTION_BOTH &&
        AppliesTo(field.direction(), Flow::kReverse)) {
      flows.push_back(Flow::kReverse);
    }
    return flows;
  }

  FlowView ViewOf(const FieldMapping& field, Flow flow) const {
    const bool forward = flow == Flow::kForward;
    FlowView v{flow,
               forward ? context_.source_schema : context_.target_schema,
               forward ? context_.target_schema : context_.source_schema,
               forward ? field.source() : field.target(),
               forward ? field.target() : field.source(),
               forward ? "source" : "target",
               forward ? "target" : "source",
               forward ? field.value_map() : ReverseOf(field.value_map()),
               &field.value_map(),
               forward ? "values" : "reverse_values",
               forward ? "default_value" : "reverse_default_value",
               {},
               {}};
    const StatusGraph* from_workflow =
        forward ? context_.source_workflow : context_.target_workflow;
    const StatusGraph* to_workflow = forward ? context_.target_workflow : context_.source_workflow;
    if (v.from_field == v.from->status_field) {
      v.from_graph = from_workflow != nullptr ? *from_workflow : StatusGraph::FromSchema(*v.from);
    }
    if (v.to_field == v.to->status_field) {
      v.to_graph = to_workflow != nullptr ? *to_workflow : StatusGraph::FromSchema(*v.to);
    }
    return v;
  }

  void CheckField(int index) {
    const FieldMapping& field = mapping_.fields(index);
    const std::string at = absl::StrCat(path_, ".fields[", index, "]");
    const std::vector<Flow> flows = FlowsOf(field);
    if (flows.empty()) {
      Add(at + ".direction",
          absl::StrCat("field \"", field.source(), "\" ↔ \"", field.target(),
                       "\" flows REVERSE only, but the integration syncs FORWARD only, so it "
                       "never syncs"),
          "set the integration's direction to BOTH, or remove this field mapping");
    }
    bool fields_known = true;
    for (Flow flow : flows) {
      const FlowView view = ViewOf(field, flow);
      const FieldSpec* from_spec = view.from->FindField(view.from_field);
      const FieldSpec* to_spec = view.to->FindField(view.to_field);
      if (from_spec == nullptr || to_spec == nullptr) {
        fields_known = false;
        continue;
      }
      CheckWrite(at, field, view, *to_spec);
      CheckTypes(at, field, view, *from_spec, *to_spec);
      CheckValues(at, view, *from_spec, *to_spec);
      CheckStatusChanges(at, view);
      CheckDuplicateTarget(at, view);
    }
    CheckNames(at, field);
    if (fields_known && flows.size() == 2) CheckRoundTrip(at, field);
  }

  void CheckNames(const std::string& at, const FieldMapping& field) {
    struct Side {
      absl::string_view key;
      const SystemSchema* schema;
      const std::string& name;
    };
    for (const Side& side : {Side{"source", context_.source_schema, field.source()},
                             Side{"target", context_.target_schema, field.target()}}) {
      if (side.schema->FindField(side.name) != nullptr) continue;
      Add(absl::StrCat(at, ".", side.key),
          side.name.empty()
              ? absl::StrCat(side.key, " field is missing")
              : absl::StrCat("\"", side.name, "\" is not a ", side.schema->kind, " field"),
          absl::StrCat("use one of: ", side.schema->FieldNames()));
    }
  }

  void CheckWrite(const std::string& at, const FieldMapping& field, const FlowView& view,
                  const FieldSpec& to_spec) {
    const std::string written_by = view.flow == Flow::kForward ? "FORWARD" : "REVERSE";
    if (to_spec.writability == Writability::kReadOnly) {
      Add(absl::StrCat(at, ".", view.to_key),
          absl::StrCat(view.to->kind, " field \"", view.to_field, "\" is read-only (",
                       to_spec.note, "), but this mapping writes it (", written_by, ")"),
          view.flow == Flow::kForward
              ? "remove this field mapping, or set direction: REVERSE so the field is only read"
              : "set direction: FORWARD so the field is only read");
    } else if (to_spec.writability == Writability::kCreateOnly &&
               field.sync_when() != ferry::v1::SYNC_WHEN_CREATE) {
      Add(at + ".sync_when",
          absl::StrCat(view.to->kind, " field \"", view.to_field,
                       "\" can only be written when the entity is created (", to_spec.note,
                       "), but sync_when is ", ferry::v1::SyncWhen_Name(field.sync_when())),
          "set sync_when: CREATE");
    }
  }

  void CheckTypes(const std::string& at, const FieldMapping& field, const FlowView& view,
                  const FieldSpec& from_spec, const FieldSpec& to_spec) {
    const FieldType produced = IsIdentity(view.map) ? from_spec.type : FieldType::kLookup;
    if (!CanConvert(produced, to_spec.type)) {
      Add(at, absl::StrCat(FieldTypeName(produced), " field \"", view.from_field,
                           "\" cannot be written to ", FieldTypeName(to_spec.type), " field \"",
                           view.to_field, "\""),
          "map it to a field of a compatible type (any type converts to text)");
    }
    if (view.flow != Flow::kForward) return;
    const ferry::v1::Transform& t = field.transform();
    if (!HasTransform(t)) return;
    if (to_spec.type != FieldType::kText && to_spec.type != FieldType::kAny) {
      Add(at + ".transform",
          absl::StrCat("transforms apply to text, and \"", view.to_field, "\" is a ",
                       FieldTypeName(to_spec.type), " field"),
          "remove the transform, or map to a text field");
    }
    const TextTemplate text_template(t.template_());
    for (const std::string& name : text_template.placeholders()) {
      if (context_.source_schema->FindField(name) == nullptr) {
        Add(at + ".transform.template",
            absl::StrCat("placeholder @", name, "@ is not a ", context_.source_schema->kind,
                         " field"),
            absl::StrCat("use one of: ", context_.source_schema->FieldNames(),
                         " (write @@ for a literal '@')"));
      }
    }
  }

  // Values the from side can hold, or empty when they are site
  // configuration.
  static std::vector<std::string> FromValues(const FlowView& view, const FieldSpec& from_spec) {
    if (!view.from_graph.empty()) {
      return {view.from_graph.statuses().begin(), view.from_graph.statuses().end()};
    }
    return from_spec.values;
  }

  static std::set<std::string> ToValues(const FlowView& view, const FieldSpec& to_spec) {
    if (!view.to_graph.empty()) return view.to_graph.statuses();
    return {to_spec.values.begin(), to_spec.values.end()};
  }

  void CheckValues(const std::string& at, const FlowView& view, const FieldSpec& from_spec,
                   const FieldSpec& to_spec) {
    if (from_spec.type != FieldType::kLookup && to_spec.type != FieldType::kLookup) return;
    const std::set<std::string> to_values = ToValues(view, to_spec);
    const std::string map_path = absl::StrCat(at, ".value_map");
    auto check_target = [&](const std::string& from_value, const std::string& to_value) {
      if (to_values.empty() || to_values.count(to_value) > 0) return;
      Add(map_path,
          absl::StrCat(view.from->kind, " ", view.from_field, " \"", from_value, "\" maps to \"",
                       to_value, "\", which is not a ", view.to->kind, " ", view.to_field,
                       " value"),
          absl::StrCat("map it to one of: ", Quoted({to_values.begin(), to_values.end()})));
    };
    std::vector<std::string> from_values = FromValues(view, from_spec);
    if (from_values.empty() && !to_values.empty() && IsIdentity(view.map)) {
      Add(map_path,
          absl::StrCat(view.from->kind, " ", view.from_field, " values are site configuration, and ",
                       view.to->kind, " ", view.to_field, " only takes ",
                       Quoted({to_values.begin(), to_values.end()}),
                       ", but there is no value map between them"),
          absl::StrCat("add value_map.", view.entries_key, " entries for the ", view.from->kind,
                       " values, and a value_map.", view.default_key));
      return;
    }
    if (from_values.empty()) {
      // Unknown source values: check where the listed entries lead.
      std::map<std::string, std::string> entries(view.map.values().begin(),
                                                 view.map.values().end());
      for (const auto& [from_value, to_value] : entries) check_target(from_value, to_value);
      if (!view.map.default_value().empty()) check_target("(default)", view.map.default_value());
    }
    for (const std::string& from_value : from_values) {
      absl::StatusOr<std::string> to_value = MapForward(view.map, from_value, view.from_field);
      if (!to_value.ok()) {
        const std::vector<std::string> sources =
            view.flow == Flow::kReverse ? SourcesOf(*view.configured_map, from_value)
                                        : std::vector<std::string>();
        Add(absl::StrCat(map_path, ".", view.entries_key),
            absl::StrCat(view.from->kind, " ", view.from_field, " value \"", from_value,
                         "\" has no mapping to ", view.to->kind, " ", view.to_field,
                         sources.size() > 1 ? absl::StrCat(" (", Quoted(sources),
                                                           " all map to it the other way)")
                                            : "",
                         " and there is no ", view.default_key),
            absl::StrCat("add \"", from_value, "\" under value_map.", view.entries_key,
                         ", or set value_map.", view.default_key));
        continue;
      }
      check_target(from_value, *to_value);
    }
    if (view.flow == Flow::kReverse && from_values.empty() && view.map.default_value().empty()) {
      for (const std::string& target : AmbiguousReverseValues(*view.configured_map)) {
        Add(absl::StrCat(map_path, ".reverse_values"),
            absl::StrCat(view.from->kind, " ", view.from_field, " value \"", target,
                         "\" is mapped from several values (",
                         Quoted(SourcesOf(*view.configured_map, target)),
                         "), so the reverse direction cannot choose one"),
            absl::StrCat("add \"", target, "\" under value_map.reverse_values, or set "
                         "value_map.reverse_default_value"));
      }
    }
  }

  void CheckStatusChanges(const std::string& at, const FlowView& view) {
    if (view.to_graph.empty()) return;
    std::vector<std::string> from_values;
    if (!view.from_graph.empty()) {
      from_values.assign(view.from_graph.statuses().begin(), view.from_graph.statuses().end());
    } else {
      std::set<std::string> keys;
      for (const auto& [from_value, unused] : view.map.values()) keys.insert(from_value);
      from_values.assign(keys.begin(), keys.end());
    }
    std::map<std::string, std::string> mapped;
    for (const std::string& value : from_values) {
      absl::StatusOr<std::string> to_value = MapForward(view.map, value, view.from_field);
      if (to_value.ok() && view.to_graph.Knows(*to_value)) mapped[value] = *to_value;
    }
    // Without the source's status list, every status the map does not name
    // takes the default: check moves to and from it too.
    if (view.from_graph.empty() && !view.map.default_value().empty() &&
        view.to_graph.Knows(view.map.default_value())) {
      mapped["(a status the map does not name)"] = view.map.default_value();
    }
    const std::string& initial = view.to_graph.initial();
    std::set<std::string> unreachable_from_initial;
    std::set<std::pair<std::string, std::string>> refused;
    for (const auto& [a, ta] : mapped) {
      if (!initial.empty() && !view.to_graph.CanMove(initial, ta) &&
          unreachable_from_initial.insert(ta).second) {
        Add(at + ".value_map",
            absl::StrCat(view.to->kind, " ", view.to_field, " \"", ta, "\" (mapped from \"", a,
                         "\") cannot be reached from the workflow's initial status \"", initial,
                         "\", so a new entity never gets it"),
            absl::StrCat("map \"", a, "\" to a status the workflow reaches from \"", initial,
                         "\", or add a transition to \"", ta, "\""));
      }
      for (const auto& [b, tb] : mapped) {
        if (a == b || ta == tb) continue;
        // Source changes are taken one transition at a time; the writer may
        // chain transitions on the target side.
        if (!view.from_graph.empty() && !view.from_graph.CanStep(a, b)) continue;
        if (view.to_graph.CanMove(ta, tb) || !refused.insert({ta, tb}).second) continue;
        Add(at + ".value_map",
            absl::StrCat("a ", view.from->kind, " ", view.from_field, " change \"", a, "\" → \"",
                         b, "\" becomes \"", ta, "\" → \"", tb, "\", which ",
                         view.to_graph.is_workflow()
                             ? std::string("the target's workflow has no path for")
                             : absl::StrCat(view.to->kind, " refuses")),
            absl::StrCat("map \"", b, "\" to a status ", view.to->kind, " can move to from \"", ta,
                         "\", or map \"", a, "\" and \"", b, "\" to the same value"));
      }
    }
  }

  void CheckDuplicateTarget(const std::string& at, const FlowView& view) {
    auto [it, inserted] = written_.emplace(std::make_pair(view.flow, view.to_field), at);
    if (inserted) return;
    Add(absl::StrCat(at, ".", view.to_key),
        absl::StrCat(view.to->kind, " field \"", view.to_field, "\" is already written by ",
                     it->second, "; two mappings would overwrite each other"),
        "keep one mapping per target field (use a transform template to combine fields)");
  }

  void CheckRoundTrip(const std::string& at, const FieldMapping& field) {
    const ferry::v1::Transform& t = field.transform();
    if (!t.prefix().empty() || !t.suffix().empty() || !t.template_().empty()) {
      Add(at + ".transform",
          absl::StrCat("field \"", field.source(), "\" ↔ \"", field.target(),
                       "\" syncs both ways, but its transform applies forward only, so each round "
                       "trip changes the value again"),
          "set direction: FORWARD for this field, or remove the transform");
    }
    const ValueMap& forward = field.value_map();
    if (IsIdentity(forward)) return;
    const ValueMap reverse = ReverseOf(forward);
    std::map<std::string, std::string> entries(forward.values().begin(), forward.values().end());
    std::set<std::string> reported;
    for (const auto& [source, target] : entries) {
      absl::StatusOr<std::string> back = MapForward(reverse, target, field.target());
      if (!back.ok() || !reported.insert(target).second) continue;
      absl::StatusOr<std::string> again = MapForward(forward, *back, field.source());
      if (again.ok() && *again == target) continue;
      Add(at + ".value_map.reverse_values",
          absl::StrCat("the two directions disagree: \"", source, "\" → \"", target,
                       "\" forward, but \"", target, "\" → \"", *back, "\" back, which maps to \"",
                       again.ok() ? *again : std::string("nothing"), "\" forward again"),
          absl::StrCat("map \"", target, "\" back to one of ", Quoted(SourcesOf(forward, target)),
                       " in value_map.reverse_values"));
    }
  }

  static std::string KindsOf(const SystemSchema& source, const SystemSchema& target) {
    std::vector<std::string> kinds = source.comment_kinds;
    for (const std::string& kind : target.comment_kinds) {
      if (!source.HasCommentKind(kind)) kinds.push_back(kind);
    }
    return absl::StrJoin(kinds, ", ");
  }

  void CheckComments() {
    const ferry::v1::CommentMapping& comments = mapping_.comments();
    if (comments.disabled()) return;
    const std::string at = absl::StrCat(path_, ".comments");
    const TextTemplate comment_template(comments.template_());
    for (const std::string& name : comment_template.placeholders()) {
      if (name == "Author" || name == "Time" || name == "Body") continue;
      Add(at + ".template", absl::StrCat("placeholder @", name, "@ is not known in comments"),
          "use @Author@, @Time@ and @Body@ (write @@ for a literal '@')");
    }
    for (int i = 0; i < comments.kinds_size(); ++i) {
      const std::string& kind = comments.kinds(i);
      if (context_.source_schema->HasCommentKind(kind) ||
          context_.target_schema->HasCommentKind(kind)) {
        continue;
      }
      Add(absl::StrCat(at, ".kinds[", i, "]"),
          absl::StrCat("\"", kind, "\" is a comment kind of neither ", context_.source_schema->kind,
                       " nor ", context_.target_schema->kind),
          absl::StrCat("use one of: ", KindsOf(*context_.source_schema, *context_.target_schema)));
    }
    if (comments.direction() == ferry::v1::DIRECTION_REVERSE &&
        context_.direction != ferry::v1::DIRECTION_BOTH) {
      Add(at + ".direction",
          "comments flow REVERSE only, but the integration syncs FORWARD only, so none sync",
          "set the integration's direction to BOTH, or set comments.direction: FORWARD");
    }
  }

  void CheckRemoteEntity() {
    const ferry::v1::RemoteEntityWriteback& writeback = mapping_.remote_entity();
    const std::pair<absl::string_view, const std::string*> settings[] = {
        {"id_field", &writeback.id_field()}, {"url_field", &writeback.url_field()}};
    for (const auto& [key, name] : settings) {
      if (name->empty()) continue;
      const absl::Status status = CheckWritebackField(*context_.source_schema, *name);
      if (status.ok()) continue;
      Add(absl::StrCat(path_, ".remote_entity.", key), std::string(status.message()),
          absl::StrCat("choose a writable text field (", context_.source_schema->kind,
                       " fields: ", context_.source_schema->FieldNames(),
                       "), or set as_comment: true"));
    }
  }

  const ferry::v1::MappingConfig& mapping_;
  const MappingContext& context_;
  const std::string path_;
  std::vector<ConfigProblem> problems_;
  // (flow, target field) → the field path that writes it first.
  std::map<std::pair<Flow, std::string>, std::string> written_;
};

}  // namespace

ConfigProblem Problem(std::string field_path, std::string message, std::string fix) {
  ConfigProblem problem;
  problem.set_field_path(std::move(field_path));
  problem.set_message(std::move(message));
  problem.set_fix(std::move(fix));
  return problem;
}

std::vector<ConfigProblem> ValidateMapping(const ferry::v1::MappingConfig& mapping,
                                           const MappingContext& context, absl::string_view path) {
  return MappingChecker(mapping, context, path).Run();
}

}  // namespace ferry::mapping
