#include "connectors/fake/fake_system.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/common/proto_time.h"
#include "google/protobuf/util/message_differencer.h"

namespace ferry::fake {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;

// Holds the system's exclusive lock for its lifetime.
class Lock {
 public:
  explicit Lock(const std::string& dir)
      : fd_(::open((dir + "/LOCK").c_str(), O_RDWR | O_CREAT | O_CLOEXEC,
                   0644)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~Lock() {
    if (fd_ >= 0) ::close(fd_);  // Closing releases the flock.
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

absl::Status Unavailable(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat(what, " ", path));
}

// Replaces `path` atomically with `content`.
absl::Status WriteFile(const std::string& path, const std::string& content) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return Unavailable("cannot write", temp);
  }
  std::error_code error;
  fs::rename(temp, path, error);
  return error ? Unavailable("cannot replace", path) : absl::OkStatus();
}

std::string EntityPath(const std::string& dir, const std::string& id) {
  return absl::StrCat(dir, "/entities/", id, ".pb");
}

absl::StatusOr<FakeEntity> ReadEntity(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("no entity at ", path));
  FakeEntity entity;
  if (!entity.ParseFromIstream(&in)) {
    return absl::DataLossError(absl::StrCat("corrupt entity file ", path));
  }
  return entity;
}

// The next system-wide revision; call with the lock held.
absl::StatusOr<int64_t> NextRevision(const std::string& dir) {
  const std::string path = dir + "/revision";
  int64_t revision = 0;
  std::ifstream in(path);
  std::string text;
  if (in >> text && !absl::SimpleAtoi(text, &revision)) {
    return absl::DataLossError(absl::StrCat("corrupt revision file ", path));
  }
  ++revision;
  absl::Status written = WriteFile(path, std::to_string(revision));
  if (!written.ok()) return written;
  return revision;
}

google::protobuf::Timestamp Now() { return ToProto(absl::Now()); }

}  // namespace

absl::StatusOr<FakeSystem> FakeSystem::Open(const std::string& dir) {
  std::error_code error;
  fs::create_directories(dir + "/entities", error);
  if (error) return Unavailable("cannot create", dir);
  return FakeSystem(dir);
}

absl::StatusOr<ferry::v1::Entity> FakeSystem::Create(
    const std::string& project, const std::string& type,
    const std::map<std::string, ferry::v1::FieldValue>& fields,
    const ferry::v1::UserRef& by, const std::string& origin) {
  Lock lock(dir_);
  if (!lock.ok()) return Unavailable("cannot lock", dir_);
  auto revision = NextRevision(dir_);
  if (!revision.ok()) return revision.status();

  FakeEntity record;
  record.set_revision(*revision);
  record.set_created_revision(*revision);
  record.set_origin(origin);
  ferry::v1::Entity& entity = *record.mutable_entity();
  entity.set_project(project);
  entity.set_type(type);
  entity.set_id(absl::StrCat("F", *revision));
  entity.set_display_key(absl::StrCat(project, "-", *revision));
  entity.set_revision(*revision);
  *entity.mutable_created_at() = Now();
  *entity.mutable_updated_at() = entity.created_at();
  *entity.mutable_last_changed_by() = by;
  entity.set_comments_complete(true);
  for (const auto& [name, value] : fields) {
    (*entity.mutable_fields())[name] = value;
    FakeChange* change = record.add_history();
    change->set_revision(*revision);
    change->mutable_change()->set_field(name);
    *change->mutable_change()->mutable_new_value() = value;
    *change->mutable_change()->mutable_changed_by() = by;
    *change->mutable_change()->mutable_changed_at() = entity.created_at();
  }
  absl::Status written =
      WriteFile(EntityPath(dir_, entity.id()), record.SerializeAsString());
  if (!written.ok()) return written;
  return entity;
}

