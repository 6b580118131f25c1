#include "engine/stages/transformer_service.h"

#include <thread>

#include "absl/strings/str_cat.h"

namespace ferry::engine {

TransformerService::TransformerService(
    std::map<std::string, std::shared_ptr<const IntegrationPlan>> plans,
    WriterPicker writers)
    : plans_(std::move(plans)), writers_(std::move(writers)) {}

ferry::v1::WriteBatch TransformerService::Map(
    const IntegrationPlan& plan, const ferry::v1::ChangeBatch& batch) {
  ferry::v1::WriteBatch out;
  out.set_batch_id(batch.batch_id());
  out.set_integration(batch.integration());
  out.set_backfill(batch.backfill());
  const mapping::Mapper* mapper = plan.MapperFor(batch.source_system());
  for (const auto& change : batch.changes()) {
    ferry::v1::WriteIntent* intent = out.add_writes();
    if (mapper == nullptr) {
      *intent->mutable_change() = change;
      intent->set_mapping_error(absl::StrCat(
          "integration '", batch.integration(), "' does not sync changes of ",
          batch.source_system()));
      continue;
    }
    auto mapped = mapper->Map(change);
    if (mapped.ok()) {
      *intent = *std::move(mapped);
    } else {
      *intent->mutable_change() = change;
      intent->set_mapping_error(std::string(mapped.status().message()));
    }
  }
  return out;
}

grpc::Status TransformerService::Transform(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<ferry::v1::BatchAck, ferry::v1::ChangeBatch>*
        stream) {
  const auto& metadata = context->client_metadata();
  auto named = metadata.find(kIntegrationMetadata);
  if (named == metadata.end()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "the stream names no integration");
  }
  const std::string integration(named->second.data(), named->second.size());
  auto plan = plans_.find(integration);
  ferry::v1::Writer::StubInterface* writer = writers_(integration);
  if (plan == plans_.end() || writer == nullptr) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("unknown integration '", integration, "'"));
  }

  grpc::ClientContext downstream_context;
  auto downstream = writer->Write(&downstream_context);

  // Acks and credits flow back as the writer sends them.
  std::thread relay([&] {
    ferry::v1::BatchAck ack;
    while (downstream->Read(&ack)) {
      if (!stream->Write(ack)) break;
    }
    // One side is gone: end both streams, so neither waits forever.
    downstream_context.TryCancel();
    context->TryCancel();
  });

  ferry::v1::ChangeBatch batch;
  bool writer_open = true;
  while (writer_open && stream->Read(&batch)) {
    writer_open = downstream->Write(Map(*plan->second, batch));
  }
  downstream->WritesDone();
  const grpc::Status finished = [&] {
    relay.join();
    return downstream->Finish();
  }();
  return finished;
}

}  // namespace ferry::engine
