#include "static_index.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <vector>

#include "catalogue.h"
#include "fts_database.h"
#include "search_query.h"

namespace signpost {

namespace {

// FNV-1a 64 over `bytes`, continuing from `h`.
uint64_t Fnv1a(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}
constexpr uint64_t kFnv1aBasis = 1469598103934665603ULL;

std::string HashName(uint64_t h) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(h & 0xffffffffULL));
  return buf;
}

}  // namespace

std::string ContentHash(std::string_view bytes) { return HashName(Fnv1a(kFnv1aBasis, bytes)); }

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

// Appends `text` as a JSON string, spelled exactly as Dump() spells it:
// printable ASCII is copied as is; anything that may need escaping or
// replacing (quotes, control characters, UTF-8) goes through nlohmann.
void AppendJsonString(std::string* out, std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
      out->append(Dump(Json(std::string(text))));
      return;
    }
  }
  out->push_back('"');
  out->append(text);
  out->push_back('"');
}

// Appends the decimal digits of `value` (snprintf per number cost more than
// the rest of the export).
void AppendInt(std::string* out, long long value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out->append(buf, static_cast<size_t>(end - buf));
}

// What a search result shows; the URL is services/<slug>/.
struct Card {
  std::string slug, name, summary, phone, cost;
  std::string tier;  // not shown; for the tier facet
  std::optional<long long> age_min, age_max;
  std::vector<std::string> referral, areas;
};

// A card as a JSON object, keys in the order nlohmann's (sorted) objects
// put them, as the files have always had them.
void AppendCard(std::string* out, const Card& card) {
  auto list = [&](const std::vector<std::string>& values) {
    out->push_back('[');
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendJsonString(out, values[i]);
    }
    out->push_back(']');
  };
  auto age = [&](const std::optional<long long>& value) {
    if (value) {
      AppendInt(out, *value);
    } else {
      out->append("null");
    }
  };
  out->append("{\"ages\":[");
  age(card.age_min);
  out->push_back(',');
  age(card.age_max);
  out->append("],\"areas\":");
  list(card.areas);
  out->append(",\"cost\":");
  AppendJsonString(out, card.cost);
  out->append(",\"name\":");
  AppendJsonString(out, card.name);
  out->append(",\"phone\":");
  AppendJsonString(out, card.phone);
  out->append(",\"referral\":");
  list(card.referral);
  out->append(",\"slug\":");
  AppendJsonString(out, card.slug);
  out->append(",\"summary\":");
  AppendJsonString(out, card.summary);
  out->push_back('}');
}

