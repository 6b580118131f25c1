#pragma once

#include <atomic>
#include <cstdint>

#include "tools/jira_sim/http_api.h"
#include "tools/jira_sim/store.h"

namespace ferry::jira_sim {

// What the REST handlers share. Outlives the Router.
struct HandlerEnv {
  Store* store = nullptr;
  // Cloud search/jql index lag in milliseconds (admin-settable).
  std::atomic<int64_t> index_lag_ms{0};
};

// Each registers one resource family's routes (paths after
// /rest/api/<version>) on `router`, answering as the reference describes
// for both dialects (Call::view says which).

// serverInfo, myself, user, field, priority, status, issuetype, project,
// project/search, project/{key}/statuses, issue/createmeta (both forms).
void RegisterMetaRoutes(Router& router, HandlerEnv& env);
// issue create/get/edit, transitions, properties, changelog.
void RegisterIssueRoutes(Router& router, HandlerEnv& env);
// issue/{key}/comment and comment/{id}.
void RegisterCommentRoutes(Router& router, HandlerEnv& env);
// issue/{key}/remotelink.
void RegisterRemoteLinkRoutes(Router& router, HandlerEnv& env);
// workflow/search (Cloud, administrators only; 403 for anyone else).
void RegisterWorkflowRoutes(Router& router, HandlerEnv& env);
// search (DC; 410 on Cloud), search/jql and search/approximate-count (Cloud).
void RegisterSearchRoutes(Router& router, HandlerEnv& env);

}  // namespace ferry::jira_sim
