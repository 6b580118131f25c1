#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/string_view.h"
#include "connectors/jira/issue_place.h"
#include "connectors/jira/jira_api.h"
#include "connectors/jira/transition_screen.h"
#include "connectors/jira/workflow_path.h"
#include "engine/connector/connector.h"

namespace ferry::jira {

// The issue property Ferry stores the origin marker in, atomically with the
// create: {"origin": "<marker>", "source_url": …, "source_title": …}.
inline constexpr char kOriginProperty[] = "ferry.origin";

// The historyMetadata type Ferry sends with its edits and transitions, so
// readers recognise Ferry's own changes even when another account made
// them.
inline constexpr char kHistoryMetadataType[] = "ferry";

// The application type of the remote links Ferry adds to the issues it
// creates.
inline constexpr char kRemoteLinkApplication[] = "io.ferry";

// Jira keeps a remote link's globalId in at most this many characters.
inline constexpr size_t kMaxGlobalIdLength = 255;

// The globalId of the remote link to `url`: the URL itself when it fits in
// kMaxGlobalIdLength characters; otherwise its first characters, '#' and
// the hex SHA-256 of the whole URL, exactly kMaxGlobalIdLength long. The
// same URL always gives the same id (in any process and build), so posting
// the link again replaces it.
std::string RemoteLinkGlobalId(absl::string_view url);

// Comments carry their origin marker in a comment property of this key,
// {"origin": "<marker>"}, set in the create request itself (so it lands
// atomically with the comment) and read back with expand=properties; the
// comment's text carries no marker. Both Cloud (v3) and Data Center (v2)
// take comment properties.
inline constexpr char kCommentOriginProperty[] = "ferry.origin";

// The last line of the comments Ferry posted before comment properties
// held the marker: "ferry-origin: <marker>". Nothing writes it any more;
// FindComment still recognises it, so comments posted by an older Ferry
// keep their link.
std::string LegacyCommentOriginLine(const std::string& origin);

// Writes issues and comments to one Jira site (engine::EntityWriter).
//
// Create: POST /issue with the origin (and the source's URL and title) in
// the `ferry.origin` property (one request, so the marker lands atomically
// with the issue); then, when the request names a source URL, a remote
// link to it (POST /remotelink with RemoteLinkGlobalId of the URL, so
// posting it again replaces it rather than adding a second); then the
// status through transitions when one was asked for that is not the one
// issues are created in. A remote link Jira refuses is logged as a warning
// and the create still succeeds: the issue and its origin are what links
// the two sides. FindByOrigin posts the link again, so a create a crash
// interrupted gets it too. The status issues of a (project, issue type)
// are created in is learned once, from the first one created (one read,
// which tells it even when a person has moved the issue already: the
// `from` of its oldest status change); later creates read nothing, so a
// new issue costs the create and its remote link.
// Update: fields by PUT /issue (204), without reading the issue first;
// `status` by a chain of workflow transitions planned breadth-first (see
// workflow_path.h) from where Ferry last left the issue (created, moved or
// read it), without reading it. Where Ferry does not know, or knows the
// goal itself (the engine asks for that only when the reader saw the issue
// move since), one read tells where the issue is and what leaves there.
// Conflicts: a transition is valid only from the statuses it leaves, so
// Jira refuses the first hop when someone moved the issue since Ferry left
// it. The issue is then read: when its newest status change is not
// Ferry's and left it elsewhere, nothing moves and Update returns ABORTED
// (a person's move the engine's decision did not see: the reader reports
// it as a change of its own, and the engine decides again); otherwise the
// move is planned again from where it is, once. The goal must be one of
// the statuses GET /project/{key}/statuses lists for the issue type (read
// once per project and type, again before failing), else
// FAILED_PRECONDITION naming them. Transitions out of other statuses are
// known per (project, issue type, status): learned once from a search for
// another issue in that status, or, where no issue is, by moving this
// issue there and reading its transitions, hop by hop. Only what exists is
// remembered: a status nothing was learned about is asked about again, a
// plan that fails learns everything again once before failing, and a
// transition Jira refuses forgets its status. Each transition posts the
// fields its screen asks for (transition_screen.h): the resolution from a
// `resolution` write of the same update (else the `resolution` transition
// field, else "Done") and other fields from `transition_fields`. A
// required field without a value fails with FAILED_PRECONDITION naming the
// transition, the field and the option that fixes it; the issue stays in
// the status it reached.
// Comments: Cloud bodies are ADF, Data Center bodies wiki strings; wiki
// and ADF are converted to whichever the deployment speaks (jira_wiki.h);
// Markdown is converted and plain text kept literal (escaped on Data
// Center) so that a reader gets the same string back (jira_markdown.h);
// the origin goes into the kCommentOriginProperty comment property, never
// the text.
// FindByOrigin (after a crash) is read-after-write: it searches the
// project's issues created in the last `kOriginLookbackDays` days for the
// property, and since a search index may not hold the newest issues yet
// (Cloud's is eventually consistent), it then reads the issues numbered
// after the newest key the search returned directly (GET /issue/<KEY-n>,
// which is not index-based) until `kRecoveryProbeMisses` keys in a row do
// not exist. An issue Ferry created just before a crash is found however
// far the index lags, as long as the index takes issues in the order they
// were created. FindComment pages through
// the issue's comments (expand=properties) for the comment property, or
// for a LegacyCommentOriginLine in the text; when Jira leaves the
// properties out of the page, it reads each comment's property with
// GET /comment/{id}/properties/ferry.origin.
// Issues are addressed by id, so a moved issue (new key) stays reachable.
//
// Thread-compatible, as EntityWriter requires.
class JiraWriter : public ferry::engine::EntityWriter {
 public:
  static constexpr int kOriginLookbackDays = 30;
  // How many issues' last known place (status, project, type) the writer
  // keeps; past it, it forgets them all and reads each one again.
  static constexpr size_t kRememberedIssues = 10000;
  // Keys that may be missing in a row (deleted issues) before FindByOrigin
  // stops reading past the search index.
  static constexpr int kRecoveryProbeMisses = 3;