// Where a referral route goes in a card's list and the facet list: self,
// GP, professional, then the rest.
int RouteRank(std::string_view route) {
  if (route == "self") return 0;
  if (route == "gp") return 1;
  if (route == "professional") return 2;
  return 3;
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

using Posting = FtsPosting;

class Exporter {
 public:
  Exporter(sqlite3* db, SiteWriter* writer, Diagnostics* diags, std::string* error, FtsStats* stats)
      : db_(db), writer_(writer), diags_(diags), error_(error), stats_(stats) {}

  bool Run() {
    return ReadDocuments() && (stats_ != nullptr ? TakeStats() : ReadPostings()) && Renumber() &&
           WriteLengths() && WriteShards() && WriteCards() && WriteFacets() && WriteWords() &&
           WriteManifest();
  }

 private:
  // Writes `bytes` as <stem>.<hash>.json and returns the file name.
  bool EmitBytes(const std::string& stem, const std::string& bytes, std::string* name) {
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
      Card card;
      card.slug = stmt.Text(1);
      card.name = stmt.Text(2);
      card.summary = stmt.Text(4);
      card.phone = stmt.Text(5);
      card.cost = stmt.Text(8);
      card.tier = stmt.Text(9);
      if (!stmt.IsNull(6)) card.age_min = stmt.Int(6);
      if (!stmt.IsNull(7)) card.age_max = stmt.Int(7);
      cards_.push_back(std::move(card));
    }
    if (rc != SQLITE_DONE) return Fail();
    lengths_.assign(cards_.size() + 1, 0);
    // List facts for the cards, read in primary-key order (value, then
    // service id: no sort in SQLite), so each card's areas come in byte
    // order; its referral routes are put in the order people read them.
    const std::pair<const char*, std::vector<std::string> Card::*> kLists[] = {
        {"SELECT service_id, route FROM service_referral", &Card::referral},
        {"SELECT service_id, area FROM service_areas", &Card::areas},
    };
    for (const auto& [sql, field] : kLists) {
      SqliteStmt list;
      if (!list.Prepare(db_, sql, error_)) return false;
      while ((rc = list.Step()) == SQLITE_ROW) {
        size_t id = static_cast<size_t>(list.Int(0));
        if (id >= 1 && id <= cards_.size()) (cards_[id - 1].*field).push_back(list.Text(1));
      }
      if (rc != SQLITE_DONE) return Fail();
    }
    for (Card& card : cards_) {
      std::stable_sort(
          card.referral.begin(), card.referral.end(),
          [](const std::string& a, const std::string& b) { return RouteRank(a) < RouteRank(b); });
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
    // Column names differ in their first letter; a lookup per row by string
    // would dominate the export (millions of token instances).
    int weight_by_letter[256] = {};
    for (size_t i = 0; i < kFtsColumns.size(); ++i) {
      weight_by_letter[static_cast<unsigned char>(kFtsColumns[i][0])] =
          static_cast<int>(kFtsWeights[i]);
    }
    // One term's rows at a time; merged in doc order in case the
    // vocabulary table ever stops returning it.
    std::vector<Posting> current;
    auto finish_term = [&]() {
      std::sort(current.begin(), current.end(),
                [](const Posting& a, const Posting& b) { return a.doc < b.doc; });
      std::string& list = postings_.back();
      int previous = 0;
      for (size_t i = 0; i < current.size();) {
        Posting merged = current[i];
        for (++i; i < current.size() && current[i].doc == merged.doc; ++i) {
          merged.freq += current[i].freq;
        }
        AppendPosting(&list, previous, merged.doc, merged.freq);
        previous = merged.doc;
      }
      current.clear();
    };
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) {
      const unsigned char* term_text = sqlite3_column_text(stmt.get(), 0);
      int term_size = sqlite3_column_bytes(stmt.get(), 0);
      std::string_view term(reinterpret_cast<const char*>(term_text), term_size);
      int doc = static_cast<int>(stmt.Int(1));
      const unsigned char* col = sqlite3_column_text(stmt.get(), 2);
      int weight = col != nullptr ? weight_by_letter[col[0]] : 0;
      if (terms_.empty() || term != terms_.back()) {
        if (!terms_.empty()) finish_term();
        terms_.emplace_back(term);
        postings_.emplace_back();
      }
      if (weight == 0 || doc < 1 || doc >= static_cast<int>(lengths_.size())) {
        *error_ = "unexpected row in the FTS index";
        return false;
      }
      if (!current.empty() && current.back().doc == doc) {
        current.back().freq += weight;
      } else {
        current.push_back({doc, weight});
      }
      ++lengths_[doc];
      ++total_tokens_;
    }
    if (rc != SQLITE_DONE) return Fail();
    if (!terms_.empty()) finish_term();
    return true;
  }

  // The statistics gathered while the database was filled (FtsStats): the
  // same numbers ReadPostings() reads back, without a pass over every token.
  bool TakeStats() {
    if (stats_->lengths.size() != lengths_.size()) {
      *error_ = "the search statistics do not match the database";
      return false;
    }
    lengths_.swap(stats_->lengths);
    total_tokens_ = stats_->total_tokens;
    terms_.swap(stats_->terms);
    postings_.swap(stats_->postings);
    words_.swap(stats_->words);
    word_documents_.swap(stats_->word_documents);
    have_words_ = true;
    *stats_ = FtsStats();
    return true;
  }

  // The browser's document numbers: services grouped by their first
  // category (taxonomy order), shortest first within a group. bm25() favours
  // short documents and most GP queries hit a category's synonyms, so a
  // query's top results sit in one or two card chunks instead of ten. Ties
  // are still broken by slug (search.js compares the slugs of tied results).
  bool Renumber() {
    size_t n = cards_.size();
    std::vector<int> group(n + 1, 1 << 30);
    SqliteStmt stmt;
    if (!stmt.Prepare(db_,
                      "SELECT sc.service_id, min(c.rowid) FROM service_categories sc "
                      "JOIN categories c ON c.slug = sc.category GROUP BY sc.service_id",
                      error_)) {
      return false;
    }
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) {
      size_t id = static_cast<size_t>(stmt.Int(0));
      if (id >= 1 && id <= n) group[id] = static_cast<int>(stmt.Int(1));
    }
    if (rc != SQLITE_DONE) return Fail();
    std::vector<int> order(n);  // browser number - 1 -> database id
    for (size_t i = 0; i < n; ++i) order[i] = static_cast<int>(i) + 1;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      if (group[a] != group[b]) return group[a] < group[b];
      return lengths_[a] < lengths_[b];  // equal: database id, i.e. slug order
    });
    number_.assign(n + 1, 0);
    for (size_t i = 0; i < n; ++i) number_[order[i]] = static_cast<int>(i) + 1;
    std::vector<Card> cards(n);
    std::vector<int> lengths(n + 1, 0);
    for (size_t id = 1; id <= n; ++id) {
      cards[number_[id] - 1] = std::move(cards_[id - 1]);
      lengths[number_[id]] = lengths_[id];
    }
    cards_.swap(cards);
    lengths_.swap(lengths);
    return true;
  }

  bool WriteLengths() {
    std::string lengths = "[";
    for (size_t i = 1; i < lengths_.size(); ++i) {
      if (i > 1) lengths.push_back(',');
      AppendInt(&lengths, lengths_[i]);
    }
    lengths.push_back(']');
    return EmitBytes("d", lengths, &lengths_file_);
  }

  bool WriteShards() {
    // Terms in byte order (as SQLite and search.js's compareTerms order
    // them), cut into ranges of about
    // kShardTargetBytes so a word, or all words with a prefix, sit in one or
    // a few neighbouring files. Written by hand: building a JSON tree for
    // millions of numbers costs more than the rest of the export.
    std::string shard;
    std::string first;
    auto flush = [&]() {
      if (shard.empty()) return true;
      shard += '}';
      std::string name;
      if (!EmitBytes("t." + std::to_string(shards_.size()), shard, &name)) return false;
      shards_.push_back(Json::array({first, name}));
      shard.clear();
      return true;
    };
    std::vector<uint32_t> order(terms_.size());
    for (uint32_t id = 0; id < order.size(); ++id) order[id] = id;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return terms_[a] < terms_[b]; });
    std::string encoded;
    // A term's postings in browser numbers, ascending, without sorting:
    // each number sets a bit (its freq kept beside) and the set bits are
    // read back in order. Sorting took most of the export at 10,000 entries.
    size_t n = cards_.size();
    std::vector<uint64_t> bits(n / 64 + 1, 0);
    std::vector<int> freq_by_number(n + 1, 0);
    std::vector<std::pair<uint32_t, int>> numbered;  // (number, freq), ascending
    std::vector<char> digits;  // grows, never shrinks: no zero-filling per term
    for (uint32_t id : order) {
      const std::string& term = terms_[id];
      PostingReader reader(postings_[id]);
      FtsPosting p;
      while (reader.Next(&p)) {
        if (p.doc < 1 || static_cast<size_t>(p.doc) > n) {
          *error_ = "the search statistics name a document that does not exist";
          return false;
        }
        int number = number_[p.doc];
        bits[number >> 6] |= uint64_t{1} << (number & 63);
        freq_by_number[number] = p.freq;
      }
      std::string().swap(postings_[id]);  // done with it
      numbered.clear();
      for (size_t word = 0; word < bits.size(); ++word) {
        for (uint64_t set = bits[word]; set != 0; set &= set - 1) {
          auto number = static_cast<uint32_t>(word * 64 + std::countr_zero(set));
          numbered.emplace_back(number, freq_by_number[number]);
        }
        bits[word] = 0;
      }
      encoded.clear();
      AppendJsonString(&encoded, term);
      encoded += ":[";
      // At most 2 x 10 digits and two commas per posting.
      if (digits.size() < 24 * numbered.size() + 1) digits.resize(24 * numbered.size() + 1);
      char* out = digits.data();
      char* limit = digits.data() + digits.size();
      uint32_t previous = 0;
      for (size_t i = 0; i < numbered.size(); ++i) {
        auto [doc, freq] = numbered[i];
        if (i > 0) *out++ = ',';
        out = std::to_chars(out, limit, doc - previous).ptr;
        *out++ = ',';
        out = std::to_chars(out, limit, freq).ptr;
        previous = doc;
      }
      *out++ = ']';
      encoded.append(digits.data(), static_cast<size_t>(out - digits.data()));
      if (!shard.empty() && shard.size() + encoded.size() > kShardTargetBytes) {
        if (!flush()) return false;
      }
      if (shard.empty()) {
        // The first shard starts at "" so every term has a shard.
        first = shards_.empty() ? "" : term;
        shard = "{";
      } else {
        shard += ',';
      }
      shard += encoded;
    }
    if (!flush()) return false;
    if (shards_.empty()) {  // an empty directory still gets one (empty) shard
      std::string name;
      if (!EmitBytes("t.0", "{}", &name)) return false;
      shards_.push_back(Json::array({"", name}));
    }
    return true;
  }

  // Card chunks share one hash (of all cards): renumbering moves cards
  // between chunks on most edits anyway, and one hash instead of hundreds
  // keeps the manifest small.
  bool WriteCards() {
    std::vector<std::string> chunks;
    uint64_t hash = kFnv1aBasis;  // ContentHash of the chunks, each followed by '\n'
    for (size_t start = 0; start < cards_.size(); start += kCardsPerChunk) {
      std::string chunk = "[";
      for (size_t i = start; i < std::min(cards_.size(), start + kCardsPerChunk); ++i) {
        if (i > start) chunk.push_back(',');
        AppendCard(&chunk, cards_[i]);
      }
      chunk.push_back(']');
      hash = Fnv1a(Fnv1a(hash, chunk), "\n");
      chunks.push_back(std::move(chunk));
    }
    cards_hash_ = HashName(hash);
    for (size_t k = 0; k < chunks.size(); ++k) {
      std::string name = "c." + std::to_string(k) + "." + cards_hash_ + ".json";
      if (!writer_->Write(std::string(kStaticIndexDir) + name, chunks[k], diags_)) return false;
    }
    card_chunks_ = chunks.size();
    return true;
  }

  // Writes the id list of one facet value: `numbers` are browser document
  // numbers, ascending.
  bool WriteFacet(const std::string& kind, const std::string& value, const std::string& label,
                  const std::vector<int>& numbers) {
    std::string ids = "[";
    int previous = 0;
    for (size_t i = 0; i < numbers.size(); ++i) {
      if (i > 0) ids.push_back(',');
      AppendInt(&ids, numbers[i] - previous);
      previous = numbers[i];
    }
    ids.push_back(']');
    std::string name;
    if (!EmitBytes("f." + kind + "." + FileSafe(value), ids, &name)) return false;
    facets_[kind].push_back({{"value", value},
                             {"label", label},
                             {"count", static_cast<int>(numbers.size())},
                             {"file", name}});
    return true;
  }

  // The facets. Values come from the taxonomy tables (or, for routes and
  // costs, from the services that have them); which documents have a value
  // comes from the cards already read (walked in number order, so the lists
  // come out ascending), except for categories, which cards do not carry.
  bool WriteFacets() {
    std::map<std::string, std::vector<int>> by_kind[4];  // area, tier, referral, cost
    for (size_t i = 0; i < cards_.size(); ++i) {
      int number = static_cast<int>(i) + 1;
      const Card& card = cards_[i];
      for (const std::string& area : card.areas) by_kind[0][area].push_back(number);
      by_kind[1][card.tier].push_back(number);
      for (const std::string& route : card.referral) by_kind[2][route].push_back(number);
      by_kind[3][card.cost].push_back(number);
    }
    struct Kind {
      const char* kind;
      const char* values;  // value, label; null: the values the documents have
      std::map<std::string, std::vector<int>>* ids;  // null: service_categories
    };
    const Kind kKinds[] = {
        {"category", "SELECT slug, name FROM categories ORDER BY rowid", nullptr},
        {"area",
         "SELECT slug, name FROM (SELECT slug, name, rowid AS r FROM areas "
         "UNION ALL SELECT 'all', 'All areas', 1e18) ORDER BY r",
         &by_kind[0]},
        {"tier", "SELECT slug, name FROM tiers ORDER BY position", &by_kind[1]},
        {"referral", nullptr, &by_kind[2]},
        {"cost", nullptr, &by_kind[3]},
    };
    SqliteStmt category_ids;
    if (!category_ids.Prepare(db_, "SELECT service_id FROM service_categories WHERE category = ?1",
                              error_)) {
      return false;
    }
    std::vector<int> numbers;
    for (const Kind& kind : kKinds) {
      std::string name = kind.kind;
      std::vector<std::pair<std::string, std::string>> list;  // value, label
      if (kind.values != nullptr) {
        SqliteStmt values;
        if (!values.Prepare(db_, kind.values, error_)) return false;
        int rc;
        while ((rc = values.Step()) == SQLITE_ROW) {
          list.emplace_back(values.Text(0), values.Text(1));
        }
        if (rc != SQLITE_DONE) return Fail();
      } else {
        for (const auto& [value, ids] : *kind.ids) list.emplace_back(value, value);  // byte order
        if (name == "referral") {
          std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
            return RouteRank(a.first) < RouteRank(b.first);
          });
        }
      }
      facets_[name] = Json::array();
      for (const auto& [value, label] : list) {
        std::string shown = label;
        if (name == "referral") shown = ReferralLabel(value);
        if (name == "cost") shown = CostLabel(value);
        numbers.clear();
        if (kind.ids == nullptr) {
          category_ids.Reset();
          category_ids.BindText(1, value);
          int rc;
          while ((rc = category_ids.Step()) == SQLITE_ROW) {
            size_t id = static_cast<size_t>(category_ids.Int(0));
            if (id >= 1 && id < number_.size()) numbers.push_back(number_[id]);
          }
          if (rc != SQLITE_DONE) return Fail();
          std::sort(numbers.begin(), numbers.end());
        } else if (auto it = kind.ids->find(value); it != kind.ids->end()) {
          numbers = it->second;
        }
        if (!WriteFacet(name, value, shown, numbers)) return false;
      }
    }
    return true;
  }

  // Unstemmed words people would recognise, for "Did you mean": from
  // names, organisations, summaries and keywords (gathered with the
  // statistics, or tokenized again here), and the taxonomy's category
  // names and synonyms (once, not once per service).
  bool WriteWords() {
    FtsTokenizer tokenizer;
    if (!tokenizer.Init(db_, kFtsWordTokenizer, error_)) return false;
    std::unordered_map<std::string, int> df;
    auto count = [&](SqliteStmt* stmt, int columns) {
      int rc;
      std::vector<std::string> words;
      while ((rc = stmt->Step()) == SQLITE_ROW) {
        words.clear();
        for (int c = 0; c < columns; ++c) {
          for (std::string& w : tokenizer.Tokenize(stmt->Text(c))) words.push_back(std::move(w));
        }
        std::sort(words.begin(), words.end());
        words.erase(std::unique(words.begin(), words.end()), words.end());
        for (const std::string& w : words) ++df[w];
      }
      return rc == SQLITE_DONE || Fail();
    };
    SqliteStmt services, categories;
    if (have_words_) {
      df.reserve(words_.size());
      for (size_t i = 0; i < words_.size(); ++i) df[std::move(words_[i])] += word_documents_[i];
      words_ = {};
    } else if (!services.Prepare(db_, "SELECT name, organisation, summary, keywords FROM services",
                                 error_) ||
               !count(&services, 4)) {
      return false;
    }
    if (!categories.Prepare(db_,
                            "SELECT name, synonyms FROM categories WHERE slug IN (SELECT category "
                            "FROM service_categories)",
                            error_) ||
        !count(&categories, 2)) {
      return false;
    }
    std::vector<std::pair<std::string, int>> sorted;
    for (auto& [word, n] : df) {
      bool has_letter = false;
      for (unsigned char c : word) has_letter |= (c >= 'a' && c <= 'z') || c >= 0x80;
      if (word.size() >= 3 && word.size() <= 40 && has_letter) sorted.emplace_back(word, n);
    }
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::string words = "[";
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (i > 0) words.push_back(',');
      AppendJsonString(&words, sorted[i].first);
    }
    words.push_back(']');
    return EmitBytes("w", words, &words_file_);
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
                     {"cards", {{"count", card_chunks_}, {"hash", cards_hash_}}},
                     {"facets", facets_},
                     {"words", words_file_}};
    return writer_->Write(std::string(kStaticIndexDir) + "manifest.json", Dump(manifest), diags_);
  }

  sqlite3* db_;
  SiteWriter* writer_;
  Diagnostics* diags_;
  std::string* error_;

  std::vector<Card> cards_;   // by database id - 1, then by document number - 1
  FtsStats* stats_;           // null: read the postings back from the database
  std::vector<int> lengths_;  // by document number; [0] unused
  std::vector<int> number_;   // database id -> browser document number
  long long total_tokens_ = 0;
  std::vector<std::string> words_;  // from stats_: see FtsStats
  std::vector<int> word_documents_;
  bool have_words_ = false;
  std::vector<std::string> terms_;     // by term id
  std::vector<std::string> postings_;  // by term id, encoded (FtsStats::postings)
  std::string lengths_file_;
  Json shards_ = Json::array();
  size_t card_chunks_ = 0;
  std::string cards_hash_;
  Json facets_ = Json::object();
  std::string words_file_;
};

}  // namespace

bool ExportStaticIndex(sqlite3* db, SiteWriter* writer, Diagnostics* diags, std::string* error,
                       FtsStats* stats) {
  Exporter exporter(db, writer, diags, error, stats);
  return exporter.Run();
}

}  // namespace signpost
