#include "static_index.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

#include "catalogue.h"
#include "fts_database.h"
#include "search_query.h"

namespace signpost {

std::string ContentHash(std::string_view bytes) {
  unsigned long long h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%010llx", h & 0xffffffffffULL);
  return buf;
}

namespace {

// Postings store integer sums of weight * count, exact in any language.
static_assert(
    [] {
      for (double w : kFtsWeights) {
        if (w != static_cast<int>(w) || w < 0) return false;
      }
      return true;
    }(),
    "the static index needs whole-number column weights");

using Json = nlohmann::json;

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A value that may appear in a file name: slugs pass through, anything else
// is spelled in hex so a hostile value can never shape a path.
std::string FileSafe(std::string_view value) {
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "_%02x", c);
      out += buf;
    }
  }
  return out.substr(0, 80);
}

struct Posting {
  int doc;
  int freq;  // sum over columns of weight * occurrences
};

class Exporter {
 public:
  Exporter(sqlite3* db, SiteWriter* writer, Diagnostics* diags, std::string* error)
      : db_(db), writer_(writer), diags_(diags), error_(error) {}

  bool Run() {
    return ReadDocuments() && ReadPostings() && WriteLengths() && WriteShards() && WriteCards() &&
           WriteFacets() && WriteWords() && WriteManifest();
  }

 private:
  // Writes `json` as <stem>.<hash>.json and returns the file name.
  bool Emit(const std::string& stem, const Json& json, std::string* name) {
    std::string bytes = Dump(json);
    *name = stem + "." + ContentHash(bytes) + ".json";
    return writer_->Write(std::string(kStaticIndexDir) + *name, bytes, diags_);
  }

  bool Fail() {
    *error_ = sqlite3_errmsg(db_);
    return false;
  }

