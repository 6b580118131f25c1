#pragma once

#include <string>

#include "tools/pagerduty_sim/model.h"

namespace ferry::pagerduty_sim {

// A fresh PagerDuty-style id ("P" + 6 base-36 characters), unique in `state`.
std::string NewId(State& state);

// A fresh 32-character lowercase hex key (integration keys, generated
// incident keys, dedup keys), unique in `state` and deterministic for a given
// sequence of actions.
std::string NewKey(State& state);

// The incident with this id, or with this incident number when `id_or_number`
// is all digits (GET /incidents/{id} accepts both). nullptr when none.
Incident* FindIncident(State& state, const std::string& id_or_number);
const Incident* FindIncident(const State& state, const std::string& id_or_number);

// Lookups by id; nullptr when none. Email matching is case-insensitive.
const User* FindUser(const State& state, const std::string& id);
const User* FindUserByEmail(const State& state, const std::string& email);
const Service* FindService(const State& state, const std::string& id);
const Priority* FindPriority(const State& state, const std::string& id);
const EscalationPolicy* FindEscalationPolicy(const State& state,
                                             const std::string& id);

const LogEntry* FindLogEntry(const State& state, const std::string& id);

// Appends a log entry (it must be the newest so far) and indexes it.
LogEntry& AddLogEntry(State& state, LogEntry entry);

// Appends an incident to the store and indexes it.
Incident& AddIncident(State& state, Incident incident);

}  // namespace ferry::pagerduty_sim