  // `api` must outlive the writer. `system` is SystemConfig.name;
  // `transition_fields` is JiraOptions.transition_fields.
  JiraWriter(JiraApi* api, std::string system,
             std::map<std::string, std::string> transition_fields = {});

  absl::StatusOr<std::vector<ferry::engine::EntityRef>> Lookup(
      const std::string& project, const std::string& query) override;
  absl::StatusOr<std::optional<ferry::engine::EntityRef>> FindByOrigin(
      const std::string& project, const std::string& origin) override;
  absl::StatusOr<ferry::engine::EntityRef> Create(
      const ferry::engine::CreateRequest& request) override;
  absl::Status Update(const ferry::engine::EntityRef& entity,
                      const std::vector<ferry::v1::FieldWrite>& fields) override;
  absl::StatusOr<ferry::v1::Entity> Get(
      const ferry::engine::EntityRef& entity) override;
  absl::StatusOr<std::string> AddComment(
      const ferry::engine::EntityRef& entity,
      const ferry::v1::CommentWrite& comment,
      const std::string& origin) override;
  absl::StatusOr<std::optional<std::string>> FindComment(
      const ferry::engine::EntityRef& entity,
      const std::string& origin) override;

 private:
  absl::StatusOr<bool> IsCloud();
  // Edits the non-status fields, then moves the status.
  absl::Status Write(const std::string& id,
                     const std::vector<ferry::v1::FieldWrite>& fields);
  // Posts (or replaces) the remote link to `url` on `issue`; logs a
  // warning when Jira refuses. Does nothing for an empty `url`.
  void LinkToSource(const ferry::engine::EntityRef& issue, const std::string& url,
                    const std::string& title);
  // An issue on its way through its workflow.
  struct IssueInWorkflow {
    std::string id;
    std::string key;
    std::string project;
    std::string type;
    std::string status;  // where it is now
    std::tuple<std::string, std::string, std::string> Key(
        const std::string& in) const {
      return {project, type, in};
    }
  };
  // Remembers where `issue` is (placed_), dropping everything remembered
  // when kRememberedIssues are.
  void Remember(const IssueInWorkflow& issue);
  // The status issues of `project` and `type` are created in: known, or
  // learned from `issue`, just created (one read).
  absl::StatusOr<std::string> CreatedIn(const ferry::engine::EntityRef& issue,
                                        const std::string& project, const std::string& type);
  // Reads where issue `id` is (IssuePlace) and remembers the transitions
  // out of its status.
  absl::StatusOr<IssuePlace> ReadPlace(const std::string& id);
  // Moves issue `id` to `status` (see the class comment); ABORTED when a
  // person moved it since Ferry left it.
  absl::Status MoveToStatus(const std::string& id, const std::string& status,
                            const std::string& resolution, bool cloud);
  // FAILED_PRECONDITION naming the workflow's statuses when `goal` is not
  // one of those GET /project/{key}/statuses lists for the issue's type.
  absl::Status CheckStatusExists(const IssueInWorkflow& issue,
                                 const std::string& goal);
  // Plans, learns and transitions until `issue` is in `goal`.
  absl::Status StepTowards(IssueInWorkflow& issue, const std::string& goal,
                           const ScreenValues& values);
  // CheckStatusExists, then StepTowards; remembers where `issue` ended
  // when it got there.
  absl::Status MoveAndRemember(IssueInWorkflow& issue, const std::string& goal,
                               const ScreenValues& values);
  // Posts each transition of `path` with its screen's fields.
  absl::Status Perform(IssueInWorkflow& issue,
                       const std::vector<WorkflowTransition>& path,
                       const ScreenValues& values);
  // The screen of transition `transition_id` from `issue`'s status (GET
  // /issue/{id}/transitions?transitionId=…&expand=transitions.fields).
  absl::StatusOr<std::vector<ScreenField>> ScreenOf(const IssueInWorkflow& issue,
                                                    const std::string& transition_id);
  // The transitions out of `status` for `issue`'s project and type: known,
  // or learned from another issue in that status; nullopt when no issue is
  // there (not remembered).
  absl::StatusOr<std::optional<std::vector<WorkflowTransition>>> KnownTransitions(
      const IssueInWorkflow& issue, const std::string& status);
  // Forgets what is known of `issue`'s project and type, except its own
  // status.
  void Forget(const IssueInWorkflow& issue);
  absl::StatusOr<std::vector<ferry::engine::EntityRef>> Find(
      const SearchRequest& request);
  // `issue` (with its properties) when its origin marker is `origin`, its
  // remote link posted again; nullopt otherwise.
  std::optional<ferry::engine::EntityRef> IfFromOrigin(const nlohmann::json& issue,
                                                       const std::string& origin);
  // The key number of the newest issue of `project` the search index
  // holds; 0 when it holds none.
  absl::StatusOr<int64_t> NewestIndexedKeyNumber(const std::string& project);
  // Reads <project>-<n> for n after `newest_indexed` directly, until
  // kRecoveryProbeMisses keys in a row are missing; the one whose origin
  // is `origin`, or nullopt.
  absl::StatusOr<std::optional<ferry::engine::EntityRef>> FindCreatedAfter(
      const std::string& project, int64_t newest_indexed, const std::string& origin);
  ferry::engine::EntityRef RefOf(const nlohmann::json& issue) const;

  JiraApi* const api_;
  const std::string system_;
  const std::map<std::string, std::string> transition_fields_;
  // (project, type, status) -> transitions out of it.
  std::map<std::tuple<std::string, std::string, std::string>,
           std::vector<WorkflowTransition>>
      transitions_;
  // Issue id -> where Ferry last moved or read it.
  std::map<std::string, IssueInWorkflow> placed_;
  // (project, type) -> the status its issues are created in.
  std::map<std::pair<std::string, std::string>, std::string> created_in_;
  // (project, type) -> the names of its workflow's statuses.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> statuses_;
};

}  // namespace ferry::jira
