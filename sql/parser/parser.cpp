#include "sql/parser/parser.hpp"

#include <strings.h>
#include <charconv>
#include <cstring>
#include <limits>

#include "sql/column.hpp"
#include "sql/errors.hpp"
#include "sql/expression/decimal.hpp"
#include "sql/expression/function_registry.hpp"
#include "sql/io/read_options.hpp"
#include "sql/parser/lexer.hpp"
#include "sql/parser/syntax_error.hpp"
#include "sql/types/date_time.hpp"

namespace ember::sql {

namespace {

/// Words that end an expression or a relation: they are never taken as an
/// implicit alias ("FROM t WHERE ..." is not t aliased WHERE) or a column.
bool isReserved(const Token& t) {
  static constexpr const char* kReserved[] = {
      "SELECT", "FROM",    "WHERE",     "GROUP",  "ORDER", "HAVING", "LIMIT",    "UNION",
      "EXCEPT", "MINUS",   "INTERSECT", "JOIN",   "INNER", "LEFT",   "RIGHT",    "FULL",
      "CROSS",  "NATURAL", "SEMI",      "ANTI",   "ON",    "USING",  "AS",       "AND",
      "OR",     "NOT",     "IS",        "IN",     "LIKE",  "RLIKE",  "REGEXP",   "BETWEEN",
      "CASE",   "WHEN",    "THEN",      "ELSE",   "END",   "ALL",    "DISTINCT", "WITH",
      "OVER",   "WINDOW",  "LATERAL",   "ESCAPE", "BY"};
  if (t.kind != TokenKind::kWord) return false;
  for (const char* w : kReserved)
    if (t.isWord(w)) return true;
  return false;
}

/// INTERVAL n unit, as months and days (ember's dates take no finer unit).
struct Interval {
  int32_t months = 0;
  int32_t days = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view sql) : sql_(sql), tokens_(tokenize(sql)) {}

  Statement statement() {
    Statement s;
    if (accept("EXPLAIN")) {
      s.kind = StatementKind::kExplain;
      s.extended = accept("EXTENDED");
      s.query = query();
    } else if (accept("CREATE")) {
      create(s);
    } else if (accept("DROP")) {
      drop(s);
    } else if (accept("SHOW")) {
      expect("TABLES");
      s.kind = StatementKind::kShowTables;
      if (accept("IN") || accept("FROM")) s.name = qualifiedName();
    } else if (accept("DESCRIBE") || accept("DESC")) {
      accept("TABLE");
      s.kind = StatementKind::kDescribe;
      s.name = qualifiedName();
    } else {
      s.query = query();
    }
    acceptSymbol(";");
    expectEnd();
    return s;
  }

  ExprPtr selectExpression() {
    ExprPtr e = selectItem();
    expectEnd();
    return e;
  }

 private:
  // ---- Tokens ----
  const Token& peek(size_t ahead = 0) const {
    return tokens_[std::min(at_ + ahead, tokens_.size() - 1)];
  }
  const Token& advance() { return tokens_[at_ < tokens_.size() - 1 ? at_++ : at_]; }
  bool accept(const char* word) {
    if (!peek().isWord(word)) return false;
    advance();
    return true;
  }
  bool acceptSymbol(const char* s) {
    if (!peek().isSymbol(s)) return false;
    advance();
    return true;
  }
  void expect(const char* word) {
    if (!accept(word)) fail(std::string("expected ") + word);
  }
  void expectSymbol(const char* s) {
    if (!acceptSymbol(s)) fail(std::string("expected '") + s + "'");
  }
  void expectEnd() {
    if (peek().kind != TokenKind::kEnd) fail("expected the end of the statement");
  }
  [[noreturn]] void fail(const std::string& detail) const { failAt(peek(), detail); }
  [[noreturn]] void failAt(const Token& t, const std::string& detail) const {
    throwSyntaxError(sql_, t.offset, t.length, detail);
  }
  /// Whether a query (not an expression or a relation) starts here.
  bool atQuery() const {
    size_t ahead = 0;
    while (peek(ahead).isSymbol("(")) ++ahead;
    return peek(ahead).isWord("SELECT") || peek(ahead).isWord("WITH") ||
           peek(ahead).isWord("TABLE");
  }

