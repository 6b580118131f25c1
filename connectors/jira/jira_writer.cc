#include "connectors/jira/jira_writer.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "connectors/jira/jira_fields.h"
#include "connectors/jira/jira_markdown.h"
#include "connectors/jira/transition_screen.h"
#include "connectors/jira/jira_wiki.h"
#include "http/json_fields.h"
#include "openssl/sha.h"
#include "spdlog/spdlog.h"

namespace ferry::jira {
namespace {

using ferry::engine::CreateRequest;
using ferry::engine::EntityRef;
using json = nlohmann::json;

constexpr int kCommentPage = 100;

json HistoryMetadata() {
  return {{"type", kHistoryMetadataType},
          {"activityDescription", "Ferry sync"}};
}

std::string IssuePath(const std::string& id) {
  return absl::StrCat("/issue/", JiraApi::EscapePath(id));
}

// The comment body to post, in the deployment's form (Cloud ADF, Data
// Center wiki). Plain text stays literal and Markdown is converted (both so
// that reading the comment back gives the same string, jira_markdown.h);
// wiki markup and ADF are converted when the deployment speaks the other.
json CommentBody(const ferry::v1::CommentWrite& comment, bool cloud) {
  json document;
  switch (comment.format()) {
    case ferry::v1::TEXT_FORMAT_ADF:
      document = json::parse(comment.body(), nullptr, false);
      // Not an ADF document: posted as the text it is.
      if (!http::MemberOrNull(document, "content").is_array()) {
        document = TextToAdf(comment.body());
      }
      if (!cloud) return AdfToWiki(document);
      return document;
    case ferry::v1::TEXT_FORMAT_JIRA_WIKI:
      if (!cloud) return comment.body();
      return WikiToAdf(comment.body());
    case ferry::v1::TEXT_FORMAT_MARKDOWN:
      document = MarkdownToAdf(comment.body());
      break;
    default:
      document = TextToAdf(comment.body());
  }
  if (!cloud) return MarkdownWikiExact(document);
  return document;
}

// The number of a key of `project` ("OPS-12" -> 12); 0 for a key of
// another project (an issue moved away keeps answering to its old key).
int64_t KeyNumber(const std::string& key, const std::string& project) {
  int64_t number = 0;
  absl::string_view rest = key;
  if (!absl::ConsumePrefix(&rest, project + "-") || !absl::SimpleAtoi(rest, &number)) {
    return 0;
  }
  return number;
}

bool OriginPropertySays(const json& property, const std::string& origin) {
  return http::StringOr(http::MemberOrNull(property, "value"), "origin") == origin;
}

// Whether `comment`, as listed with expand=properties, is the one posted
// with `origin`: its comment property says so or, for comments posted
// before the property, its text has the legacy origin line. A Jira that
// ignores the expand (no `properties` member at all) is asked for the
// property itself.
absl::StatusOr<bool> CommentHasOrigin(JiraApi& api, const json& comment,
                                      const std::string& origin) {
  const std::string line = LegacyCommentOriginLine(origin);
  const std::string text = CommentMarkdown(http::MemberOrNull(comment, "body"));
  for (absl::string_view candidate : absl::StrSplit(text, '\n')) {
    if (candidate == line) return true;
  }
  const json& properties = http::MemberOrNull(comment, "properties");
  if (properties.is_array()) {
    for (const json& property : properties) {
      if (http::StringOr(property, "key") == kCommentOriginProperty &&
          OriginPropertySays(property, origin)) {
        return true;
      }
    }
    return false;
  }
  const std::string id = http::StringOr(comment, "id");
  if (id.empty()) return false;
  auto property = api.Get(absl::StrCat("/comment/", JiraApi::EscapePath(id), "/properties/",
                                       kCommentOriginProperty));
  if (absl::IsNotFound(property.status())) return false;
  if (!property.ok()) return property.status();
  return OriginPropertySays(*property, origin);
}

}  // namespace

std::string RemoteLinkGlobalId(absl::string_view url) {
  if (url.size() <= kMaxGlobalIdLength) return std::string(url);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(url.data()), url.size(), digest);
  const std::string hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
  return absl::StrCat(url.substr(0, kMaxGlobalIdLength - 1 - hex.size()), "#", hex);
}