absl::StatusOr<ferry::v1::Entity> FakeSystem::SetFields(
    const std::string& id,
    const std::map<std::string, ferry::v1::FieldValue>& fields,
    const ferry::v1::UserRef& by) {
  Lock lock(dir_);
  if (!lock.ok()) return Unavailable("cannot lock", dir_);
  auto record = ReadEntity(EntityPath(dir_, id));
  if (!record.ok()) return record.status();
  ferry::v1::Entity& entity = *record->mutable_entity();
  std::vector<std::pair<std::string, ferry::v1::FieldValue>> changed;
  for (const auto& [name, value] : fields) {
    auto it = entity.fields().find(name);
    if (it == entity.fields().end() ||
        !MessageDifferencer::Equals(it->second, value)) {
      changed.emplace_back(name, value);
    }
  }
  if (changed.empty()) return entity;
  auto revision = NextRevision(dir_);
  if (!revision.ok()) return revision.status();
  record->set_revision(*revision);
  entity.set_revision(*revision);
  *entity.mutable_updated_at() = Now();
  *entity.mutable_last_changed_by() = by;
  for (auto& [name, value] : changed) {
    FakeChange* change = record->add_history();
    change->set_revision(*revision);
    change->mutable_change()->set_field(name);
    auto old = entity.fields().find(name);
    if (old != entity.fields().end()) {
      *change->mutable_change()->mutable_old_value() = old->second;
    }
    *change->mutable_change()->mutable_new_value() = value;
    *change->mutable_change()->mutable_changed_by() = by;
    *change->mutable_change()->mutable_changed_at() = entity.updated_at();
    (*entity.mutable_fields())[name] = std::move(value);
  }
  absl::Status written =
      WriteFile(EntityPath(dir_, id), record->SerializeAsString());
  if (!written.ok()) return written;
  return entity;
}

absl::StatusOr<std::string> FakeSystem::AddComment(
    const std::string& id, const std::string& body,
    const ferry::v1::UserRef& by, const std::string& origin) {
  Lock lock(dir_);
  if (!lock.ok()) return Unavailable("cannot lock", dir_);
  auto record = ReadEntity(EntityPath(dir_, id));
  if (!record.ok()) return record.status();
  auto revision = NextRevision(dir_);
  if (!revision.ok()) return revision.status();
  ferry::v1::Entity& entity = *record->mutable_entity();
  ferry::v1::Comment* comment = entity.add_comments();
  comment->set_id(absl::StrCat("C", *revision));
  comment->set_kind("comment");
  *comment->mutable_author() = by;
  *comment->mutable_created_at() = Now();
  *comment->mutable_updated_at() = comment->created_at();
  comment->set_body(body);
  record->set_revision(*revision);
  entity.set_revision(*revision);
  *entity.mutable_updated_at() = comment->created_at();
  *entity.mutable_last_changed_by() = by;
  (*record->mutable_comment_revisions())[comment->id()] = *revision;
  if (!origin.empty()) {
    (*record->mutable_comment_origins())[comment->id()] = origin;
  }
  absl::Status written =
      WriteFile(EntityPath(dir_, id), record->SerializeAsString());
  if (!written.ok()) return written;
  return comment->id();
}

absl::StatusOr<FakeEntity> FakeSystem::Get(const std::string& id) const {
  Lock lock(dir_);
  if (!lock.ok()) return Unavailable("cannot lock", dir_);
  return ReadEntity(EntityPath(dir_, id));
}

absl::StatusOr<std::vector<FakeEntity>> FakeSystem::ChangedAfter(
    const std::string& project, int64_t revision) const {
  Lock lock(dir_);
  if (!lock.ok()) return Unavailable("cannot lock", dir_);
  std::vector<FakeEntity> changed;
  std::error_code error;
  for (const auto& file : fs::directory_iterator(dir_ + "/entities", error)) {
    if (file.path().extension() != ".pb") continue;
    auto record = ReadEntity(file.path().string());
    if (!record.ok()) return record.status();
    if (record->entity().project() == project &&
        record->revision() > revision) {
      changed.push_back(*std::move(record));
    }
  }
  if (error) return Unavailable("cannot list", dir_);
  std::sort(changed.begin(), changed.end(),
            [](const FakeEntity& a, const FakeEntity& b) {
              return a.revision() < b.revision();
            });
  return changed;
}

}  // namespace ferry::fake
