// Querying the built search database: turning what a user typed into a safe
// FTS5 MATCH expression, applying the facet filters and ranking by bm25().
// Shared by `signpost search` and the preview server.
#ifndef SIGNPOST_SEARCH_QUERY_H_
#define SIGNPOST_SEARCH_QUERY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fts_database.h"

namespace signpost {

/// Most query words used; later words are ignored (FTS5 refuses very deep
/// expressions, and nobody types 32 words into a directory search). The
/// browser module uses the same limit.
constexpr size_t kMaxQueryTokens = 32;

/// Facet filters; empty strings mean "any".
struct SearchFilters {
  std::string category;  ///< Category slug.
  std::string area;      ///< Area slug; services covering "all" areas always match.
  std::string tier;      ///< Tier slug.
  bool self_referral = false;
  bool free_only = false;
};

/// One ranked result.
struct SearchHit {
  long long id = 0;
  std::string slug;
  std::string name;
  std::string organisation;
  std::string summary;
  std::string url;  ///< Relative to the site root: "services/<slug>/".
  std::string tier;
  std::string cost;
  std::string phone;
  std::optional<int> age_min;
  std::optional<int> age_max;
  std::vector<std::string> referral;    ///< self | gp | professional | carer
  std::vector<std::string> areas;       ///< Area slugs or "all".
  std::vector<std::string> categories;  ///< Category slugs.
  double score = 0;                     ///< -bm25(): higher is better.
};

/// The outcome of one query.
struct SearchResult {
  std::vector<std::string> tokens;  ///< The folded query words used.
  std::string match;                ///< The FTS5 MATCH expression ("" when no words).
  std::vector<SearchHit> hits;
};

/// A taxonomy value known to the database (for validating filters).
struct FacetValue {
  std::string slug;
  std::string name;
};

/// The quoted FTS5 expression for `tokens`: every token a quoted string,
/// ANDed, the last one a prefix ("a" AND "b"*). "" for no tokens.
std::string BuildMatchExpression(const std::vector<std::string>& tokens);

/// The nearest of `candidates` to `word` by edit distance (case-insensitive),
/// or "" when none is close enough to be a plausible typo.
std::string NearestWord(std::string_view word, const std::vector<std::string>& candidates);

/// A read-only connection to a built search database.
class SearchIndex {
 public:
  /// Opens `path` read-only; false with *error set when it is missing or not
  /// a Signpost search database.
  bool Open(const std::string& path, std::string* error);
  /// The query words of `text` as FTS5's unicode61 tokenizer splits them
  /// (lower case, diacritics removed), at most kMaxQueryTokens of them.
  std::vector<std::string> Tokenize(std::string_view text) const;
  /// Runs a query; any user text is safe. An empty word list gives no hits.
  /// False with *error set only on a database failure.
  bool Search(std::string_view text, const SearchFilters& filters, int limit, SearchResult* result,
              std::string* error);
  /// The categories, areas and tiers in the database (taxonomy order).
  std::vector<FacetValue> Categories();
  std::vector<FacetValue> Areas();
  std::vector<FacetValue> Tiers();

 private:
  std::vector<FacetValue> ListFacet(const char* sql);

  SqliteDb db_;
  FtsTokenizer tokenizer_;
};

}  // namespace signpost

#endif  // SIGNPOST_SEARCH_QUERY_H_