std::string LegacyCommentOriginLine(const std::string& origin) {
  return absl::StrCat("ferry-origin: ", origin);
}

JiraWriter::JiraWriter(JiraApi* api, std::string system,
                       std::map<std::string, std::string> transition_fields)
    : api_(api),
      system_(std::move(system)),
      transition_fields_(std::move(transition_fields)) {}

absl::StatusOr<bool> JiraWriter::IsCloud() {
  auto deployment = api_->GetDeployment();
  if (!deployment.ok()) return deployment.status();
  return *deployment == Deployment::kCloud;
}

EntityRef JiraWriter::RefOf(const json& issue) const {
  const std::string key = http::StringOr(issue, "key");
  return EntityRef{http::StringOr(issue, "id"), key, api_->BrowseUrl(key)};
}

absl::StatusOr<std::vector<EntityRef>> JiraWriter::Find(
    const SearchRequest& request) {
  auto found = api_->Search(request);
  if (!found.ok()) return found.status();
  std::vector<EntityRef> refs;
  for (const json& issue : found->issues) refs.push_back(RefOf(issue));
  return refs;
}

absl::StatusOr<std::vector<EntityRef>> JiraWriter::Lookup(
    const std::string& project, const std::string& query) {
  SearchRequest request;
  request.jql = absl::StrCat("project = ", JiraApi::QuoteJql(project), " AND (",
                             query, ") ORDER BY key ASC");
  request.fields = {"id", "key"};
  request.max_issues = 100;
  return Find(request);
}

absl::StatusOr<std::optional<EntityRef>> JiraWriter::FindByOrigin(
    const std::string& project, const std::string& origin) {
  SearchRequest request;
  request.jql = absl::StrCat("project = ", JiraApi::QuoteJql(project),
                             " AND created >= \"-", kOriginLookbackDays,
                             "d\" ORDER BY created DESC");
  request.fields = {"id", "key"};
  request.properties = {kOriginProperty};
  request.page_size = 100;
  request.max_issues = 100000;
  auto found = api_->Search(request);
  if (!found.ok()) return found.status();
  int64_t newest_indexed = 0;
  for (const json& issue : found->issues) {
    if (std::optional<EntityRef> ref = IfFromOrigin(issue, origin)) return ref;
    newest_indexed =
        std::max(newest_indexed, KeyNumber(http::StringOr(issue, "key"), project));
  }
  if (found->issues.empty()) {
    auto newest = NewestIndexedKeyNumber(project);
    if (!newest.ok()) return newest.status();
    newest_indexed = *newest;
  }
  return FindCreatedAfter(project, newest_indexed, origin);
}

std::optional<EntityRef> JiraWriter::IfFromOrigin(const json& issue,
                                                  const std::string& origin) {
  const json& marker =
      http::MemberOrNull(http::MemberOrNull(issue, "properties"), kOriginProperty);
  if (!marker.is_object() || http::StringOr(marker, "origin") != origin) {
    return std::nullopt;
  }
  EntityRef ref = RefOf(issue);
  // The create may have stopped before its remote link.
  LinkToSource(ref, http::StringOr(marker, "source_url"),
               http::StringOr(marker, "source_title"));
  return ref;
}

absl::StatusOr<int64_t> JiraWriter::NewestIndexedKeyNumber(const std::string& project) {
  SearchRequest request;
  request.jql =
      absl::StrCat("project = ", JiraApi::QuoteJql(project), " ORDER BY created DESC");
  request.fields = {"id", "key"};
  request.page_size = 1;
  request.max_issues = 1;
  auto found = api_->Search(request);
  if (!found.ok()) return found.status();
  if (found->issues.empty()) return 0;
  return KeyNumber(http::StringOr(found->issues[0], "key"), project);
}