  // ---- Names ----
  bool atName() const {
    return peek().kind == TokenKind::kQuoted ||
           (peek().kind == TokenKind::kWord && !isReserved(peek()));
  }
  std::string identifier() {
    if (!atName()) fail("expected a name");
    return advance().text;
  }
  std::string qualifiedName() {
    std::string name = identifier();
    while (acceptSymbol(".")) name += "." + identifier();
    return name;
  }
  /// [AS] alias, or empty.
  std::string optionalAlias() {
    if (accept("AS")) return identifier();
    return atName() ? identifier() : std::string();
  }
  std::vector<std::string> nameList() {
    expectSymbol("(");
    std::vector<std::string> names;
    do names.push_back(identifier());
    while (acceptSymbol(","));
    expectSymbol(")");
    return names;
  }

  // ---- Commands ----
  void create(Statement& s) {
    s.orReplace = accept("OR") ? (expect("REPLACE"), true) : false;
    s.global = accept("GLOBAL");
    if (accept("TEMP") || accept("TEMPORARY")) {
      expect("VIEW");
      s.kind = StatementKind::kCreateView;
      s.ifExists = ifNotExists();
      s.name = qualifiedName();
      expect("AS");
      s.query = query();
      return;
    }
    if (s.global || !accept("TABLE"))
      fail(s.global ? "expected TEMPORARY VIEW" : "expected TEMPORARY VIEW or TABLE");
    s.kind = StatementKind::kCreateTable;
    s.ifExists = ifNotExists();
    s.name = qualifiedName();
    if (peek().isSymbol("(")) s.schema = parenthesizedText();
    expect("USING");
    s.source = lowerCase(identifier());
    if (accept("OPTIONS")) s.options = optionList();
    if (accept("LOCATION")) s.location = stringLiteralText();
  }

  bool ifNotExists() {
    if (!accept("IF")) return false;
    expect("NOT");
    expect("EXISTS");
    return true;
  }

  void drop(Statement& s) {
    if (accept("VIEW")) {
      s.kind = StatementKind::kDropView;
    } else {
      expect("TABLE");
      s.kind = StatementKind::kDropTable;
    }
    if (accept("IF")) {
      expect("EXISTS");
      s.ifExists = true;
    }
    s.name = qualifiedName();
  }

  /// The text between a '(' here and its matching ')', as written.
  std::string parenthesizedText() {
    const Token& open = advance();
    int depth = 1;
    while (depth > 0) {
      if (peek().kind == TokenKind::kEnd) failAt(open, "the parenthesis is not closed");
      if (peek().isSymbol("(")) ++depth;
      if (peek().isSymbol(")")) --depth;
      if (depth > 0) advance();
    }
    const size_t begin = open.offset + 1;
    const std::string text(sql_.substr(begin, advance().offset - begin));
    return text;
  }

  std::string stringLiteralText() {
    if (peek().kind != TokenKind::kString) fail("expected a 'string'");
    return advance().text;
  }

  /// OPTIONS (key [=] value, ...): keys are names (dotted) or strings.
  std::vector<std::pair<std::string, std::string>> optionList() {
    expectSymbol("(");
    std::vector<std::pair<std::string, std::string>> options;
    do {
      std::string key = peek().kind == TokenKind::kString ? advance().text : qualifiedName();
      acceptSymbol("=");
      const Token& v = peek();
      if (v.kind != TokenKind::kString && v.kind != TokenKind::kNumber &&
          v.kind != TokenKind::kWord)
        fail("expected the option's value");
      options.emplace_back(std::move(key), advance().text);
    } while (acceptSymbol(","));
    expectSymbol(")");
    return options;
  }

  // ---- Queries ----
  QueryPtr query() {
    std::vector<CommonTableExpr> with;
    if (accept("WITH")) {
      do with.push_back(commonTableExpr());
      while (acceptSymbol(","));
    }
    QueryPtr body = setOperations();
    std::vector<ExprPtr> orderBy;
    if (accept("ORDER") || accept("SORT")) {
      expect("BY");
      do orderBy.push_back(sortItem());
      while (acceptSymbol(","));
    }
    std::optional<int64_t> limit;
    if (accept("LIMIT")) limit = limitCount();
    if (with.empty() && orderBy.empty() && !limit) return body;
    // ORDER BY and LIMIT of a SELECT block see its columns and aliases; over
    // a block that has its own already (a parenthesized query), they apply
    // to its result.
    std::shared_ptr<QueryNode> q;
    if (!body->orderBy.empty() || body->limit || (!body->with.empty() && !with.empty())) {
      q = std::make_shared<QueryNode>();
      q->select = {makeColumn("*")};
      auto from = std::make_shared<TableRef>();
      from->kind = TableRefKind::kSubquery;
      from->query = body;
      q->from = {from};
    } else {
      q = std::make_shared<QueryNode>(*body);
    }
    if (!with.empty()) q->with = std::move(with);
    q->orderBy = std::move(orderBy);
    q->limit = limit;
    return q;
  }

