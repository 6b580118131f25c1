#include "engine/connector/reader_wakeups.h"

namespace ferry::engine {

ReaderWakeups::Subscription::~Subscription() {
  absl::MutexLock lock(&owner_->mu_);
  owner_->entries_.erase(id_);
}

std::unique_ptr<ReaderWakeups::Subscription> ReaderWakeups::Subscribe(
    const std::string& system, std::function<void()> wake) {
  absl::MutexLock lock(&mu_);
  const int id = next_id_++;
  entries_[id] = Entry{system, std::move(wake)};
  return std::unique_ptr<Subscription>(new Subscription(this, id));
}

void ReaderWakeups::Wake(const std::string& system) {
  // Callbacks run under the lock so that a Subscription's destructor waits
  // for them; they must be quick (PartitionReader::SyncNow only signals).
  absl::MutexLock lock(&mu_);
  for (const auto& [id, entry] : entries_) {
    if (entry.system == system) entry.wake();
  }
}

std::function<void()> ReaderWakeups::WakerFor(const std::string& system) {
  return [this, system] { Wake(system); };
}

}  // namespace ferry::engine