absl::StatusOr<std::optional<EntityRef>> JiraWriter::FindCreatedAfter(
    const std::string& project, int64_t newest_indexed, const std::string& origin) {
  int misses = 0;
  for (int64_t number = newest_indexed + 1; misses < kRecoveryProbeMisses; ++number) {
    const std::string path =
        absl::StrCat(IssuePath(absl::StrCat(project, "-", number)),
                     "?fields=id,key&properties=", kOriginProperty);
    auto issue = api_->Get(path);
    if (absl::IsNotFound(issue.status())) {
      ++misses;
      continue;
    }
    if (!issue.ok()) return issue.status();
    misses = 0;
    if (std::optional<EntityRef> ref = IfFromOrigin(*issue, origin)) return ref;
  }
  return std::nullopt;
}

absl::StatusOr<EntityRef> JiraWriter::Create(const CreateRequest& request) {
  auto cloud = IsCloud();
  if (!cloud.ok()) return cloud.status();
  json fields = {{"project", {{"key", request.project}}},
                 {"issuetype", {{"name", request.type}}}};
  std::vector<ferry::v1::FieldWrite> later;
  for (const ferry::v1::FieldWrite& write : request.fields) {
    // Both are set by transitions once the issue exists.
    if (write.target_field() == "status" || write.target_field() == "resolution") {
      later.push_back(write);
      continue;
    }
    auto value = FieldJson(write, *cloud);
    if (!value.ok()) return value.status();
    fields[write.target_field()] = *value;
  }
  json body = {{"fields", fields}};
  if (!request.origin.empty()) {
    json marker = {{"origin", request.origin}};
    if (!request.source_url.empty()) {
      marker["source_url"] = request.source_url;
      marker["source_title"] = request.source_title;
    }
    body["properties"] =
        json::array({{{"key", kOriginProperty}, {"value", std::move(marker)}}});
  }
  auto created = api_->Post("/issue", body);
  if (!created.ok()) return created.status();
  EntityRef ref = RefOf(*created);
  LinkToSource(ref, request.source_url, request.source_title);
  auto created_in = CreatedIn(ref, request.project, request.type);
  if (!created_in.ok()) {
    return absl::Status(created_in.status().code(),
                        absl::StrCat("created ", ref.key, " but could not read its status: ",
                                     created_in.status().message()));
  }
  Remember({ref.id, ref.key, request.project, request.type, *created_in});
  // Created where it should be: nothing to move (a resolution rides only
  // on a transition).
  for (const ferry::v1::FieldWrite& write : later) {
    if (write.target_field() == "status" &&
        SameStatus(write.value().lookup().name(), *created_in)) {
      return ref;
    }
  }
  if (!later.empty()) {
    absl::Status moved = Write(ref.id, later);
    if (absl::IsAborted(moved)) {
      // Someone moved it in the moment since its create: their move is
      // read back as their change and synced from there.
      spdlog::info("jira {}: {}", system_, std::string(moved.message()));
      return ref;
    }
    if (!moved.ok()) {
      return absl::Status(moved.code(),
                          absl::StrCat("created ", ref.key,
                                       " but could not set its status: ",
                                       moved.message()));
    }
  }
  return ref;
}

absl::StatusOr<std::string> JiraWriter::CreatedIn(const EntityRef& issue,
                                                  const std::string& project,
                                                  const std::string& type) {
  const auto key = std::make_pair(project, type);
  if (auto it = created_in_.find(key); it != created_in_.end()) return it->second;
  auto place = ReadPlace(issue.id);
  if (!place.ok()) return place.status();
  created_in_[key] = place->created_in;
  return place->created_in;
}

absl::StatusOr<IssuePlace> JiraWriter::ReadPlace(const std::string& id) {
  const std::string path = IssuePath(id) + kIssuePlaceQuery;
  auto issue = api_->Get(path);
  if (!issue.ok()) return issue.status();
  auto place = IssuePlaceFromIssue(*issue, kHistoryMetadataType, "jira GET " + path);
  if (!place.ok()) return place.status();
  if (place->id.empty()) place->id = id;
  transitions_[{place->project, place->type, place->status}] = place->transitions;
  return place;
}