  CommonTableExpr commonTableExpr() {
    CommonTableExpr cte;
    cte.name = identifier();
    if (peek().isSymbol("(")) cte.columns = nameList();
    expect("AS");
    expectSymbol("(");
    cte.query = query();
    expectSymbol(")");
    return cte;
  }

  int64_t limitCount() {
    const Token& t = peek();
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n);
    if (t.kind != TokenKind::kNumber || ec != std::errc() || end != t.text.data() + t.text.size() ||
        n < 0)
      fail("LIMIT takes a count of rows, a non-negative integer");
    advance();
    return n;
  }

  ExprPtr sortItem() {
    ExprPtr e = expression();
    bool ascending = true;
    if (accept("DESC")) {
      ascending = false;
    } else {
      accept("ASC");
    }
    bool nullsFirst = ascending;
    if (accept("NULLS")) {
      if (accept("FIRST")) {
        nullsFirst = true;
      } else {
        expect("LAST");
        nullsFirst = false;
      }
    }
    return makeSortOrder(e, ascending, nullsFirst);
  }

  static QueryPtr setOperation(SetOperation op, bool all, QueryPtr left, QueryPtr right) {
    auto q = std::make_shared<QueryNode>();
    q->op = op;
    q->all = all;
    q->left = std::move(left);
    q->right = std::move(right);
    return q;
  }

  /// UNION and EXCEPT, left to right, over INTERSECTs, which bind tighter.
  QueryPtr setOperations() {
    QueryPtr left = intersections();
    for (;;) {
      SetOperation op;
      if (accept("UNION")) {
        op = SetOperation::kUnion;
      } else if (accept("EXCEPT") || accept("MINUS")) {
        op = SetOperation::kExcept;
      } else {
        return left;
      }
      const bool all = accept("ALL");
      if (!all) accept("DISTINCT");
      left = setOperation(op, all, left, intersections());
    }
  }

  QueryPtr intersections() {
    QueryPtr left = queryPrimary();
    while (accept("INTERSECT")) {
      const bool all = accept("ALL");
      if (!all) accept("DISTINCT");
      left = setOperation(SetOperation::kIntersect, all, left, queryPrimary());
    }
    return left;
  }

  QueryPtr queryPrimary() {
    if (accept("SELECT")) return selectBlock();
    if (acceptSymbol("(")) {
      QueryPtr q = query();
      expectSymbol(")");
      return q;
    }
    if (accept("TABLE")) {
      auto q = std::make_shared<QueryNode>();
      q->select = {makeColumn("*")};
      q->from = {tableName()};
      return q;
    }
    fail("expected SELECT");
  }

  QueryPtr selectBlock() {
    auto q = std::make_shared<QueryNode>();
    if (accept("DISTINCT")) {
      q->distinct = true;
    } else {
      accept("ALL");
    }
    do q->select.push_back(selectItem());
    while (acceptSymbol(","));
    if (accept("FROM")) {
      do q->from.push_back(relation());
      while (acceptSymbol(","));
    }
    if (accept("WHERE")) q->where = expression();
    if (accept("GROUP")) {
      expect("BY");
      do q->groupBy.push_back(expression());
      while (acceptSymbol(","));
    }
    if (accept("HAVING")) q->having = expression();
    return q;
  }

  ExprPtr selectItem() {
    if (acceptSymbol("*")) return makeColumn("*");
    if (atName() && peek(1).isSymbol(".") && peek(2).isSymbol("*")) {
      std::string qualifier = advance().text;
      advance();
      advance();
      return makeColumn(qualifier + ".*");
    }
    ExprPtr e = expression();
    const std::string alias = optionalAlias();
    return alias.empty() ? e : makeAlias(e, alias);
  }

  // ---- Relations ----
  TableRefPtr relation() {
    TableRefPtr left = primaryRelation();
    for (;;) {
      auto join = std::make_shared<TableRef>();
      join->kind = TableRefKind::kJoin;
      join->natural = accept("NATURAL");
      if (!joinKeyword(*join)) {
        if (join->natural) fail("expected JOIN");
        return left;
      }
      join->left = left;
      join->right = primaryRelation();
      if (!join->natural && join->joinType != JoinType::kCross) {
        if (accept("ON")) {
          join->condition = expression();
        } else if (accept("USING")) {
          join->usingColumns = nameList();
        }
      }
      left = join;
    }
  }

