#include "engine/control/control_service.h"

#include <openssl/crypto.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "engine/common/proto_time.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "engine/writer/link_record.h"
#include "mapping/preview.h"

namespace ferry::engine {
namespace {


constexpr int kDefaultFailurePage = 100;

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace

ControlService::ControlService(PipelineView* pipeline,
                               std::string bearer_token)
    : pipeline_(pipeline), bearer_token_(std::move(bearer_token)) {}

grpc::Status ControlService::Authorize(
    const grpc::ServerContext& context) const {
  if (bearer_token_.empty()) return grpc::Status::OK;
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  const std::string expected = "Bearer " + bearer_token_;
  if (header == metadata.end() || header->second.size() != expected.size() ||
      CRYPTO_memcmp(header->second.data(), expected.data(), expected.size()) !=
          0) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "the control API needs the bearer token configured "
                        "as server.control_token (ferryctl --token_env)");
  }
  return grpc::Status::OK;
}

grpc::Status ControlService::NeedReaders(const std::string& call) const {
  if (pipeline_->runs_readers()) return grpc::Status::OK;
  return grpc::Status(
      grpc::StatusCode::FAILED_PRECONDITION,
      absl::StrCat("this ferryd runs the ", pipeline_->stage(), " stage; ", call,
                   " acts on readers: point ferryctl --server at a reader stage's "
                   "--control_listen"));
}

grpc::Status ControlService::NeedWriter(const std::string& call,
                                        const std::string& integration) const {
  if (pipeline_->writer_service() != nullptr) {
    const std::string owner = pipeline_->OtherWriterOf(integration);
    if (owner.empty()) return grpc::Status::OK;
    return grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        absl::StrCat("integration '", integration, "' is written by ", owner,
                     ", not by this writer; ", call, " needs its links and "
                     "failures: point ferryctl --server at that shard's "
                     "--control_listen"));
  }
  return grpc::Status(
      grpc::StatusCode::FAILED_PRECONDITION,
      absl::StrCat("this ferryd runs the ", pipeline_->stage(), " stage; ", call,
                   " needs the links and failures the writer keeps: point "
                   "ferryctl --server at the --control_listen of the writer "
                   "stage (the shard that owns the integration)"));
}

grpc::Status ControlService::Find(const std::string& integration,
                                  const IntegrationPlan** plan) const {
  auto it = pipeline_->plans().find(integration);
  if (it == pipeline_->plans().end()) {
    std::vector<std::string> names;
    for (const auto& [name, unused] : pipeline_->plans()) names.push_back(name);
    return grpc::Status(
        grpc::StatusCode::NOT_FOUND,
        absl::StrCat("no integration named '", integration, "'; there are: ",
                     absl::StrJoin(names, ", ")));
  }
  *plan = it->second.get();
  return grpc::Status::OK;
}

ferry::v1::IntegrationSummary ControlService::Summary(
    const IntegrationPlan& plan) {
  ferry::v1::IntegrationSummary summary;
  summary.set_name(plan.config.name());
  summary.set_source_system(plan.source_system.name());
  summary.set_target_system(plan.target_system.name());
  summary.set_direction(plan.config.direction());
  bool paused = false;
  for (PartitionReader* reader : pipeline_->Readers(plan.config.name())) {
    paused |= reader->GetStatus().paused;
  }
  summary.set_paused(paused);
  return summary;
}

grpc::Status ControlService::ListIntegrations(
    grpc::ServerContext* context, const ferry::v1::ListIntegrationsRequest*,
    ferry::v1::ListIntegrationsResponse* response) {
  if (auto denied = Authorize(*context); !denied.ok()) return denied;
  for (const auto& [name, plan] : pipeline_->plans()) {
    *response->add_integrations() = Summary(*plan);
  }
  return grpc::Status::OK;
}