void JiraWriter::LinkToSource(const EntityRef& issue, const std::string& url,
                              const std::string& title) {
  if (url.empty()) return;
  auto posted = api_->Post(
      IssuePath(issue.id) + "/remotelink",
      {{"globalId", RemoteLinkGlobalId(url)},
       {"application", {{"type", kRemoteLinkApplication}, {"name", "Ferry"}}},
       {"object", {{"url", url}, {"title", title.empty() ? url : title}}}});
  if (!posted.ok()) {
    spdlog::warn("jira {}: could not add the remote link to {} on {}: {}", system_,
                 url, issue.key, std::string(posted.status().message()));
  }
}

absl::Status JiraWriter::Update(
    const EntityRef& entity, const std::vector<ferry::v1::FieldWrite>& fields) {
  return Write(entity.id, fields);
}

absl::Status JiraWriter::Write(
    const std::string& id, const std::vector<ferry::v1::FieldWrite>& fields) {
  auto cloud = IsCloud();
  if (!cloud.ok()) return cloud.status();
  json edit = json::object();
  std::optional<std::string> status;
  const ferry::v1::FieldWrite* resolution = nullptr;
  for (const ferry::v1::FieldWrite& write : fields) {
    if (write.target_field() == "resolution" && write.value().has_lookup()) {
      resolution = &write;  // goes on the transition screen, if one moves
      continue;
    }
    if (write.target_field() == "status") {
      if (!write.value().has_lookup() || write.value().lookup().name().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "jira field 'status' takes a status name (from '",
            write.source_field(), "'); map it to one of the workflow's statuses"));
      }
      status = write.value().lookup().name();
      continue;
    }
    auto value = FieldJson(write, *cloud);
    if (!value.ok()) return value.status();
    edit[write.target_field()] = *value;
  }
  if (resolution != nullptr && !status.has_value()) {
    // No transition to carry it: an edit, which Jira takes where the
    // resolution is on the edit screen and otherwise refuses naming it.
    auto value = FieldJson(*resolution, *cloud);
    if (!value.ok()) return value.status();
    edit["resolution"] = *value;
  }
  if (!edit.empty()) {
    auto done = api_->Put(IssuePath(id),
                          {{"fields", edit}, {"historyMetadata", HistoryMetadata()}});
    if (!done.ok()) return done.status();
  }
  if (!status.has_value()) return absl::OkStatus();
  return MoveToStatus(id, *status,
                      resolution == nullptr ? "" : resolution->value().lookup().name(),
                      *cloud);
}

absl::Status JiraWriter::MoveToStatus(const std::string& id,
                                      const std::string& status,
                                      const std::string& resolution, bool cloud) {
  const ScreenValues values{resolution, &transition_fields_, system_, cloud};
  std::optional<std::string> left_at;
  // Where Ferry last left the issue, when that is not the goal itself (the
  // engine asks for a status Ferry left it in only when the reader saw it
  // move since): moved from there without a read.
  if (auto it = placed_.find(id);
      it != placed_.end() && !SameStatus(it->second.status, status)) {
    IssueInWorkflow moving = it->second;
    left_at = moving.status;
    placed_.erase(it);
    absl::Status moved = MoveAndRemember(moving, status, values);
    if (moved.ok()) return moved;
    if (moving.status != *left_at) {
      return absl::Status(moved.code(), absl::StrCat("jira issue ", moving.key, ": ",
                                                     moved.message()));
    }
    // Refused before its first hop: what Ferry knows may be out of date
    // (a new workflow; the creates of its type learn it again).
    created_in_.erase({moving.project, moving.type});
  }
  // One read: where the issue is, who moved it last, what leaves there.
  auto place = ReadPlace(id);
  if (!place.ok()) return place.status();
  IssueInWorkflow moving{place->id, place->key, place->project, place->type, place->status};
  if (left_at.has_value() && place->moved_by_others && !SameStatus(place->status, *left_at)) {
    // A person moved it since Ferry left it: Ferry's decision did not see
    // that move, so it does not move the issue on from there.
    Remember(moving);
    return absl::AbortedError(absl::StrCat(
        "jira issue ", moving.key, " is in '", moving.status, "', not in '", *left_at,
        "' where Ferry left it: someone moved it since; not moved to '", status,
        "' (their change is read back and decided on its own)"));
  }
  absl::Status moved = MoveAndRemember(moving, status, values);
  if (moved.ok()) return moved;
  return absl::Status(moved.code(), absl::StrCat("jira issue ", moving.key, ": ",
                                                 moved.message()));
}