  /// [INNER | CROSS | LEFT [OUTER | SEMI | ANTI] | RIGHT [OUTER] | FULL
  /// [OUTER] | SEMI | ANTI] JOIN, setting the join's type.
  bool joinKeyword(TableRef& join) {
    JoinType t = JoinType::kInner;
    if (accept("CROSS")) {
      t = JoinType::kCross;
    } else if (accept("INNER")) {
    } else if (accept("LEFT")) {
      t = accept("SEMI") ? JoinType::kLeftSemi
                         : (accept("ANTI") ? JoinType::kLeftAnti : JoinType::kLeftOuter);
      if (t == JoinType::kLeftOuter) accept("OUTER");
    } else if (accept("RIGHT")) {
      accept("OUTER");
      t = JoinType::kRightOuter;
    } else if (accept("FULL")) {
      accept("OUTER");
      t = JoinType::kFullOuter;
    } else if (accept("SEMI")) {
      t = JoinType::kLeftSemi;
    } else if (accept("ANTI")) {
      t = JoinType::kLeftAnti;
    } else if (!peek().isWord("JOIN")) {
      return false;
    }
    expect("JOIN");
    join.joinType = t;
    return true;
  }

  TableRefPtr primaryRelation() {
    if (peek().isSymbol("(")) {
      if (!atQuery()) {
        advance();
        TableRefPtr r = relation();
        expectSymbol(")");
        return r;
      }
      auto sub = std::make_shared<TableRef>();
      sub->kind = TableRefKind::kSubquery;
      sub->offset = peek().offset;
      advance();
      sub->query = query();
      expectSymbol(")");
      aliases(*sub);
      return sub;
    }
    return tableName();
  }

  TableRefPtr tableName() {
    auto t = std::make_shared<TableRef>();
    t->offset = peek().offset;
    t->name = qualifiedName();
    t->length = tokens_[at_ - 1].offset + tokens_[at_ - 1].length - t->offset;
    aliases(*t);
    return t;
  }

  void aliases(TableRef& r) {
    r.alias = optionalAlias();
    if (!r.alias.empty() && peek().isSymbol("(")) r.columnAliases = nameList();
  }

  // ---- Expressions, lowest precedence first ----
  ExprPtr expression() { return disjunction(); }

  ExprPtr disjunction() {
    ExprPtr left = conjunction();
    while (accept("OR")) left = makeBinary(Op::kOr, left, conjunction());
    return left;
  }

  ExprPtr conjunction() {
    ExprPtr left = negation();
    while (accept("AND")) left = makeBinary(Op::kAnd, left, negation());
    return left;
  }

  ExprPtr negation() {
    if (accept("NOT") || acceptSymbol("!")) return makeUnary(Op::kNot, negation());
    return predicate();
  }

  ExprPtr predicate() {
    ExprPtr left = comparison();
    for (;;) {
      if (accept("IS")) {
        left = isPredicate(left);
        continue;
      }
      const size_t before = at_;
      const bool negated = accept("NOT");
      ExprPtr p = rangeOrPattern(left);
      if (!p) {
        at_ = before;
        return left;
      }
      left = negated ? makeUnary(Op::kNot, p) : p;
    }
  }

  /// After IS: [NOT] NULL, [NOT] TRUE / FALSE, [NOT] DISTINCT FROM x.
  ExprPtr isPredicate(const ExprPtr& left) {
    const bool negated = accept("NOT");
    if (accept("NULL")) return makeUnary(negated ? Op::kIsNotNull : Op::kIsNull, left);
    ExprPtr e;
    if (accept("TRUE") || accept("FALSE")) {
      const bool value = tokens_[at_ - 1].isWord("TRUE");
      e = makeBinary(Op::kEqNullSafe, left, makeLiteral(Value::boolean(value)));
    } else if (accept("DISTINCT")) {
      expect("FROM");
      e = makeUnary(Op::kNot, makeBinary(Op::kEqNullSafe, left, comparison()));
    } else {
      fail("expected NULL, TRUE, FALSE or DISTINCT FROM after IS");
    }
    return negated ? makeUnary(Op::kNot, e) : e;
  }

