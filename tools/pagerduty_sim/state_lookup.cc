#include "tools/pagerduty_sim/state_lookup.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ferry::pagerduty_sim {
namespace {

template <typename T>
const T* FindIn(const std::map<std::string, T>& map, const std::string& id) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

std::string NewId(State& state) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  // Spread consecutive counters over the id space so ids look random-ish
  // but stay deterministic for a given sequence of actions.
  uint64_t n = static_cast<uint64_t>(state.next_id++) * 48271 % 2176782336ULL;
  std::string id(7, '0');
  id[0] = 'Q';
  for (int i = 6; i >= 1; --i, n /= 36) id[i] = kDigits[n % 36];
  return id;
}

std::string NewKey(State& state) {
  const uint64_t n = static_cast<uint64_t>(state.next_id++);
  // Two 64-bit mixes (splitmix64 finalizer) of the counter.
  auto mix = [](uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  return absl::StrCat(absl::Hex(mix(n), absl::kZeroPad16),
                      absl::Hex(mix(n + 0x9e3779b97f4a7c15ULL), absl::kZeroPad16));
}

const Incident* FindIncident(const State& state,
                             const std::string& id_or_number) {
  auto it = state.incident_index.find(id_or_number);
  if (it != state.incident_index.end()) return &state.incidents[it->second];
  int number = 0;
  if (!id_or_number.empty() &&
      std::all_of(id_or_number.begin(), id_or_number.end(), absl::ascii_isdigit) &&
      absl::SimpleAtoi(id_or_number, &number) && number >= 1 &&
      number < state.next_incident_number) {
    // Incident numbers are assigned in creation order without gaps.
    const Incident& incident = state.incidents[number - 1];
    if (incident.number == number) return &incident;
  }
  return nullptr;
}

Incident* FindIncident(State& state, const std::string& id_or_number) {
  return const_cast<Incident*>(
      FindIncident(static_cast<const State&>(state), id_or_number));
}

const User* FindUser(const State& state, const std::string& id) {
  return FindIn(state.users, id);
}

const User* FindUserByEmail(const State& state, const std::string& email) {
  for (const auto& [id, user] : state.users) {
    if (absl::EqualsIgnoreCase(user.email, email)) return &user;
  }
  return nullptr;
}

const Service* FindService(const State& state, const std::string& id) {
  return FindIn(state.services, id);
}

const Priority* FindPriority(const State& state, const std::string& id) {
  for (const Priority& priority : state.priorities) {
    if (priority.id == id) return &priority;
  }
  return nullptr;
}

const EscalationPolicy* FindEscalationPolicy(const State& state,
                                             const std::string& id) {
  return FindIn(state.escalation_policies, id);
}

const LogEntry* FindLogEntry(const State& state, const std::string& id) {
  auto it = state.log_entry_index.find(id);
  return it == state.log_entry_index.end() ? nullptr
                                           : &state.log_entries[it->second];
}

LogEntry& AddLogEntry(State& state, LogEntry entry) {
  state.log_entry_index[entry.id] = state.log_entries.size();
  state.log_entries.push_back(std::move(entry));
  return state.log_entries.back();
}

Incident& AddIncident(State& state, Incident incident) {
  state.incident_index[incident.id] = state.incidents.size();
  state.incidents.push_back(std::move(incident));
  return state.incidents.back();
}

}  // namespace ferry::pagerduty_sim