absl::Status JiraWriter::MoveAndRemember(IssueInWorkflow& issue, const std::string& goal,
                                         const ScreenValues& values) {
  absl::Status moved = CheckStatusExists(issue, goal);
  if (moved.ok()) moved = StepTowards(issue, goal, values);
  if (moved.ok()) Remember(issue);
  return moved;
}

void JiraWriter::Remember(const IssueInWorkflow& issue) {
  if (placed_.size() >= kRememberedIssues) placed_.clear();
  placed_[issue.id] = issue;
}

absl::Status JiraWriter::CheckStatusExists(const IssueInWorkflow& issue,
                                           const std::string& goal) {
  const auto key = std::make_pair(issue.project, issue.type);
  auto listed = [&](const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      if (SameStatus(name, goal)) return true;
    }
    return false;
  };
  if (auto it = statuses_.find(key); it != statuses_.end() && listed(it->second)) {
    return absl::OkStatus();
  }
  // Not known, or known without the goal: read it (again).
  const std::string path =
      absl::StrCat("/project/", JiraApi::EscapePath(issue.project), "/statuses");
  auto types = api_->Get(path);
  if (!types.ok()) return types.status();
  if (!types->is_array()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "jira GET ", path, " did not answer a list of issue types"));
  }
  std::vector<std::string> names;
  for (const json& type : *types) {
    if (http::StringOr(type, "name") != issue.type) continue;
    const json& statuses = http::MemberOrNull(type, "statuses");
    if (!statuses.is_array()) continue;
    for (const json& status : statuses) names.push_back(http::StringOr(status, "name"));
  }
  statuses_[key] = names;
  if (listed(names)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "jira workflow of ", issue.type, " issues in project ", issue.project,
      " has no status '", goal, "' (its statuses: ",
      names.empty() ? "none listed" : absl::StrJoin(names, ", "),
      "). Map the value to one of them, or add the status to the workflow"));
}

absl::Status JiraWriter::StepTowards(IssueInWorkflow& issue, const std::string& goal,
                                     const ScreenValues& values) {
  // Each round plans over the statuses whose transitions are known; a
  // status not known yet is learned from another issue in it or, when none
  // is, by moving this issue there and reading what leaves it. Every round
  // learns at least one status, so the loop ends.
  for (bool relearned = false;;) {
    std::vector<std::string> unknown;
    auto path = PlanTransitions(
        issue.status, goal,
        [&](const std::string& from) -> absl::StatusOr<std::vector<WorkflowTransition>> {
          auto known = KnownTransitions(issue, from);
          if (!known.ok()) return known.status();
          if (known->has_value()) return **known;
          unknown.push_back(from);
          return std::vector<WorkflowTransition>{};
        });
    if (path.ok()) return Perform(issue, *path, values);
    if (path.status().code() != absl::StatusCode::kFailedPrecondition) {
      return path.status();
    }
    if (unknown.empty()) {
      if (relearned) return path.status();
      // What was learned may be out of date (an admin changed the
      // workflow): learn it again once before failing; nothing negative
      // outlives this call.
      Forget(issue);
      relearned = true;
      continue;
    }
    auto to_unknown = PlanTransitions(
        issue.status, unknown.front(),
        [&](const std::string& from) -> absl::StatusOr<std::vector<WorkflowTransition>> {
          auto known = KnownTransitions(issue, from);
          if (!known.ok()) return known.status();
          return known->value_or(std::vector<WorkflowTransition>{});
        });
    if (!to_unknown.ok()) return to_unknown.status();
    absl::Status stepped = Perform(issue, *to_unknown, values);
    if (!stepped.ok()) return stepped;
    // Read what leaves the status from the issue itself, checking it is
    // there (someone may have moved it).
    const std::string read_path =
        IssuePath(issue.id) + "?fields=status&expand=transitions.fields";
    auto read = api_->Get(read_path);
    if (!read.ok()) return read.status();
    const http::JsonReader reader(*read, "jira GET " + read_path);
    const std::string actual = http::StringOr(
        http::MemberOrNull(http::MemberOrNull(*read, "fields"), "status"), "name");
    if (!SameStatus(actual, issue.status)) {
      return absl::AbortedError(absl::StrCat("the issue is in '", actual, "', not '",
                                             issue.status,
                                             "': someone else moved it meanwhile"));
    }
    auto out = ParseTransitions(reader);
    if (!out.ok()) return out.status();
    transitions_[issue.Key(issue.status)] = *std::move(out);
  }
}