  /// BETWEEN, IN, LIKE or RLIKE after `left`, or null if none follows.
  ExprPtr rangeOrPattern(const ExprPtr& left) {
    if (accept("BETWEEN")) {
      ExprPtr low = additive();
      expect("AND");
      return Column(left).between(Column(low), Column(additive())).expr();
    }
    if (accept("IN")) return inPredicate(left);
    if (accept("LIKE")) return makeFunction("like", {left, additive()});
    if (accept("RLIKE") || accept("REGEXP")) return makeFunction("rlike", {left, additive()});
    return nullptr;
  }

  ExprPtr inPredicate(const ExprPtr& left) {
    if (atQuery()) {
      expectSymbol("(");
      ExprPtr e = subquery("in", query());
      expectSymbol(")");
      auto in = std::make_shared<Expr>(*e);
      in->children = {left};
      return in;
    }
    expectSymbol("(");
    std::vector<Column> values;
    do values.emplace_back(expression());
    while (acceptSymbol(","));
    expectSymbol(")");
    return Column(left).isin(values).expr();
  }

  ExprPtr comparison() {
    ExprPtr left = additive();
    for (;;) {
      Op op;
      if (acceptSymbol("=") || acceptSymbol("==")) {
        op = Op::kEq;
      } else if (acceptSymbol("<>") || acceptSymbol("!=")) {
        op = Op::kNe;
      } else if (acceptSymbol("<=>")) {
        op = Op::kEqNullSafe;
      } else if (acceptSymbol("<=")) {
        op = Op::kLe;
      } else if (acceptSymbol(">=")) {
        op = Op::kGe;
      } else if (acceptSymbol("<")) {
        op = Op::kLt;
      } else if (acceptSymbol(">")) {
        op = Op::kGt;
      } else {
        return left;
      }
      left = makeBinary(op, left, additive());
    }
  }

  ExprPtr additive() {
    ExprPtr left = multiplicative();
    for (;;) {
      if (acceptSymbol("||")) {
        left = makeFunction("concat", {left, multiplicative()});
        continue;
      }
      const bool plus = peek().isSymbol("+");
      if (!plus && !peek().isSymbol("-")) return left;
      advance();
      if (peek().isWord("INTERVAL")) {
        left = shiftedByInterval(left, plus ? 1 : -1);
      } else {
        left = makeBinary(plus ? Op::kAdd : Op::kSub, left, multiplicative());
      }
    }
  }

  ExprPtr multiplicative() {
    ExprPtr left = unary();
    for (;;) {
      Op op;
      if (acceptSymbol("*")) {
        op = Op::kMul;
      } else if (acceptSymbol("/")) {
        op = Op::kDiv;
      } else if (acceptSymbol("%")) {
        op = Op::kMod;
      } else {
        return left;
      }
      left = makeBinary(op, left, unary());
    }
  }

  ExprPtr unary() {
    if (acceptSymbol("+")) return unary();
    if (acceptSymbol("-")) {
      if (peek().kind == TokenKind::kNumber) return number(true);
      return makeUnary(Op::kNegate, unary());
    }
    return primary();
  }