grpc::Status ControlService::GetStatus(
    grpc::ServerContext* context, const ferry::v1::GetStatusRequest* request,
    ferry::v1::GetStatusResponse* response) {
  if (auto denied = Authorize(*context); !denied.ok()) return denied;
  const absl::Time now = absl::Now();
  for (const auto& [name, plan] : pipeline_->plans()) {
    if (!request->integration().empty() && request->integration() != name) {
      continue;
    }
    ferry::v1::IntegrationStatus* status = response->add_integrations();
    *status->mutable_summary() = Summary(*plan);
    for (PartitionReader* reader : pipeline_->Readers(name)) {
      const PartitionReader::Status read = reader->GetStatus();
      ferry::v1::PartitionStatus* partition = status->add_partitions();
      partition->set_system(reader->partition().system);
      partition->set_project(reader->partition().project);
      if (read.checkpoint.has_value() && read.checkpoint->has_time()) {
        *partition->mutable_checkpoint_time() = read.checkpoint->time();
        partition->set_lag_seconds(absl::ToDoubleSeconds(
            now - FromProto(read.checkpoint->time())));
      }
      if (read.last_poll != absl::InfinitePast()) {
        *partition->mutable_last_poll() = ToProto(read.last_poll);
      }
      partition->set_last_error(read.last_error);
    }
    WriterService* writer = pipeline_->writer_service();
    if (writer == nullptr) continue;  // A reader or transformer.
    absl::Status counted = writer->WithApplier(name, [&](ChangeApplier& applier) {
      auto counted = applier.GetCounts();
      if (!counted.ok()) return counted.status();
      const ChangeApplier::Counts& counts = *counted;
      status->set_changes_written(counts.written);
      status->set_changes_skipped(counts.skipped);
      if (counts.last_written != absl::InfinitePast()) {
        *status->mutable_last_sync() = ToProto(counts.last_written);
      }
      return absl::OkStatus();
    });
    // Another writer shard owns the integration.
    if (absl::IsNotFound(counted)) continue;
    if (!counted.ok()) return ToGrpc(counted);
    int64_t open = 0, links = 0, comments = 0;
    absl::Status listed = pipeline_->store()->ForEachFailure(
        name, "", [&](const ferry::v1::Failure& failure) {
          open += failure.state() == ferry::v1::FAILURE_STATE_OPEN;
          return true;
        });
    if (listed.ok()) {
      listed = pipeline_->store()->ForEachLink(name, [&](const ferry::v1::Link& link) {
        ++links;
        comments += link.comments_size();
        return true;
      });
    }
    if (!listed.ok()) return ToGrpc(listed);
    status->set_open_failures(open);
    status->set_links(links);
    status->set_comments_synced(comments);
  }
  if (!request->integration().empty() && response->integrations().empty()) {
    const IntegrationPlan* plan = nullptr;
    return Find(request->integration(), &plan);
  }
  return grpc::Status::OK;
}

grpc::Status ControlService::ForReaders(
    const grpc::ServerContext& context, const std::string& call,
    const ferry::v1::IntegrationRequest& request,
    const std::function<void(PartitionReader&)>& action,
    ferry::v1::IntegrationActionResponse* response) {
  if (auto denied = Authorize(context); !denied.ok()) return denied;
  if (auto elsewhere = NeedReaders(call); !elsewhere.ok()) return elsewhere;
  const IntegrationPlan* plan = nullptr;
  if (auto missing = Find(request.integration(), &plan); !missing.ok()) {
    return missing;
  }
  for (PartitionReader* reader : pipeline_->Readers(request.integration())) {
    action(*reader);
  }
  *response->mutable_summary() = Summary(*plan);
  return grpc::Status::OK;
}

grpc::Status ControlService::StartIntegration(
    grpc::ServerContext* context, const ferry::v1::IntegrationRequest* request,
    ferry::v1::IntegrationActionResponse* response) {
  return ForReaders(*context, "resume", *request,
                    [](PartitionReader& r) { r.Resume(); },
                    response);
}

grpc::Status ControlService::PauseIntegration(
    grpc::ServerContext* context, const ferry::v1::IntegrationRequest* request,
    ferry::v1::IntegrationActionResponse* response) {
  return ForReaders(*context, "pause", *request,
                    [](PartitionReader& r) { r.Pause(); },
                    response);
}