absl::Status JiraWriter::Perform(IssueInWorkflow& issue,
                                 const std::vector<WorkflowTransition>& path,
                                 const ScreenValues& values) {
  for (WorkflowTransition step : path) {
    if (step.has_screen && step.fields.empty()) {
      // Learned where the screen was not listed: ask for it now.
      auto listed = ScreenOf(issue, step.id);
      if (!listed.ok()) return listed.status();
      step.fields = *std::move(listed);
      for (WorkflowTransition& known : transitions_[issue.Key(issue.status)]) {
        if (known.id == step.id) known.fields = step.fields;
      }
    }
    auto screen = ScreenFields(step, values);
    if (!screen.ok()) return screen.status();
    json body = {{"transition", {{"id", step.id}}},
                 {"historyMetadata", HistoryMetadata()}};
    if (!screen->empty()) body["fields"] = *std::move(screen);
    auto done = api_->Post(IssuePath(issue.id) + "/transitions", body);
    if (!done.ok()) {
      // The workflow may have changed under what was learned.
      transitions_.erase(issue.Key(issue.status));
      return absl::Status(done.status().code(),
                          absl::StrCat("jira transition '", step.name, "' from '",
                                       issue.status, "' to '", step.to_status,
                                       "': ", done.status().message()));
    }
    issue.status = step.to_status;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ScreenField>> JiraWriter::ScreenOf(
    const IssueInWorkflow& issue, const std::string& transition_id) {
  const std::string path =
      absl::StrCat(IssuePath(issue.id), "/transitions?expand=transitions.fields&transitionId=",
                   JiraApi::EscapePath(transition_id));
  auto list = api_->Get(path);
  if (!list.ok()) return list.status();
  auto listed = ParseTransitions(http::JsonReader(*list, "jira GET " + path));
  if (!listed.ok()) return listed.status();
  for (WorkflowTransition& t : *listed) {
    if (t.id == transition_id) return std::move(t.fields);
  }
  return std::vector<ScreenField>{};
}

absl::StatusOr<std::optional<std::vector<WorkflowTransition>>>
JiraWriter::KnownTransitions(const IssueInWorkflow& issue, const std::string& status) {
  const auto key = issue.Key(status);
  if (auto it = transitions_.find(key); it != transitions_.end()) return it->second;
  SearchRequest request;
  request.jql = absl::StrCat("project = ", JiraApi::QuoteJql(issue.project),
                             " AND issuetype = ", JiraApi::QuoteJql(issue.type),
                             " AND status = ", JiraApi::QuoteJql(status));
  request.fields = {"status"};
  // Screens are read when a transition with one is taken (ScreenOf).
  request.expand = {"transitions"};
  request.page_size = 1;
  request.max_issues = 1;
  auto found = api_->Search(request);
  if (!found.ok()) return found.status();
  // No issue is there: unknown, and not remembered as "none".
  if (found->issues.empty()) return std::nullopt;
  auto listed =
      ParseTransitions(http::JsonReader(found->issues[0], "jira search", "issues[0]"));
  if (!listed.ok()) return listed.status();
  transitions_[key] = *listed;
  return *std::move(listed);
}

void JiraWriter::Forget(const IssueInWorkflow& issue) {
  for (auto it = transitions_.begin(); it != transitions_.end();) {
    const auto& [project, type, status] = it->first;
    const bool other = project == issue.project && type == issue.type &&
                       !SameStatus(status, issue.status);
    it = other ? transitions_.erase(it) : std::next(it);
  }
}

absl::StatusOr<ferry::v1::Entity> JiraWriter::Get(const EntityRef& entity) {
  auto cloud = IsCloud();
  if (!cloud.ok()) return cloud.status();
  auto issue = api_->Get(IssuePath(entity.id) + "?fields=*all&expand=changelog");
  if (!issue.ok()) return issue.status();
  auto out = EntityFromIssue(*issue, system_, *cloud);
  if (!out.ok()) return out.status();
  if (auto status = out->fields().find("status"); status != out->fields().end()) {
    Remember({entity.id, out->display_key(), out->project(), out->type(),
              status->second.lookup().name()});
  }
  const json& listed =
      http::MemberOrNull(http::MemberOrNull(*issue, "changelog"), "histories");
  const std::vector<json> histories = HistoriesOldestFirst(
      listed.is_array() ? std::vector<json>(listed.begin(), listed.end()) : std::vector<json>());
  if (!histories.empty()) {
    *out->mutable_last_changed_by() =
        UserFromJson(http::MemberOrNull(histories.back(), "author"), *cloud);
  } else {
    *out->mutable_last_changed_by() = UserFromJson(
        http::MemberOrNull(http::MemberOrNull(*issue, "fields"), "creator"), *cloud);
  }
  return out;
}

absl::StatusOr<std::string> JiraWriter::AddComment(
    const EntityRef& entity, const ferry::v1::CommentWrite& comment,
    const std::string& origin) {
  auto cloud = IsCloud();
  if (!cloud.ok()) return cloud.status();
  const std::string path = IssuePath(entity.id) + "/comment";
  json body = {{"body", CommentBody(comment, *cloud)}};
  if (!origin.empty()) {
    body["properties"] = json::array(
        {{{"key", kCommentOriginProperty}, {"value", {{"origin", origin}}}}});
  }
  auto posted = api_->Post(path, body);
  if (!posted.ok()) return posted.status();
  return http::JsonReader(*posted, "jira POST " + path).RequireString("id");
}

absl::StatusOr<std::optional<std::string>> JiraWriter::FindComment(
    const EntityRef& entity, const std::string& origin) {
  for (int start = 0;; start += kCommentPage) {
    const std::string path = absl::StrCat(IssuePath(entity.id), "/comment?startAt=", start,
                                          "&maxResults=", kCommentPage,
                                          "&expand=properties");
    auto page = api_->Get(path);
    if (!page.ok()) return page.status();
    const http::JsonReader reader(*page, "jira GET " + path);
    auto comments = reader.OptionalArray("comments");
    if (!comments.ok()) return comments.status();
    auto total = reader.OptionalInt("total");
    if (!total.ok()) return total.status();
    for (const http::JsonReader& comment : *comments) {
      auto has_origin = CommentHasOrigin(*api_, comment.json(), origin);
      if (!has_origin.ok()) return has_origin.status();
      if (!*has_origin) continue;
      auto id = comment.RequireString("id");
      if (!id.ok()) return id.status();
      return std::optional<std::string>(*std::move(id));
    }
    if (comments->empty() ||
        start + static_cast<int>(comments->size()) >= total->value_or(0)) {
      return std::nullopt;
    }
  }
}

}  // namespace ferry::jira
