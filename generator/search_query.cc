#include "search_query.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "suggest.h"

namespace signpost {

std::string BuildMatchExpression(const std::vector<std::string>& tokens) {
  std::string match;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) match += " AND ";
    // Tokens from unicode61 never hold a quote, but doubling it is FTS5's
    // escape and keeps this function safe for any input.
    match += '"';
    for (char c : tokens[i]) {
      if (c == '"') match += '"';
      match += c;
    }
    match += '"';
    if (i + 1 == tokens.size()) match += '*';
  }
  return match;
}

std::string NearestWord(std::string_view typed, const std::vector<std::string>& candidates) {
  if (typed.size() > 64) return "";
  std::string word(typed);
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string best;
  int best_distance = 0;
  for (const std::string& candidate : candidates) {
    int d = EditDistance(word, candidate);
    // Also accept a candidate that starts with what was typed ("talking").
    if (candidate.size() > word.size() && candidate.compare(0, word.size(), word) == 0) {
      d = std::min(d, 1);
    }
    if (best.empty() || d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  int allowed = std::max<int>(2, static_cast<int>(word.size()) / 3);
  return best_distance <= allowed ? best : "";
}

bool SearchIndex::Open(const std::string& path, std::string* error) {
  if (!db_.Open(path, SQLITE_OPEN_READONLY, error)) return false;
  SqliteStmt check;
  if (!check.Prepare(db_.get(), "SELECT value FROM meta WHERE key = 'schema_version'", error) ||
      check.Step() != SQLITE_ROW) {
    *error = path + " is not a Signpost search database";
    return false;
  }
  return tokenizer_.Init(db_.get(), "unicode61 remove_diacritics 2", error);
}

std::vector<std::string> SearchIndex::Tokenize(std::string_view text) const {
  std::vector<std::string> tokens;
  for (std::string& token : tokenizer_.Tokenize(text)) {
    if (token.empty()) continue;
    if (tokens.size() == kMaxQueryTokens) break;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

bool SearchIndex::Search(std::string_view text, const SearchFilters& filters, int limit,
                         SearchResult* result, std::string* error) {
  *result = SearchResult();
  result->tokens = Tokenize(text);
  if (result->tokens.empty() || limit <= 0) return true;
  result->match = BuildMatchExpression(result->tokens);

  // bm25() only sees the FTS table, so the filters cannot change a score:
  // the browser index ranks the same way by filtering after scoring.
  std::string sql = "WITH hits AS (SELECT rowid AS id, bm25(fts";
  for (double w : kFtsWeights) sql += ", " + std::to_string(w);
  sql +=
      ") AS rank FROM fts WHERE fts MATCH ?1) "
      "SELECT s.id, s.slug, s.name, s.organisation, s.summary, s.url, s.tier, s.cost, s.phone, "
      "s.age_min, s.age_max, hits.rank FROM hits JOIN services s ON s.id = hits.id WHERE 1";
  int next = 2;
  std::vector<std::pair<int, std::string>> binds;
  if (!filters.category.empty()) {
    sql += " AND s.id IN (SELECT service_id FROM service_categories WHERE category = ?" +
           std::to_string(next) + ")";
    binds.emplace_back(next++, filters.category);
  }
  if (!filters.area.empty()) {
    sql += " AND s.id IN (SELECT service_id FROM service_areas WHERE area IN (?" +
           std::to_string(next) + ", 'all'))";
    binds.emplace_back(next++, filters.area);
  }
  if (!filters.tier.empty()) {
    sql += " AND s.tier = ?" + std::to_string(next);
    binds.emplace_back(next++, filters.tier);
  }
  if (filters.self_referral) {
    sql += " AND s.id IN (SELECT service_id FROM service_referral WHERE route = 'self')";
  }
  if (filters.free_only) sql += " AND s.cost = 'free'";
  sql += " ORDER BY hits.rank, s.slug LIMIT ?" + std::to_string(next);

  SqliteStmt stmt;
  if (!stmt.Prepare(db_.get(), sql, error)) return false;
  stmt.BindText(1, result->match);
  for (const auto& [index, value] : binds) stmt.BindText(index, value);
  stmt.BindInt(next, limit);
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    SearchHit hit;
    hit.id = stmt.Int(0);
    hit.slug = stmt.Text(1);
    hit.name = stmt.Text(2);
    hit.organisation = stmt.Text(3);
    hit.summary = stmt.Text(4);
    hit.url = stmt.Text(5);
    hit.tier = stmt.Text(6);
    hit.cost = stmt.Text(7);
    hit.phone = stmt.Text(8);
    if (!stmt.IsNull(9)) hit.age_min = static_cast<int>(stmt.Int(9));
    if (!stmt.IsNull(10)) hit.age_max = static_cast<int>(stmt.Int(10));
    hit.score = -stmt.Double(11);
    result->hits.push_back(std::move(hit));
  }
  if (rc != SQLITE_DONE) {
    *error = sqlite3_errmsg(db_.get());
    return false;
  }

  // The list facts, one small query per kind for the (few) hits.
  struct ListQuery {
    const char* sql;
    std::vector<std::string> SearchHit::*field;
  };
  const ListQuery kLists[] = {
      {"SELECT route FROM service_referral WHERE service_id = ?1 ORDER BY CASE route "
       "WHEN 'self' THEN 0 WHEN 'gp' THEN 1 WHEN 'professional' THEN 2 ELSE 3 END",
       &SearchHit::referral},
      {"SELECT area FROM service_areas WHERE service_id = ?1 ORDER BY area", &SearchHit::areas},
      {"SELECT category FROM service_categories WHERE service_id = ?1 ORDER BY category",
       &SearchHit::categories},
  };
  for (const ListQuery& list : kLists) {
    SqliteStmt q;
    if (!q.Prepare(db_.get(), list.sql, error)) return false;
    for (SearchHit& hit : result->hits) {
      q.Reset();
      q.BindInt(1, hit.id);
      while ((rc = q.Step()) == SQLITE_ROW) (hit.*list.field).push_back(q.Text(0));
      if (rc != SQLITE_DONE) {
        *error = sqlite3_errmsg(db_.get());
        return false;
      }
    }
  }
  return true;
}

std::vector<FacetValue> SearchIndex::ListFacet(const char* sql) {
  std::vector<FacetValue> values;
  SqliteStmt stmt;
  std::string error;
  if (!stmt.Prepare(db_.get(), sql, &error)) return values;
  while (stmt.Step() == SQLITE_ROW) values.push_back({stmt.Text(0), stmt.Text(1)});
  return values;
}

std::vector<FacetValue> SearchIndex::Categories() {
  return ListFacet("SELECT slug, name FROM categories ORDER BY rowid");
}
std::vector<FacetValue> SearchIndex::Areas() {
  return ListFacet("SELECT slug, name FROM areas ORDER BY rowid");
}
std::vector<FacetValue> SearchIndex::Tiers() {
  return ListFacet("SELECT slug, name FROM tiers ORDER BY position");
}

}  // namespace signpost