  ExprPtr primary() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::kNumber:
        return number(false);
      case TokenKind::kString:
        return makeLiteral(Value::string(strings()));
      case TokenKind::kQuoted:
        return columnReference();
      case TokenKind::kSymbol:
        if (t.isSymbol("(")) return parenthesized();
        fail("expected an expression");
      case TokenKind::kEnd:
        fail("expected an expression");
      case TokenKind::kWord:
        break;
    }
    if (ExprPtr e = keywordExpression()) return e;
    if (peek(1).isSymbol("(")) return functionCall();
    if (isReserved(t)) fail("expected an expression");
    return columnReference();
  }

  /// Adjacent string literals, concatenated: 'a' 'b' is 'ab'.
  std::string strings() {
    std::string s;
    while (peek().kind == TokenKind::kString) s += advance().text;
    return s;
  }

  ExprPtr parenthesized() {
    if (atQuery()) {
      advance();
      ExprPtr e = subquery("scalar", query());
      expectSymbol(")");
      return e;
    }
    advance();
    ExprPtr e = expression();
    expectSymbol(")");
    return e;
  }

  static ExprPtr subquery(const char* kind, QueryPtr q) {
    auto e = std::make_shared<Expr>();
    e->kind = ExprKind::kSubquery;
    e->name = kind;
    e->subquery = std::move(q);
    return e;
  }

  /// The forms a keyword starts: NULL, TRUE, FALSE, DATE '...', TIMESTAMP
  /// '...', CASE, CAST, EXTRACT, EXISTS; null for any other word.
  ExprPtr keywordExpression() {
    if (accept("NULL")) return makeLiteral(Value::null());
    if (accept("TRUE")) return makeLiteral(Value::boolean(true));
    if (accept("FALSE")) return makeLiteral(Value::boolean(false));
    if (peek(1).kind == TokenKind::kString && (peek().isWord("DATE") || peek().isWord("TIMESTAMP")))
      return typedLiteral();
    if (accept("CASE")) return caseExpression();
    if ((peek().isWord("CAST") || peek().isWord("TRY_CAST")) && peek(1).isSymbol("(")) {
      advance();
      return castExpression();
    }
    if (peek().isWord("EXTRACT") && peek(1).isSymbol("(")) {
      advance();
      return extractExpression();
    }
    if (peek().isWord("EXISTS") && peek(1).isSymbol("(")) {
      advance();
      advance();
      ExprPtr e = subquery("exists", query());
      expectSymbol(")");
      return e;
    }
    if (peek().isWord("INTERVAL"))
      fail("an INTERVAL is only added to or subtracted from a date here");
    return nullptr;
  }

  ExprPtr typedLiteral() {
    const bool date = advance().isWord("DATE");
    const Token& text = peek();
    if (date) {
      if (const auto d = parseDate(text.text)) {
        advance();
        return makeLiteral(Value::date(*d));
      }
      fail("not a date: DATE takes 'yyyy-mm-dd'");
    }
    if (const auto ts = parseTimestamp(text.text)) {
      advance();
      return makeLiteral(Value::timestamp(*ts));
    }
    fail("not a timestamp: TIMESTAMP takes 'yyyy-mm-dd hh:mm:ss[.ffffff]'");
  }

  /// CASE [operand] WHEN ... THEN ... [ELSE ...] END.
  ExprPtr caseExpression() {
    ExprPtr operand;
    if (!peek().isWord("WHEN")) operand = expression();
    std::vector<ExprPtr> branches;
    while (accept("WHEN")) {
      ExprPtr when = expression();
      branches.push_back(operand ? makeBinary(Op::kEq, operand, when) : when);
      expect("THEN");
      branches.push_back(expression());
    }
    if (branches.empty()) fail("expected WHEN");
    if (accept("ELSE")) branches.push_back(expression());
    expect("END");
    return makeCaseWhen(std::move(branches));
  }

  ExprPtr castExpression() {
    expectSymbol("(");
    ExprPtr e = expression();
    expect("AS");
    const DataType type = dataType();
    expectSymbol(")");
    return makeCast(e, type);
  }

  /// A type name with its parameters, DECIMAL(15, 2), VARCHAR(25).
  DataType dataType() {
    const Token& start = peek();
    std::string text = lowerCase(identifier());
    if (peek().isSymbol("(")) {
      const std::string args = parenthesizedText();
      // CHAR(n) and VARCHAR(n) are strings, their length unchecked as Spark's.
      if (text != "char" && text != "varchar") text += "(" + args + ")";
    } else if (text == "char") {
      text = "string";
    }
    try {
      return DataType::fromString(text);
    } catch (const Error& e) {  // an unknown name, or DECIMAL(p, s) out of range
      failAt(start, e.what());
    }
  }

  /// EXTRACT(field FROM date): YEAR, MONTH, DAY.
  ExprPtr extractExpression() {
    expectSymbol("(");
    const Token& field = peek();
    const std::string f = lowerCase(identifier());
    expect("FROM");
    ExprPtr from = expression();
    expectSymbol(")");
    if (f == "year" || f == "years") return makeFunction("year", {from});
    if (f == "month" || f == "months") return makeFunction("month", {from});
    if (f == "day" || f == "days") return makeFunction("dayofmonth", {from});
    failAt(field, "EXTRACT takes YEAR, MONTH or DAY");
  }

  ExprPtr functionCall() {
    const Token& nameToken = advance();
    std::string name = lowerCase(nameToken.text);
    advance();  // (
    if (name == "count" && acceptSymbol("*")) {
      expectSymbol(")");
      const ExprPtr count = makeAggregate("count", {makeColumn("*")});
      return accept("OVER") ? windowOver(count) : count;
    }
    const bool distinct = accept("DISTINCT");
    if (!distinct) accept("ALL");
    std::vector<ExprPtr> args;
    if (!peek().isSymbol(")")) {
      do args.push_back(expression());
      while (acceptSymbol(","));
      if ((name == "substring" || name == "substr") && args.size() == 1)
        args = substringFrom(args[0]);
    }
    expectSymbol(")");
    ExprPtr call = namedCall(std::move(name), std::move(args));
    if (distinct) {
      if (call->kind != ExprKind::kAggregate)
        failAt(nameToken, "DISTINCT is only allowed in an aggregate function");
      auto d = std::make_shared<Expr>(*call);
      d->distinct = true;
      call = d;
    }
    return accept("OVER") ? windowOver(call) : call;
  }

  /// OVER ([PARTITION BY ...] [ORDER BY ...] [ROWS | RANGE frame]).
  ExprPtr windowOver(const ExprPtr& function) {
    expectSymbol("(");
    std::vector<ExprPtr> partition, orders;
    if (accept("PARTITION") || accept("DISTRIBUTE")) {
      expect("BY");
      do partition.push_back(expression());
      while (acceptSymbol(","));
    }
    if (accept("ORDER") || accept("SORT")) {
      expect("BY");
      do orders.push_back(sortItem());
      while (acceptSymbol(","));
    }
    WindowFrame frame;
    if (peek().isWord("ROWS") || peek().isWord("RANGE")) frame = windowFrame();
    expectSymbol(")");
    return makeWindow(function, partition, orders, frame);
  }

  /// ROWS | RANGE, then BETWEEN bound AND bound, or one bound (to CURRENT ROW).
  WindowFrame windowFrame() {
    WindowFrame frame;
    frame.type = advance().isWord("ROWS") ? WindowFrame::Type::kRows : WindowFrame::Type::kRange;
    frame.specified = true;
    if (accept("BETWEEN")) {
      frame.lower = frameBound();
      expect("AND");
      frame.upper = frameBound();
    } else {
      frame.lower = frameBound();
      frame.upper = WindowFrame::kCurrentRow;
    }
    return frame;
  }

  /// UNBOUNDED PRECEDING | UNBOUNDED FOLLOWING | CURRENT ROW | n PRECEDING | n FOLLOWING.
  int64_t frameBound() {
    if (accept("UNBOUNDED")) {
      if (accept("PRECEDING")) return WindowFrame::kUnboundedPreceding;
      expect("FOLLOWING");
      return WindowFrame::kUnboundedFollowing;
    }
    if (accept("CURRENT")) {
      expect("ROW");
      return WindowFrame::kCurrentRow;
    }
    const Token& t = peek();
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n);
    if (t.kind != TokenKind::kNumber || ec != std::errc() || end != t.text.data() + t.text.size())
      fail("expected a frame bound: UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, ...");
    advance();
    if (accept("PRECEDING")) return -n;
    expect("FOLLOWING");
    return n;
  }

  /// SUBSTRING(str FROM pos [FOR len]).
  std::vector<ExprPtr> substringFrom(ExprPtr str) {
    expect("FROM");
    std::vector<ExprPtr> args = {std::move(str), expression()};
    args.push_back(accept("FOR")
                       ? expression()
                       : makeLiteral(Value::integer(std::numeric_limits<int32_t>::max())));
    return args;
  }

  /// A function by its SQL name (an aggregate, a window function or a
  /// scalar one); Spark's synonyms and the functions SQL writes through
  /// others (if, nvl, nullif) become ember's calls.
  static ExprPtr namedCall(std::string name, std::vector<ExprPtr> args) {
    if (name == "if" && args.size() == 3) return makeCaseWhen(std::move(args));
    if ((name == "nvl" || name == "ifnull") && args.size() == 2) name = "coalesce";
    if (name == "nullif" && args.size() == 2)
      return makeCaseWhen(
          {makeBinary(Op::kEq, args[0], args[1]), makeLiteral(Value::null()), args[0]});
    if (name == "substr") name = "substring";
    if (name == "day") name = "dayofmonth";
    if (name == "ucase") name = "upper";
    if (name == "lcase") name = "lower";
    if (name == "char_length" || name == "character_length") name = "length";
    return callByName(name, std::move(args));
  }

  ExprPtr columnReference() {
    std::string name = identifier();
    while (peek().isSymbol(".") &&
           (peek(1).kind == TokenKind::kWord || peek(1).kind == TokenKind::kQuoted)) {
      advance();
      name += "." + advance().text;
    }
    return makeColumn(std::move(name));
  }

  // ---- Literals ----
  /// A numeric literal typed as Spark types it: an integer is INT, else
  /// BIGINT, else DECIMAL; a fraction is DECIMAL(p, s); an exponent DOUBLE;
  /// suffixes L (BIGINT), S and Y (INT here), D and F (DOUBLE), BD (DECIMAL).
  ExprPtr number(bool negative) {
    const Token& t = advance();
    std::string digits = t.text;
    std::string suffix;
    while (!digits.empty() && std::isalpha(static_cast<unsigned char>(digits.back()))) {
      suffix.insert(suffix.begin(), static_cast<char>(std::toupper(digits.back())));
      digits.pop_back();
    }
    if (negative) digits.insert(digits.begin(), '-');
    const bool fraction = digits.find('.') != std::string::npos;
    const bool exponent = digits.find_first_of("eE") != std::string::npos;
    if (suffix == "D" || suffix == "F" || (exponent && suffix.empty()))
      return makeLiteral(Value::float64(std::strtod(digits.c_str(), nullptr)));
    if (!fraction && !exponent && suffix != "BD") {
      int64_t n = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (ec == std::errc() && end == digits.data() + digits.size()) {
        if (suffix.empty() && n >= std::numeric_limits<int32_t>::min() &&
            n <= std::numeric_limits<int32_t>::max())
          return makeLiteral(Value::integer(static_cast<int32_t>(n)));
        return makeLiteral(Value::bigint(n));
      }
      if (!suffix.empty()) failAt(t, "out of range for its type");
    }
    if (exponent) failAt(t, "a decimal literal takes no exponent");
    return decimalLiteral(t, digits);
  }

  ExprPtr decimalLiteral(const Token& t, const std::string& digits) {
    const size_t dot = digits.find('.');
    const int scale = dot == std::string::npos ? 0 : static_cast<int>(digits.size() - dot - 1);
    int significant = 0;
    bool leading = true;
    for (char c : digits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) continue;
      if (c != '0') leading = false;
      if (!leading) ++significant;
    }
    const int precision = std::max({significant, scale, 1});
    if (precision > DataType::kMaxPrecision)
      failAt(t, "more than " + std::to_string(DataType::kMaxPrecision) + " digits");
    const auto unscaled = parseDecimal(digits, precision, scale);
    if (!unscaled) failAt(t, "not a number");
    return makeLiteral(Value::decimal(DataType::decimal(precision, scale), *unscaled));
  }

  /// INTERVAL 'n' unit or INTERVAL n unit: YEAR, MONTH, WEEK, DAY (plural too).
  Interval interval() {
    advance();  // INTERVAL
    const Token& amount = peek();
    int64_t n = 0;
    const std::string& text = amount.text;
    const auto [end, ec] = std::from_chars(text.data() + (text.starts_with('+') ? 1 : 0),
                                           text.data() + text.size(), n);
    if ((amount.kind != TokenKind::kString && amount.kind != TokenKind::kNumber) ||
        ec != std::errc() || end != text.data() + text.size() || n < -100000 || n > 100000)
      fail("expected the interval's count, an integer");
    advance();
    const Token& unitToken = peek();
    std::string unit = lowerCase(identifier());
    if (unit.size() > 1 && unit.back() == 's') unit.pop_back();
    if (unit == "year") return Interval{static_cast<int32_t>(n * 12), 0};
    if (unit == "month") return Interval{static_cast<int32_t>(n), 0};
    if (unit == "week") return Interval{0, static_cast<int32_t>(n * 7)};
    if (unit == "day") return Interval{0, static_cast<int32_t>(n)};
    failAt(unitToken, "an interval here is in YEAR, MONTH, WEEK or DAY");
  }

  /// `base` + or - an interval: folded when `base` is a DATE literal (as
  /// TPC-H writes its bounds), else date_add / add_months of the column.
  ExprPtr shiftedByInterval(const ExprPtr& base, int sign) {
    const Interval i = interval();
    const int32_t months = sign * i.months, days = sign * i.days;
    if (base->kind == ExprKind::kLiteral && base->literal.type.id() == TypeId::kDate &&
        !base->literal.isNull()) {
      return makeLiteral(Value::date(addMonths(std::get<int32_t>(base->literal.v), months) + days));
    }
    ExprPtr e = base;
    if (months != 0) e = makeFunction("add_months", {e, makeLiteral(Value::integer(months))});
    if (days != 0) e = makeFunction("date_add", {e, makeLiteral(Value::integer(days))});
    return e;
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t at_ = 0;
};

}  // namespace

Statement parseStatement(std::string_view sql) { return Parser(sql).statement(); }

ExprPtr parseExpression(std::string_view sql) { return Parser(sql).selectExpression(); }

}  // namespace ember::sql
