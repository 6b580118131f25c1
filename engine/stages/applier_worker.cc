#include "engine/stages/applier_worker.h"

#include <utility>

#include "absl/time/clock.h"
#include "engine/common/log.h"

namespace ferry::engine {

ApplierWorker::ApplierWorker(std::string integration, ChangeApplier* applier,
                             absl::Duration retry_every)
    : integration_(std::move(integration)),
      applier_(applier),
      retry_every_(retry_every),
      thread_([this] { Loop(); }) {}

ApplierWorker::~ApplierWorker() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

absl::Status ApplierWorker::Run(const Work& work) {
  Task task;
  task.work = &work;
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("the writer is stopping");
  queue_.push_back(&task);
  mu_.Await(absl::Condition(&task.done));
  return task.status;
}

int ApplierWorker::waiting() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

void ApplierWorker::Loop() {
  absl::Time next_retry = absl::Now() + retry_every_;
  while (true) {
    Task* task = nullptr;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithDeadline(absl::Condition(this, &ApplierWorker::HasWorkOrStop),
                            next_retry);
      if (stopping_) break;
      if (!queue_.empty()) {
        task = queue_.front();
        queue_.pop_front();
      }
    }
    if (task != nullptr) {
      absl::Status status = (*task->work)(*applier_);
      absl::MutexLock lock(&mu_);
      task->status = std::move(status);
      task->done = true;
    }
    if (absl::Now() >= next_retry) {
      // A round cut short goes on right after the work that waited.
      next_retry = RetryRound() ? absl::Now() + retry_every_ : absl::Now();
    }
  }
  absl::MutexLock lock(&mu_);
  for (Task* task : queue_) {
    task->status = absl::UnavailableError("the writer is stopping");
    task->done = true;
  }
  queue_.clear();
}

bool ApplierWorker::RetryRound() {
  bool yielded = false;
  auto retried = applier_->RetryDue([&] {
    absl::MutexLock lock(&mu_);
    yielded = HasWorkOrStop();
    return yielded;
  });
  if (!retried.ok()) {
    // The state store's error; the next round tries again.
    log::Error("writer.retry_failed", {{"integration", integration_},
                                       {"error", retried.status().message()}});
  }
  return !yielded;
}

}  // namespace ferry::engine
