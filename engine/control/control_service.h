#pragma once

#include <functional>
#include <string>

#include "engine/runtime/pipeline_view.h"
#include "proto/control.grpc.pb.h"

namespace ferry::engine {

// The control API (proto/control.proto) over the stages this ferryd runs:
// what ferryctl calls. When `bearer_token` is not empty every call must
// carry `authorization: Bearer <token>` (UNAUTHENTICATED otherwise; the
// token is compared in constant time and never logged).
//
// What each kind of process answers:
//   embedded     everything.
//   reader       ListIntegrations, GetStatus (per partition: checkpoint,
//                lag, last poll, last error), Start/PauseIntegration,
//                SyncNow, Backfill, CheckSystem, ValidateConfig.
//   writer       ListIntegrations, GetStatus (written/skipped counts, last
//                sync, open failures and links of the integrations this
//                shard owns), ListFailures, Reprocess/SkipFailures, GetLink,
//                PreviewMapping, CheckSystem, ValidateConfig.
//   transformer  ListIntegrations, GetStatus (summaries only),
//                ValidateConfig.
// Any other call fails with FAILED_PRECONDITION naming this stage and the
// stage to ask instead; a writer's calls about an integration another
// writer shard owns fail the same way, naming that shard.
//
// Thread-safe; long calls (Backfill) stream progress. `pipeline` must
// outlive the service.
class ControlService final : public ferry::v1::Control::Service {
 public:
  ControlService(PipelineView* pipeline, std::string bearer_token);

  grpc::Status ListIntegrations(grpc::ServerContext* context,
                                const ferry::v1::ListIntegrationsRequest* request,
                                ferry::v1::ListIntegrationsResponse* response) override;
  grpc::Status GetStatus(grpc::ServerContext* context,
                         const ferry::v1::GetStatusRequest* request,
                         ferry::v1::GetStatusResponse* response) override;
  grpc::Status StartIntegration(grpc::ServerContext* context,
                                const ferry::v1::IntegrationRequest* request,
                                ferry::v1::IntegrationActionResponse* response) override;
  grpc::Status PauseIntegration(grpc::ServerContext* context,
                                const ferry::v1::IntegrationRequest* request,
                                ferry::v1::IntegrationActionResponse* response) override;
  grpc::Status SyncNow(grpc::ServerContext* context,
                       const ferry::v1::IntegrationRequest* request,
                       ferry::v1::IntegrationActionResponse* response) override;
  grpc::Status Backfill(grpc::ServerContext* context,
                        const ferry::v1::BackfillRequest* request,
                        grpc::ServerWriter<ferry::v1::BackfillProgress>* writer) override;
  grpc::Status ListFailures(grpc::ServerContext* context,
                            const ferry::v1::ListFailuresRequest* request,
                            ferry::v1::ListFailuresResponse* response) override;
  grpc::Status ReprocessFailures(grpc::ServerContext* context,
                                 const ferry::v1::FailureSelector* request,
                                 ferry::v1::FailureActionResponse* response) override;
  grpc::Status SkipFailures(grpc::ServerContext* context,
                            const ferry::v1::FailureSelector* request,
                            ferry::v1::FailureActionResponse* response) override;
  grpc::Status GetLink(grpc::ServerContext* context,
                       const ferry::v1::GetLinkRequest* request,
                       ferry::v1::Link* response) override;
  grpc::Status ValidateConfig(grpc::ServerContext* context,
                              const ferry::v1::ValidateConfigRequest* request,
                              ferry::v1::ValidateConfigResponse* response) override;
  grpc::Status CheckSystem(grpc::ServerContext* context,
                           const ferry::v1::CheckSystemRequest* request,
                           ferry::v1::CheckSystemResponse* response) override;
  grpc::Status PreviewMapping(grpc::ServerContext* context,
                              const ferry::v1::PreviewMappingRequest* request,
                              ferry::v1::PreviewMappingResponse* response) override;

 private:
  grpc::Status Authorize(const grpc::ServerContext& context) const;
  // OK when this process runs readers (NeedReaders) or a writer that owns
  // `integration` (NeedWriter; any, when empty); else FAILED_PRECONDITION
  // naming this stage, `call` and the stage or writer shard that answers it.
  grpc::Status NeedReaders(const std::string& call) const;
  grpc::Status NeedWriter(const std::string& call,
                          const std::string& integration) const;
  // The plan of an integration, or NOT_FOUND naming the known ones.
  grpc::Status Find(const std::string& integration,
                    const IntegrationPlan** plan) const;
  ferry::v1::IntegrationSummary Summary(const IntegrationPlan& plan);
  // Runs `action` on every reader of the requested integration and
  // answers with its summary; `call` names the call in messages.
  grpc::Status ForReaders(const grpc::ServerContext& context,
                          const std::string& call,
                          const ferry::v1::IntegrationRequest& request,
                          const std::function<void(PartitionReader&)>& action,
                          ferry::v1::IntegrationActionResponse* response);
  using FailureAction =
      absl::StatusOr<ferry::v1::FailureActionResponse> (ChangeApplier::*)(
          const ferry::v1::FailureSelector&);
  // Runs `action` on the integration's applier, on its worker thread.
  grpc::Status ActOnFailures(const grpc::ServerContext& context,
                             const ferry::v1::FailureSelector& request,
                             FailureAction action,
                             ferry::v1::FailureActionResponse* response);

  PipelineView* pipeline_;
  std::string bearer_token_;
};

}  // namespace ferry::engine