grpc::Status ControlService::SyncNow(
    grpc::ServerContext* context, const ferry::v1::IntegrationRequest* request,
    ferry::v1::IntegrationActionResponse* response) {
  return ForReaders(*context, "sync-now", *request,
                    [](PartitionReader& r) { r.SyncNow(); },
                    response);
}

grpc::Status ControlService::Backfill(
    grpc::ServerContext* context, const ferry::v1::BackfillRequest* request,
    grpc::ServerWriter<ferry::v1::BackfillProgress>* writer) {
  if (auto denied = Authorize(*context); !denied.ok()) return denied;
  if (auto elsewhere = NeedReaders("backfill"); !elsewhere.ok()) return elsewhere;
  const IntegrationPlan* plan = nullptr;
  if (auto missing = Find(request->integration(), &plan); !missing.ok()) {
    return missing;
  }
  const std::string system = request->system().empty()
                                 ? plan->source_system.name()
                                 : request->system();
  std::vector<PartitionReader*> readers;
  for (PartitionReader* reader : pipeline_->Readers(request->integration())) {
    if (reader->partition().system == system &&
        (request->project().empty() ||
         reader->partition().project == request->project())) {
      readers.push_back(reader);
    }
  }
  if (readers.empty()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("integration '", request->integration(),
                                     "' reads no project '", request->project(),
                                     "' of system '", system, "'"));
  }
  ferry::v1::SourcePosition since;
  *since.mutable_time() = request->since();
  for (PartitionReader* reader : readers) reader->Rewind(since);

  // Progress: how much of [since, start of the backfill] the checkpoints
  // cover, until each reader has caught up with nothing in flight.
  const absl::Time from = FromProto(request->since());
  const absl::Time until = absl::Now();
  while (!context->IsCancelled()) {
    absl::SleepFor(absl::Milliseconds(200));
    ferry::v1::BackfillProgress progress;
    double covered = 0;
    bool done = true;
    for (PartitionReader* reader : readers) {
      const PartitionReader::Status status = reader->GetStatus();
      progress.set_changes_read(progress.changes_read() + status.changes_read);
      double fraction = 1;
      if (status.checkpoint.has_value() && status.checkpoint->has_time() &&
          until > from) {
        fraction = std::clamp(
            absl::FDivDuration(FromProto(status.checkpoint->time()) - from,
                               until - from),
            0.0, 1.0);
      }
      const bool caught_up = status.batches_in_flight == 0 &&
                             status.last_poll > until;
      done &= caught_up;
      covered += caught_up ? 1.0 : fraction;
      if (!status.last_error.empty()) progress.set_error(status.last_error);
    }
    progress.set_fraction(covered / readers.size());
    progress.set_done(done);
    if (!writer->Write(progress) || done) break;
  }
  return grpc::Status::OK;
}

grpc::Status ControlService::ListFailures(
    grpc::ServerContext* context, const ferry::v1::ListFailuresRequest* request,
    ferry::v1::ListFailuresResponse* response) {
  if (auto denied = Authorize(*context); !denied.ok()) return denied;
  if (auto elsewhere = NeedWriter("failures list", request->integration());
      !elsewhere.ok()) {
    return elsewhere;
  }
  const int limit = request->limit() > 0 ? request->limit() : kDefaultFailurePage;
  for (const auto& [name, plan] : pipeline_->plans()) {
    if (!request->integration().empty() && request->integration() != name) {
      continue;
    }
    absl::Status listed = pipeline_->store()->ForEachFailure(
        name, request->page_token(), [&](const ferry::v1::Failure& failure) {
          if (failure.state() != request->state() ||
              !absl::StrContains(failure.error(), request->error_contains())) {
            return true;
          }
          if (response->failures_size() == limit) {
            response->set_next_page_token(
                response->failures(limit - 1).id());
            return false;
          }
          *response->add_failures() = failure;
          return true;
        });
    if (!listed.ok()) return ToGrpc(listed);
    if (!response->next_page_token().empty()) break;
  }
  return grpc::Status::OK;
}

