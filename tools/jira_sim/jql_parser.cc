#include "tools/jira_sim/jql_parser.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/jira_sim/jql_lexer.h"

namespace ferry::jira_sim {
namespace {

using Kind = JqlToken::Kind;

constexpr char kValidOperators[] =
    "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', "
    "'IN', 'NOT IN', 'IS' and 'IS NOT'.";

class Parser {
 public:
  explicit Parser(std::vector<JqlToken> tokens) : tokens_(std::move(tokens)) {}

  absl::StatusOr<JqlAst> Run() {
    JqlAst ast;
    if (!AtEnd() && !AtOrderBy()) {
      absl::StatusOr<JqlNode> where = Or();
      if (!where.ok()) return where.status();
      ast.where = *std::move(where);
    }
    if (AtOrderBy()) {
      absl::Status sorted = OrderBy(&ast.order_by);
      if (!sorted.ok()) return sorted;
    }
    if (!AtEnd()) {
      return Error(
          absl::StrCat("Expecting either 'OR' or 'AND' but got '",
                       Peek().text, "'."),
          Peek());
    }
    return ast;
  }

 private:
  const JqlToken& Peek() const { return tokens_[i_]; }
  bool AtEnd() const { return Peek().kind == Kind::kEnd; }
  bool IsWord(const char* upper) const {
    return Peek().kind == Kind::kWord &&
           absl::AsciiStrToUpper(Peek().text) == upper;
  }
  bool AtOrderBy() const { return IsWord("ORDER"); }
  const JqlToken& Next() { return tokens_[i_++]; }

  static absl::Status Error(const std::string& what, const JqlToken& at) {
    return absl::InvalidArgumentError(
        absl::StrFormat("Error in the JQL Query: %s (line %d, character %d)",
                        what, at.line, at.position));
  }
  static absl::Status ErrorAtEnd(const std::string& what) {
    return absl::InvalidArgumentError(
        absl::StrCat("Error in the JQL Query: ", what));
  }

  absl::StatusOr<JqlNode> Or() { return Chain(Kind::kOr, JqlNode::Kind::kOr); }
  absl::StatusOr<JqlNode> And() {
    return Chain(Kind::kAnd, JqlNode::Kind::kAnd);
  }

  // Parses `operand {joiner operand}`, flattening into one node.
  absl::StatusOr<JqlNode> Chain(Kind joiner, JqlNode::Kind node_kind) {
    absl::StatusOr<JqlNode> first =
        joiner == Kind::kOr ? And() : Not();
    if (!first.ok() || Peek().kind != joiner) return first;
    JqlNode node;
    node.kind = node_kind;
    node.children.push_back(*std::move(first));
    while (Peek().kind == joiner) {
      Next();
      absl::StatusOr<JqlNode> more = joiner == Kind::kOr ? And() : Not();
      if (!more.ok()) return more.status();
      node.children.push_back(*std::move(more));
    }
    return node;
  }

  absl::StatusOr<JqlNode> Not() {
    if (Peek().kind == Kind::kNot) {
      Next();
      absl::StatusOr<JqlNode> inner = Not();
      if (!inner.ok()) return inner.status();
      JqlNode node;
      node.kind = JqlNode::Kind::kNot;
      node.children.push_back(*std::move(inner));
      return node;
    }
    if (Peek().kind == Kind::kLParen) {
      Next();
      absl::StatusOr<JqlNode> inner = Or();
      if (!inner.ok()) return inner.status();
      absl::Status closed = Expect(Kind::kRParen, ")");
      if (!closed.ok()) return closed;
      return inner;
    }
    return Clause();
  }

  absl::Status Expect(Kind kind, const char* symbol) {
    if (Peek().kind == kind) {
      Next();
      return absl::OkStatus();
    }
    if (AtEnd()) {
      return ErrorAtEnd(
          absl::StrCat("Expecting '", symbol, "' before the end of the query."));
    }
    return Error(
        absl::StrCat("Expecting '", symbol, "' but got '", Peek().text, "'."),
        Peek());
  }

  absl::StatusOr<std::string> FieldName() {
    if (AtEnd()) return ErrorAtEnd("Expecting a field name at the end of the query.");
    if (Peek().kind != Kind::kWord && Peek().kind != Kind::kString) {
      const std::string& got = Peek().text;
      return Error(absl::StrCat("Expecting a field name but got '", got,
                                "'. You must surround '", got,
                                "' in quotation marks to use it as a field "
                                "name."),
                   Peek());
    }
    return Next().text;
  }

