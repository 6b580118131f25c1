#include "tools/servicenow_sim/table_api.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/servicenow_sim/errors.h"
#include "tools/servicenow_sim/record_json.h"
#include "tools/servicenow_sim/render.h"

namespace ferry::servicenow_sim {
namespace {

constexpr int64_t kDefaultLimit = 10000;

std::string Param(const httplib::Params& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

bool Flag(const httplib::Params& params, const std::string& name) {
  return absl::EqualsIgnoreCase(Param(params, name), "true");
}

int64_t Number(const httplib::Params& params, const std::string& name,
               int64_t fallback) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(Param(params, name), &value) || value < 0) {
    return fallback;
  }
  return value;
}

RenderOptions OptionsFor(const httplib::Params& req, const TableCall& call) {
  RenderOptions options;
  const std::string display = Param(req, "sysparm_display_value");
  if (absl::EqualsIgnoreCase(display, "true")) {
    options.display = DisplayMode::kDisplay;
  } else if (absl::EqualsIgnoreCase(display, "all")) {
    options.display = DisplayMode::kAll;
  }
  options.exclude_reference_link = Flag(req, "sysparm_exclude_reference_link");
  for (absl::string_view field :
       absl::StrSplit(Param(req, "sysparm_fields"), ',',
                      absl::SkipWhitespace())) {
    options.fields.emplace_back(absl::StripAsciiWhitespace(field));
  }
  options.base_url = call.base_url;
  return options;
}

std::string Encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, absl::StrFormat("%%%02X", c));
    }
  }
  return out;
}

// The request's URL with sysparm_offset/sysparm_limit set.
std::string PageUrl(const httplib::Request& req, const httplib::Params& query,
                    const TableCall& call, int64_t offset, int64_t limit) {
  std::vector<std::string> params;
  for (const auto& [name, value] : query) {
    if (name == "sysparm_offset" || name == "sysparm_limit") continue;
    params.push_back(Encode(name) + "=" + Encode(value));
  }
  params.push_back(absl::StrCat("sysparm_limit=", limit));
  params.push_back(absl::StrCat("sysparm_offset=", offset));
  return absl::StrCat("<", call.base_url, req.path, "?",
                      absl::StrJoin(params, "&"), ">");
}

std::string LinkHeader(const httplib::Request& req,
                       const httplib::Params& query, const TableCall& call,
                       int64_t offset, int64_t limit, int64_t page_size,
                       std::optional<int64_t> total) {
  std::vector<std::string> links;
  links.push_back(PageUrl(req, query, call, 0, limit) + ";rel=\"first\"");
  if (offset > 0) {
    links.push_back(PageUrl(req, query, call, std::max<int64_t>(0, offset - limit),
                            limit) + ";rel=\"prev\"");
  }
  const bool more = total ? offset + limit < *total : page_size == limit;
  if (more && limit > 0) {
    links.push_back(PageUrl(req, query, call, offset + limit, limit) +
                    ";rel=\"next\"");
  }
  if (total && limit > 0) {
    int64_t last = *total == 0 ? 0 : ((*total - 1) / limit) * limit;
    links.push_back(PageUrl(req, query, call, last, limit) + ";rel=\"last\"");
  }
  return absl::StrJoin(links, ",");
}

void WriteRow(httplib::Response& res, int status, const Tables& tables,
              const TableSchema& schema, const Record& row,
              const RenderOptions& options) {
  WriteJsonBody(res, status,
                {{"result", RenderRecord(tables, schema, row, options)}});
}

void ServeList(Store& store, const TableCall& call, const httplib::Request& req,
               const httplib::Params& params, httplib::Response& res) {
  if (!CanRead(call.caller, call.table)) {
    WriteError(res, 403, "User Not Authorized",
               absl::StrCat("Reading ", call.table, " needs the role ",
                            RoleToRead(call.table)));
    return;
  }
  const RenderOptions options = OptionsFor(params, call);
  const int64_t limit = Number(params, "sysparm_limit", kDefaultLimit);
  const int64_t offset = Number(params, "sysparm_offset", 0);
  const bool no_count = Flag(params, "sysparm_no_count");
  store.Read([&](const Tables& tables) {
    const TableSchema& schema = *tables.Schema(call.table);
    EncodedQuery query =
        EncodedQuery::Parse(Param(params, "sysparm_query"));
    for (const auto& [name, value] : params) {
      if (absl::StartsWith(name, "sysparm_") || !schema.Find(name)) continue;
      query.AddEquals(name,
                      tables.ValueForDisplay(schema, name, value).value_or(value));
    }
    const Tables::Selection selection =
        tables.Select(schema, query, {offset, limit, !no_count});
    nlohmann::json result = nlohmann::json::array();
    for (const Record* row : selection.rows) {
      result.push_back(RenderRecord(tables, schema, *row, options));
    }
    if (selection.total) {
      res.set_header("X-Total-Count", absl::StrCat(*selection.total));
    }
    res.set_header("Link", LinkHeader(req, params, call, offset, limit,
                                      static_cast<int64_t>(selection.rows.size()),
                                      selection.total));
    if (result.empty() && call.version == "v1") {
      WriteError(res, 404, "No Record found",
                 "Records matching query not found. Check query parameter "
                 "or offset parameter");
      return;
    }
    WriteJsonBody(res, 200, {{"result", std::move(result)}});
  });
}

void ServeOne(Store& store, const TableCall& call,
              const httplib::Params& params, httplib::Response& res) {
  const RenderOptions options = OptionsFor(params, call);
  store.Read([&](const Tables& tables) {
    const Record* row = tables.Find(call.table, call.sys_id);
    if (row == nullptr || !CanRead(call.caller, call.table)) {
      WriteNoRecord(res);
      return;
    }
    WriteRow(res, 200, tables, *tables.Schema(call.table), *row, options);
  });
}

