// Incident notes (GET unpaginated, POST, PUT, DELETE) and status updates
// (POST only): PagerDuty REST API reference, "List notes for an incident",
// "Create a note on an incident" and "Create a status update on an incident".
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/handlers.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/query.h"
#include "tools/pagerduty_sim/state_lookup.h"
#include "tools/pagerduty_sim/webhook_events.h"

namespace ferry::pagerduty_sim {
namespace {

constexpr size_t kMaxNotesPerIncident = 2000;

// The "content" of {"note": {"content": "..."}}, or 400 naming the field.
absl::StatusOr<std::string> NoteContent(const httplib::Request& req) {
  auto body = JsonBody(req);
  if (!body.ok()) return body.status();
  const nlohmann::json note = body->value("note", nlohmann::json());
  if (!note.is_object() || !note.contains("content") || !note["content"].is_string() ||
      note["content"].get<std::string>().empty()) {
    return InvalidInput("note.content is required: send {\"note\": {\"content\": \"...\"}}");
  }
  return note["content"].get<std::string>();
}

absl::StatusOr<Incident*> WritableIncident(Call& call) {
  auto incident = VisibleIncident(call, call.req.matches[1]);
  if (!incident.ok()) return incident;
  if (auto ok = RequireWrite(call.state, call.who, (*incident)->service_id); !ok.ok()) {
    return ok;
  }
  return incident;
}

absl::StatusOr<Note*> FindNote(Incident& incident, const std::string& note_id) {
  auto it = std::find_if(incident.notes.begin(), incident.notes.end(),
                         [&](const Note& n) { return n.id == note_id; });
  if (it == incident.notes.end()) {
    return NotFound(absl::StrCat("Note \"", note_id, "\" not found on incident ",
                                 incident.id));
  }
  return &*it;
}

absl::Status ListNotes(Call& call) {
  auto incident = VisibleIncident(call, call.req.matches[1]);
  if (!incident.ok()) return incident.status();
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  nlohmann::json notes = nlohmann::json::array();
  for (const Note& note : (*incident)->notes) notes.push_back(NoteJson(*ctx, note));
  WritePdJson(call.res, 200, nlohmann::json{{"notes", notes}}.dump());
  return absl::OkStatus();
}

absl::Status CreateNote(Call& call) {
  auto incident = WritableIncident(call);
  if (!incident.ok()) return incident.status();
  auto content = NoteContent(call.req);
  if (!content.ok()) return content.status();
  Incident& target = **incident;
  if (target.notes.size() >= kMaxNotesPerIncident) {
    return InvalidInput(absl::StrCat("A maximum of ", kMaxNotesPerIncident,
                                     " notes can be added to an incident"));
  }
  Note note{NewId(call.state), call.actor.user_id, *content, call.actor.now,
            call.actor.now};
  target.notes.push_back(note);
  // Notes are mirrored as annotate log entries without the note id.
  LogAction(call.state, target, "annotate_log_entry",
            {"user_reference", call.actor.user_id},
            {{"type", "note"}, {"summary", note.content}},
            absl::StrCat("Note added by ", UserName(call.state, call.actor.user_id)),
            call.actor.now);
  const RenderContext ctx = PlainRender(call.state);
  EmitEvent(call.state, "incident.annotated", target, {"user_reference", call.actor.user_id},
            call.actor.now,
            {{"incident", IncidentRefJson(ctx, target)},
             {"id", note.id},
             {"content", note.content},
             {"trimmed", false},
             {"type", "incident_note"}});
  WritePdJson(call.res, 200, nlohmann::json{{"note", NoteJson(ctx, note)}}.dump());
  return absl::OkStatus();
}

absl::Status UpdateNote(Call& call) {
  auto incident = WritableIncident(call);
  if (!incident.ok()) return incident.status();
  auto note = FindNote(**incident, call.req.matches[2]);
  if (!note.ok()) return note.status();
  auto content = NoteContent(call.req);
  if (!content.ok()) return content.status();
  (*note)->content = *content;
  (*note)->updated_at = call.actor.now;
  const RenderContext ctx = PlainRender(call.state);
  WritePdJson(call.res, 200, nlohmann::json{{"note", NoteJson(ctx, **note)}}.dump());
  return absl::OkStatus();
}

absl::Status DeleteNote(Call& call) {
  auto incident = WritableIncident(call);
  if (!incident.ok()) return incident.status();
  auto note = FindNote(**incident, call.req.matches[2]);
  if (!note.ok()) return note.status();
  auto& notes = (*incident)->notes;
  notes.erase(notes.begin() + (*note - notes.data()));
  call.res.status = 204;
  return absl::OkStatus();
}

absl::Status CreateStatusUpdate(Call& call) {
  auto incident = WritableIncident(call);
  if (!incident.ok()) return incident.status();
  if (auto ok = RequireAbility(call.state, "status_updates"); !ok.ok()) return ok;
  auto body = JsonBody(call.req);
  if (!body.ok()) return body.status();
  auto string_field = [&](const char* key) {
    auto it = body->find(key);
    return it != body->end() && it->is_string() ? it->get<std::string>() : "";
  };
  StatusUpdate update{NewId(call.state), (*incident)->id, call.actor.user_id,
                      string_field("message"), string_field("subject"),
                      string_field("html_message"), call.actor.now};
  if (update.message.empty()) {
    return InvalidInput("message is required: send {\"message\": \"...\"}");
  }
  call.state.status_updates.push_back(update);
  LogAction(call.state, **incident, "status_update_log_entry",
            {"user_reference", call.actor.user_id}, {{"type", "website"}},
            absl::StrCat("Status update posted by ",
                         UserName(call.state, call.actor.user_id)),
            call.actor.now)
      .message = update.message;
  const RenderContext ctx = PlainRender(call.state);
  EmitEvent(call.state, "incident.status_update_published", **incident,
            {"user_reference", call.actor.user_id}, call.actor.now,
            {{"incident", IncidentRefJson(ctx, **incident)},
             {"id", update.id},
             {"message", update.message},
             {"trimmed", false},
             {"type", "incident_status_update"}});
  WritePdJson(call.res, 200,
              nlohmann::json{{"status_update", StatusUpdateJson(ctx, update)}}.dump());
  return absl::OkStatus();
}

}  // namespace

void RegisterNoteRoutes(Router& router) {
  router.Add("GET", R"(/incidents/([^/]+)/notes)", RouteKind::kRead, ListNotes);
  router.Add("POST", R"(/incidents/([^/]+)/notes)", RouteKind::kWrite, CreateNote);
  router.Add("PUT", R"(/incidents/([^/]+)/notes/([^/]+))", RouteKind::kWrite, UpdateNote);
  router.Add("DELETE", R"(/incidents/([^/]+)/notes/([^/]+))", RouteKind::kWrite,
             DeleteNote);
  router.Add("POST", R"(/incidents/([^/]+)/status_updates)", RouteKind::kWrite,
             CreateStatusUpdate);
}

}  // namespace ferry::pagerduty_sim