grpc::Status ControlService::ActOnFailures(
    const grpc::ServerContext& context, const ferry::v1::FailureSelector& request,
    FailureAction action, ferry::v1::FailureActionResponse* response) {
  if (auto denied = Authorize(context); !denied.ok()) return denied;
  if (auto elsewhere =
          NeedWriter("failures reprocess/skip", request.integration());
      !elsewhere.ok()) {
    return elsewhere;
  }
  return ToGrpc(pipeline_->writer_service()->WithApplier(
      request.integration(), [&](ChangeApplier& applier) {
        auto done = (applier.*action)(request);
        if (!done.ok()) return done.status();
        *response = *std::move(done);
        return absl::OkStatus();
      }));
}

grpc::Status ControlService::ReprocessFailures(
    grpc::ServerContext* context, const ferry::v1::FailureSelector* request,
    ferry::v1::FailureActionResponse* response) {
  return ActOnFailures(*context, *request, &ChangeApplier::Reprocess, response);
}

grpc::Status ControlService::SkipFailures(
    grpc::ServerContext* context, const ferry::v1::FailureSelector* request,
    ferry::v1::FailureActionResponse* response) {
  return ActOnFailures(*context, *request, &ChangeApplier::Skip, response);
}

grpc::Status ControlService::GetLink(grpc::ServerContext* context,
                                     const ferry::v1::GetLinkRequest* request,
                                     ferry::v1::Link* response) {
  if (auto denied = Authorize(*context); !denied.ok()) return denied;
  if (auto elsewhere = NeedWriter("link show", request->integration());
      !elsewhere.ok()) {
    return elsewhere;
  }
  const IntegrationPlan* plan = nullptr;
  if (auto missing = Find(request->integration(), &plan); !missing.ok()) {
    return missing;
  }
  const std::string system = request->system().empty()
                                 ? plan->source_system.name()
                                 : request->system();
  auto link = pipeline_->store()->FindLink(
      {request->integration(), system, request->entity()});
  if (!link.ok()) return ToGrpc(link.status());
  if (link->has_value()) {
    *response = **link;
    return grpc::Status::OK;
  }
  // Not an id: look for the key people know ("OPS-12").
  bool found = false;
  absl::Status scanned = pipeline_->store()->ForEachLink(
      request->integration(), [&](const ferry::v1::Link& candidate) {
        found = (candidate.source_system() == system &&
                 candidate.source_key() == request->entity()) ||
                (candidate.target_system() == system &&
                 candidate.target_key() == request->entity());
        if (found) *response = candidate;
        return !found;
      });
  if (!scanned.ok()) return ToGrpc(scanned);
  if (!found) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("'", request->entity(), "' of ", system,
                                     " is not linked in integration '",
                                     request->integration(), "'"));
  }
  return grpc::Status::OK;
}

grpc::Status ControlService::ValidateConfig(
    grpc::ServerContext* context, const ferry::v1::ValidateConfigRequest* request,
    ferry::v1::ValidateConfigResponse* response) {
  if (auto denied = Authorize(*context); !denied.ok()) return denied;
  config::ValidationOptions options;
  options.system_kinds = ConnectorRegistry::Kinds();
  const auto loaded = config::LoadConfigText(
      request->yaml(),
      request->file_name().empty() ? "config.yaml" : request->file_name(),
      options);
  for (const auto& problem : loaded.problems) *response->add_problems() = problem;
  return grpc::Status::OK;
}