  absl::StatusOr<JqlNode> Clause() {
    JqlNode node;
    JqlClause& clause = node.clause;
    clause.line = Peek().line;
    clause.position = Peek().position;
    absl::StatusOr<std::string> field = FieldName();
    if (!field.ok()) return field.status();
    clause.field = *std::move(field);
    absl::StatusOr<std::string> op = Operator();
    if (!op.ok()) return op.status();
    clause.op = *std::move(op);
    if (Peek().kind == Kind::kLParen) {
      Next();
      clause.list = true;
      while (true) {
        absl::StatusOr<JqlOperand> value = Operand();
        if (!value.ok()) return value.status();
        clause.values.push_back(*std::move(value));
        if (Peek().kind != Kind::kComma) break;
        Next();
      }
      absl::Status closed = Expect(Kind::kRParen, ")");
      if (!closed.ok()) return closed;
    } else {
      absl::StatusOr<JqlOperand> value = Operand();
      if (!value.ok()) return value.status();
      clause.values.push_back(*std::move(value));
    }
    return node;
  }

  absl::StatusOr<std::string> Operator() {
    if (AtEnd()) {
      return ErrorAtEnd(absl::StrCat(
          "Expecting operator before the end of the query. ", kValidOperators));
    }
    const JqlToken& token = Peek();
    if (token.kind == Kind::kOperator) return Next().text;
    std::string upper = absl::AsciiStrToUpper(token.text);
    if (token.kind == Kind::kWord && (upper == "IN" || upper == "IS")) {
      Next();
      if (upper == "IS" && Peek().kind == Kind::kNot) {
        Next();
        return std::string("IS NOT");
      }
      return upper;
    }
    if (token.kind == Kind::kNot) {
      Next();
      if (IsWord("IN")) {
        Next();
        return std::string("NOT IN");
      }
      return Error(absl::StrCat("Expecting operator but got '", token.text,
                                "'. ", kValidOperators),
                   token);
    }
    if (token.kind == Kind::kWord && (upper == "WAS" || upper == "CHANGED")) {
      return Error(absl::StrCat("The operator '", upper,
                                "' is not supported by the Jira simulator; "
                                "use '=', '!=', '<', '>', '<=', '>=', '~', "
                                "'IN', 'NOT IN', 'IS' or 'IS NOT'."),
                   token);
    }
    return Error(absl::StrCat("Expecting operator but got '", token.text,
                              "'. ", kValidOperators),
                 token);
  }

  absl::StatusOr<JqlOperand> Operand() {
    if (AtEnd()) {
      return ErrorAtEnd(
          "Expecting either a value, list or function before the end of the "
          "query.");
    }
    const JqlToken& token = Peek();
    if (token.kind != Kind::kWord && token.kind != Kind::kString) {
      return Error(absl::StrCat("Expecting either a value, list or function "
                                "but got '",
                                token.text, "'. You must surround '",
                                token.text,
                                "' in quotation marks to use it as a value."),
                   token);
    }
    Next();
    if (token.kind == Kind::kWord && Peek().kind == Kind::kLParen) {
      return Error(absl::StrCat("The function '", token.text,
                                "()' is not supported by the Jira simulator; "
                                "use a literal value."),
                   token);
    }
    JqlOperand operand;
    operand.text = token.text;
    operand.quoted = token.kind == Kind::kString;
    std::string upper = absl::AsciiStrToUpper(token.text);
    operand.empty = !operand.quoted && (upper == "EMPTY" || upper == "NULL");
    operand.line = token.line;
    operand.position = token.position;
    return operand;
  }

  absl::Status OrderBy(std::vector<JqlSort>* sorts) {
    Next();  // ORDER
    if (!IsWord("BY")) {
      if (AtEnd()) return ErrorAtEnd("Expecting 'BY' before the end of the query.");
      return Error(absl::StrCat("Expecting 'BY' but got '", Peek().text, "'."),
                   Peek());
    }
    Next();
    while (true) {
      JqlSort sort;
      sort.line = Peek().line;
      sort.position = Peek().position;
      absl::StatusOr<std::string> field = FieldName();
      if (!field.ok()) return field.status();
      sort.field = *std::move(field);
      if (IsWord("ASC") || IsWord("DESC")) {
        sort.descending = IsWord("DESC");
        Next();
      }
      sorts->push_back(std::move(sort));
      if (Peek().kind != Kind::kComma) return absl::OkStatus();
      Next();
    }
  }

  std::vector<JqlToken> tokens_;
  size_t i_ = 0;
};

}  // namespace

absl::StatusOr<JqlAst> ParseJql(const std::string& jql) {
  absl::StatusOr<std::vector<JqlToken>> tokens = TokenizeJql(jql);
  if (!tokens.ok()) return tokens.status();
  return Parser(*std::move(tokens)).Run();
}

}  // namespace ferry::jira_sim