// The posted columns, display values turned into values when asked.
absl::StatusOr<Record> WrittenColumns(Store& store, const TableCall& call,
                                      const httplib::Request& req,
                                      const httplib::Params& params) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    return absl::InvalidArgumentError("Exception while reading request");
  }
  absl::StatusOr<Record> columns = RecordFromJson(body);
  if (!columns.ok() || !Flag(params, "sysparm_input_display_value")) {
    return columns;
  }
  store.Read([&](const Tables& tables) {
    const TableSchema& schema = *tables.Schema(call.table);
    for (auto& [column, value] : *columns) {
      value = tables.ValueForDisplay(schema, column, value).value_or(value);
    }
  });
  return columns;
}

void ServeWrite(Store& store, const TableCall& call,
                const httplib::Request& req, const httplib::Params& params,
                httplib::Response& res) {
  const bool insert = req.method == "POST";
  if (!CanWrite(call.caller, call.table)) {
    WriteError(res, 403, "Operation Failed",
               absl::StrCat("ACL Exception ", insert ? "Insert" : "Update",
                            " Failed due to security constraints"));
    return;
  }
  absl::StatusOr<Record> columns = WrittenColumns(store, call, req, params);
  if (!columns.ok()) {
    WriteError(res, 400, "Exception while reading request",
               std::string(columns.status().message()));
    return;
  }
  WriteContext context{call.caller.sys_id, call.caller.user_name, call.now};
  absl::StatusOr<Record> saved =
      insert ? store.Insert(call.table, *std::move(columns), context)
             : store.Update(call.table, call.sys_id, *std::move(columns),
                            context);
  if (!saved.ok()) {
    WriteStatus(res, saved.status());
    return;
  }
  const int status = insert ? 201 : 200;
  if (insert) {
    res.set_header("Location", absl::StrCat(call.base_url, "/api/now/table/",
                                            call.table, "/",
                                            (*saved)["sys_id"]));
  }
  if (absl::EqualsIgnoreCase(req.get_header_value("X-no-response-body"),
                             "true")) {
    res.status = insert ? 201 : 204;
    return;
  }
  const RenderOptions options = OptionsFor(params, call);
  store.Read([&](const Tables& tables) {
    WriteRow(res, status, tables, *tables.Schema(call.table), *saved, options);
  });
}

void ServeDelete(Store& store, const TableCall& call, httplib::Response& res) {
  if (!CanWrite(call.caller, call.table)) {
    WriteError(res, 403, "Operation Failed",
               "ACL Exception Delete Failed due to security constraints");
    return;
  }
  absl::Status status = store.Delete(call.table, call.sys_id);
  if (!status.ok()) {
    WriteStatus(res, status);
    return;
  }
  res.status = 204;
}

bool AcceptsJson(const std::string& accept) {
  if (accept.empty()) return true;
  for (absl::string_view type : absl::StrSplit(accept, ',')) {
    type = absl::StripAsciiWhitespace(type.substr(0, type.find(';')));
    if (absl::EqualsIgnoreCase(type, "application/json") ||
        type == "*/*" || absl::EqualsIgnoreCase(type, "application/*")) {
      return true;
    }
  }
  return false;
}

// Writes the 400/406/415 of a request whose headers the Table API refuses.
bool HeadersRefused(const httplib::Request& req, httplib::Response& res) {
  if (!AcceptsJson(req.get_header_value("Accept"))) {
    WriteError(res, 406, "Not Acceptable",
               "The simulator answers application/json only: send "
               "Accept: application/json");
    return true;
  }
  if (req.method == "GET" || req.method == "DELETE") return false;
  const std::string type = req.get_header_value("Content-Type");
  if (type.empty()) {
    WriteError(res, 400, "Bad Request",
               "Content-Type is required: send Content-Type: application/json");
    return true;
  }
  if (!absl::StartsWithIgnoreCase(type, "application/json")) {
    WriteError(res, 415, "Unsupported Media Type",
               "Send the body as Content-Type: application/json");
    return true;
  }
  return false;
}

}  // namespace

httplib::Params QueryParams(const std::string& target) {
  httplib::Params params;
  const size_t question = target.find('?');
  if (question == std::string::npos) return params;
  for (absl::string_view pair : absl::StrSplit(
           absl::string_view(target).substr(question + 1), '&',
           absl::SkipEmpty())) {
    std::vector<absl::string_view> parts =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    params.emplace(
        httplib::detail::decode_url(std::string(parts[0]), true),
        httplib::detail::decode_url(
            parts.size() > 1 ? std::string(parts[1]) : "", true));
  }
  return params;
}

void ServeTable(Store& store, const TableCall& call,
                const httplib::Request& req, httplib::Response& res) {
  if (HeadersRefused(req, res)) return;
  bool known = store.Read([&](const Tables& tables) {
    return tables.Schema(call.table) != nullptr;
  });
  if (!known) {
    WriteStatus(res, InvalidTable(call.table));
    return;
  }
  const bool row = !call.sys_id.empty();
  const httplib::Params params = QueryParams(req.target);
  if (req.method == "GET") {
    row ? ServeOne(store, call, params, res)
        : ServeList(store, call, req, params, res);
  } else if (req.method == "POST" && !row) {
    ServeWrite(store, call, req, params, res);
  } else if ((req.method == "PUT" || req.method == "PATCH") && row) {
    ServeWrite(store, call, req, params, res);
  } else if (req.method == "DELETE" && row) {
    ServeDelete(store, call, res);
  } else {
    WriteError(res, 405, "Method not Supported",
               absl::StrCat(req.method, " is not supported on ", req.path));
  }
}

}  // namespace ferry::servicenow_sim