grpc::Status ControlService::CheckSystem(
    grpc::ServerContext* context, const ferry::v1::CheckSystemRequest* request,
    ferry::v1::CheckSystemResponse* response) {
  if (auto denied = Authorize(*context); !denied.ok()) return denied;
  Connector* connector = pipeline_->connector(request->system());
  if (connector == nullptr && !pipeline_->runs_readers() &&
      pipeline_->writer_service() == nullptr) {
    return grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        absl::StrCat("this ferryd runs the ", pipeline_->stage(),
                     " stage, which talks to no system; check acts on "
                     "connectors: point ferryctl at a reader or writer stage's "
                     "--control_listen"));
  }
  if (connector == nullptr) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("no system named '", request->system(), "'"));
  }
  // Every project an integration reads or writes in this system.
  std::vector<std::string> projects;
  for (const auto& [name, plan] : pipeline_->plans()) {
    for (const auto* endpoint : {&plan->config.source(), &plan->config.target()}) {
      if (endpoint->system() != request->system()) continue;
      for (const auto& project : endpoint->projects()) {
        if (std::find(projects.begin(), projects.end(), project) == projects.end()) {
          projects.push_back(project);
        }
      }
    }
  }
  auto checked = connector->CheckSystem(projects);
  if (!checked.ok()) return ToGrpc(checked.status());
  *response = *std::move(checked);
  return grpc::Status::OK;
}

grpc::Status ControlService::PreviewMapping(
    grpc::ServerContext* context, const ferry::v1::PreviewMappingRequest* request,
    ferry::v1::PreviewMappingResponse* response) {
  if (auto denied = Authorize(*context); !denied.ok()) return denied;
  if (auto elsewhere = NeedWriter("preview", request->integration());
      !elsewhere.ok()) {
    return elsewhere;
  }
  const IntegrationPlan* plan = nullptr;
  if (auto missing = Find(request->integration(), &plan); !missing.ok()) {
    return missing;
  }
  const std::string system = request->system().empty()
                                 ? plan->source_system.name()
                                 : request->system();
  const mapping::Mapper* mapper = plan->MapperFor(system);
  if (mapper == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        absl::StrCat("integration '", request->integration(),
                                     "' syncs no changes from '", system, "'"));
  }
  // Read the entity as the source shows it now (the writer of a system
  // can read its entities).
  auto source_writer = pipeline_->connector(system)->NewWriter(request->integration());
  if (!source_writer.ok()) return ToGrpc(source_writer.status());
  auto entity = (*source_writer)->Get(EntityRef{request->entity_id(), "", ""});
  if (!entity.ok()) return ToGrpc(entity.status());
  entity->set_system(system);
  ferry::v1::ChangeEvent change;
  *change.mutable_entity() = *entity;

  mapping::TargetSnapshot target;
  std::optional<ferry::v1::Entity> current;
  auto link = pipeline_->store()->FindLink({request->integration(), system, entity->id()});
  if (!link.ok()) return ToGrpc(link.status());
  if (link->has_value()) {
    const std::string other = plan->OtherSide(system).name();
    auto target_writer = pipeline_->connector(other)->NewWriter(request->integration());
    if (!target_writer.ok()) return ToGrpc(target_writer.status());
    auto got = (*target_writer)->Get(CounterpartOf(**link, system, entity->id()));
    if (!got.ok()) return ToGrpc(got.status());
    current = *std::move(got);
    target = SnapshotFromLink(**link, system, &*current);
  }
  const mapping::Preview preview = mapping::PreviewChange(
      *mapper, change, target, plan->config.conflict_policy(),
      plan->config.criteria().stop_when_unmatched());
  response->set_criteria(std::string(mapping::Explain(preview.criteria)));
  response->set_creating(preview.creating);
  response->set_target_lookup_query(preview.target_lookup_query);
  for (const auto& field : preview.fields) {
    ferry::v1::FieldPreview* out = response->add_fields();
    out->set_source_field(field.source_field);
    out->set_target_field(field.target_field);
    *out->mutable_source_value() = field.source_value;
    if (field.value.has_value()) *out->mutable_value() = *field.value;
    if (field.outcome.has_value()) {
      out->set_decision(absl::StrCat(mapping::IsWrite(*field.outcome) ? "write: " : "skip: ",
                                     mapping::Explain(*field.outcome)));
    }
    out->set_error(field.error);
  }
  response->set_text(mapping::PreviewToText(preview));
  return grpc::Status::OK;
}

}  // namespace ferry::engine