  bool ReadDocuments() {
    SqliteStmt stmt;
    if (!stmt.Prepare(db_,
                      "SELECT id, slug, name, organisation, summary, phone, age_min, age_max, "
                      "cost, tier, url FROM services ORDER BY id",
                      error_)) {
      return false;
    }
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) {
      int id = static_cast<int>(stmt.Int(0));
      if (id != static_cast<int>(cards_.size()) + 1) {
        *error_ = "service ids are not 1..N";
        return false;
      }
      Json card = {{"slug", stmt.Text(1)},
                   {"name", stmt.Text(2)},
                   {"org", stmt.Text(3)},
                   {"summary", stmt.Text(4)},
                   {"phone", stmt.Text(5)},
                   {"cost", stmt.Text(8)},
                   {"tier", stmt.Text(9)},
                   {"url", stmt.Text(10)},
                   {"ages", Json::array({stmt.IsNull(6) ? Json(nullptr) : Json(stmt.Int(6)),
                                         stmt.IsNull(7) ? Json(nullptr) : Json(stmt.Int(7))})},
                   {"referral", Json::array()},
                   {"areas", Json::array()}};
      cards_.push_back(std::move(card));
    }
    if (rc != SQLITE_DONE) return Fail();
    lengths_.assign(cards_.size() + 1, 0);
    // List facts for the cards, in a stable order.
    const std::pair<const char*, const char*> kLists[] = {
        {"SELECT service_id, route FROM service_referral ORDER BY service_id, CASE route "
         "WHEN 'self' THEN 0 WHEN 'gp' THEN 1 WHEN 'professional' THEN 2 ELSE 3 END",
         "referral"},
        {"SELECT service_id, area FROM service_areas ORDER BY service_id, area", "areas"},
    };
    for (const auto& [sql, field] : kLists) {
      SqliteStmt list;
      if (!list.Prepare(db_, sql, error_)) return false;
      while ((rc = list.Step()) == SQLITE_ROW) {
        size_t id = static_cast<size_t>(list.Int(0));
        if (id >= 1 && id <= cards_.size()) cards_[id - 1][field].push_back(list.Text(1));
      }
      if (rc != SQLITE_DONE) return Fail();
    }
    return true;
  }

  // Every token instance in the FTS index, read back through fts5vocab so the
  // browser sees exactly the terms, counts and lengths that bm25() sees.
  bool ReadPostings() {
    if (sqlite3_exec(db_,
                     "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_instance "
                     "USING fts5vocab(main, fts, instance)",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Fail();
    }
    SqliteStmt stmt;
    if (!stmt.Prepare(db_, "SELECT term, doc, col FROM temp.fts_instance", error_)) return false;
    std::map<std::string, int> column_weight;
    for (size_t i = 0; i < kFtsColumns.size(); ++i) {
      column_weight[kFtsColumns[i]] = static_cast<int>(kFtsWeights[i]);
    }
    std::vector<Posting>* current = nullptr;
    std::string current_term;
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) {
      const unsigned char* term_text = sqlite3_column_text(stmt.get(), 0);
      int term_size = sqlite3_column_bytes(stmt.get(), 0);
      std::string_view term(reinterpret_cast<const char*>(term_text), term_size);
      int doc = static_cast<int>(stmt.Int(1));
      std::string_view col(reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 2)),
                           sqlite3_column_bytes(stmt.get(), 2));
      if (current == nullptr || term != current_term) {
        current_term.assign(term);
        current = &postings_[current_term];
      }
      auto weight = column_weight.find(std::string(col));
      if (weight == column_weight.end() || doc < 1 || doc >= static_cast<int>(lengths_.size())) {
        *error_ = "unexpected row in the FTS index";
        return false;
      }
      if (!current->empty() && current->back().doc == doc) {
        current->back().freq += weight->second;
      } else {
        current->push_back({doc, weight->second});
      }
      ++lengths_[doc];
      ++total_tokens_;
    }
    if (rc != SQLITE_DONE) return Fail();
    for (auto& [term, list] : postings_) {
      // Merge in case the vocabulary table ever stops returning doc order.
      std::sort(list.begin(), list.end(),
                [](const Posting& a, const Posting& b) { return a.doc < b.doc; });
      std::vector<Posting> merged;
      for (const Posting& p : list) {
        if (!merged.empty() && merged.back().doc == p.doc) {
          merged.back().freq += p.freq;
        } else {
          merged.push_back(p);
        }
      }
      list.swap(merged);
    }
    return true;
  }

  bool WriteLengths() {
    Json lengths = Json::array();
    for (size_t i = 1; i < lengths_.size(); ++i) lengths.push_back(lengths_[i]);
    return Emit("d", lengths, &lengths_file_);
  }

  bool WriteShards() {
    // Terms in byte order (std::map), cut into ranges of about
    // kShardTargetBytes so a word, or all words with a prefix, sit in one or
    // a few neighbouring files.
    Json shard = Json::object();
    std::string first;
    size_t bytes = 0;
    auto flush = [&]() {
      if (shard.empty()) return true;
      std::string name;
      if (!Emit("t." + std::to_string(shards_.size()), shard, &name)) return false;
      shards_.push_back(Json::array({first, name}));
      shard = Json::object();
      bytes = 0;
      return true;
    };
    for (const auto& [term, list] : postings_) {
      Json encoded = Json::array();
      int previous = 0;
      for (const Posting& p : list) {
        encoded.push_back(p.doc - previous);
        encoded.push_back(p.freq);
        previous = p.doc;
      }
      size_t size = term.size() + list.size() * 5 + 4;
      if (bytes > 0 && bytes + size > kShardTargetBytes) {
        if (!flush()) return false;
      }
      // The first shard starts at "" so every term has a shard.
      if (shard.empty()) first = shards_.empty() ? "" : term;
      shard[term] = std::move(encoded);
      bytes += size;
    }
    if (!flush()) return false;
    if (shards_.empty()) shards_.push_back(Json::array({"", ""}));  // an empty directory
    return true;
  }

  bool WriteCards() {
    for (size_t start = 0; start < cards_.size(); start += kCardsPerChunk) {
      Json chunk = Json::array();
      for (size_t i = start; i < std::min(cards_.size(), start + kCardsPerChunk); ++i) {
        chunk.push_back(cards_[i]);
      }
      std::string name;
      if (!Emit("c." + std::to_string(card_files_.size()), chunk, &name)) return false;
      card_files_.push_back(name);
    }
    return true;
  }

  bool WriteFacet(const std::string& kind, const std::string& value, const std::string& label,
                  const char* sql) {
    SqliteStmt stmt;
    if (!stmt.Prepare(db_, sql, error_)) return false;
    stmt.BindText(1, value);
    Json ids = Json::array();
    int previous = 0, count = 0, rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) {
      int id = static_cast<int>(stmt.Int(0));
      ids.push_back(id - previous);
      previous = id;
      ++count;
    }
    if (rc != SQLITE_DONE) return Fail();
    std::string name;
    if (!Emit("f." + kind + "." + FileSafe(value), ids, &name)) return false;
    facets_[kind].push_back({{"value", value}, {"label", label}, {"count", count}, {"file", name}});
    return true;
  }

  bool WriteFacets() {
    struct Kind {
      const char* kind;
      const char* values;  // value, label
      const char* ids;     // ids for ?1
    };
    const Kind kKinds[] = {
        {"category", "SELECT slug, name FROM categories ORDER BY rowid",
         "SELECT service_id FROM service_categories WHERE category = ?1 ORDER BY service_id"},
        {"area",
         "SELECT slug, name FROM (SELECT slug, name, rowid AS r FROM areas "
         "UNION ALL SELECT 'all', 'All areas', 1e18) ORDER BY r",
         "SELECT service_id FROM service_areas WHERE area = ?1 ORDER BY service_id"},
        {"tier", "SELECT slug, name FROM tiers ORDER BY position",
         "SELECT id FROM services WHERE tier = ?1 ORDER BY id"},
        {"referral",
         "SELECT route, route FROM service_referral GROUP BY route ORDER BY CASE route "
         "WHEN 'self' THEN 0 WHEN 'gp' THEN 1 WHEN 'professional' THEN 2 ELSE 3 END, route",
         "SELECT service_id FROM service_referral WHERE route = ?1 ORDER BY service_id"},
        {"cost", "SELECT cost, cost FROM services GROUP BY cost ORDER BY cost",
         "SELECT id FROM services WHERE cost = ?1 ORDER BY id"},
    };
    for (const Kind& kind : kKinds) {
      SqliteStmt values;
      if (!values.Prepare(db_, kind.values, error_)) return false;
      std::vector<std::pair<std::string, std::string>> list;
      int rc;
      while ((rc = values.Step()) == SQLITE_ROW) list.emplace_back(values.Text(0), values.Text(1));
      if (rc != SQLITE_DONE) return Fail();
      facets_[kind.kind] = Json::array();
      for (const auto& [value, label] : list) {
        std::string shown = label;
        if (std::string(kind.kind) == "referral") shown = ReferralLabel(value);
        if (std::string(kind.kind) == "cost") shown = CostLabel(value);
        if (!WriteFacet(kind.kind, value, shown, kind.ids)) return false;
      }
    }
    return true;
  }

  // Unstemmed words people would recognise, for "Did you mean".
  bool WriteWords() {
    FtsTokenizer tokenizer;
    if (!tokenizer.Init(db_, "unicode61 remove_diacritics 2", error_)) return false;
    SqliteStmt stmt;
    if (!stmt.Prepare(db_, "SELECT name, keywords, organisation, summary FROM fts ORDER BY rowid",
                      error_)) {
      return false;
    }
    std::unordered_map<std::string, int> df;
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) {
      std::vector<std::string> words;
      for (int c = 0; c < 4; ++c) {
        for (std::string& w : tokenizer.Tokenize(stmt.Text(c))) words.push_back(std::move(w));
      }
      std::sort(words.begin(), words.end());
      words.erase(std::unique(words.begin(), words.end()), words.end());
      for (const std::string& w : words) {
        bool has_letter = false;
        for (unsigned char c : w) has_letter |= (c >= 'a' && c <= 'z') || c >= 0x80;
        if (w.size() >= 3 && w.size() <= 40 && has_letter) ++df[w];
      }
    }
    if (rc != SQLITE_DONE) return Fail();
    std::vector<std::pair<std::string, int>> sorted(df.begin(), df.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    Json words = Json::array();
    for (const auto& [word, count] : sorted) words.push_back(word);
    return Emit("w", words, &words_file_);
  }

  bool WriteManifest() {
    Json manifest = {{"version", 1},
                     {"n", cards_.size()},
                     {"tokens", total_tokens_},
                     {"k1", kBm25K1},
                     {"b", kBm25B},
                     {"weights", kFtsWeights},
                     {"maxTokens", kMaxQueryTokens},
                     {"lengths", lengths_file_},
                     {"shards", shards_},
                     {"chunk", kCardsPerChunk},
                     {"cards", card_files_},
                     {"facets", facets_},
                     {"words", words_file_}};
    return writer_->Write(std::string(kStaticIndexDir) + "manifest.json", Dump(manifest), diags_);
  }

  sqlite3* db_;
  SiteWriter* writer_;
  Diagnostics* diags_;
  std::string* error_;

  std::vector<Json> cards_;
  std::vector<int> lengths_;  // by id; [0] unused
  long long total_tokens_ = 0;
  std::map<std::string, std::vector<Posting>> postings_;
  std::string lengths_file_;
  Json shards_ = Json::array();
  std::vector<std::string> card_files_;
  Json facets_ = Json::object();
  std::string words_file_;
};

}  // namespace

bool ExportStaticIndex(sqlite3* db, SiteWriter* writer, Diagnostics* diags, std::string* error) {
  Exporter exporter(db, writer, diags, error);
  return exporter.Run();
}

}  // namespace signpost
