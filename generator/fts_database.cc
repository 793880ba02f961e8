#include "fts_database.h"

#include <cmark-gfm.h>

#include <algorithm>
#include <cstdio>
#include <set>

namespace signpost {

// ---------------------------------------------------------------------------
// SqliteDb / SqliteStmt

SqliteDb::~SqliteDb() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

bool SqliteDb::Open(const std::string& path, int flags, std::string* error) {
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    *error = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return false;
  }
  sqlite3_extended_result_codes(db_, 1);
  return true;
}

bool SqliteDb::Exec(const char* sql, std::string* error) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    *error = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return false;
  }
  return true;
}

bool SqliteDb::Close(std::string* error) {
  if (db_ == nullptr) return true;
  if (sqlite3_close(db_) != SQLITE_OK) {
    *error = sqlite3_errmsg(db_);
    return false;
  }
  db_ = nullptr;
  return true;
}

SqliteStmt::~SqliteStmt() { sqlite3_finalize(stmt_); }

bool SqliteStmt::Prepare(sqlite3* db, std::string_view sql, std::string* error) {
  sqlite3_finalize(stmt_);
  stmt_ = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    *error = sqlite3_errmsg(db);
    return false;
  }
  return true;
}

void SqliteStmt::BindText(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
void SqliteStmt::BindInt(int index, long long value) { sqlite3_bind_int64(stmt_, index, value); }
void SqliteStmt::BindNull(int index) { sqlite3_bind_null(stmt_, index); }
int SqliteStmt::Step() { return sqlite3_step(stmt_); }
void SqliteStmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string SqliteStmt::Text(int i) const {
  const unsigned char* text = sqlite3_column_text(stmt_, i);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, i));
}

// ---------------------------------------------------------------------------
// FtsTokenizer

namespace {

fts5_api* GetFts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

std::vector<std::string> SplitSpaces(std::string_view spec) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < spec.size()) {
    while (i < spec.size() && spec[i] == ' ') ++i;
    size_t start = i;
    while (i < spec.size() && spec[i] != ' ') ++i;
    if (i > start) words.emplace_back(spec.substr(start, i - start));
  }
  return words;
}

int CollectToken(void* context, int /*flags*/, const char* token, int size, int /*start*/,
                 int /*end*/) {
  auto* tokens = static_cast<std::vector<std::string>*>(context);
  tokens->emplace_back(token, static_cast<size_t>(size));
  return SQLITE_OK;
}

}  // namespace

FtsTokenizer::~FtsTokenizer() {
  if (tokenizer_ != nullptr) api_.xDelete(tokenizer_);
}

bool FtsTokenizer::Init(sqlite3* db, std::string_view spec, std::string* error) {
  fts5_api* api = GetFts5Api(db);
  if (api == nullptr) {
    *error = "this SQLite has no FTS5";
    return false;
  }
  std::vector<std::string> words = SplitSpaces(spec);
  if (words.empty()) {
    *error = "empty tokenizer name";
    return false;
  }
  void* user_data = nullptr;
  if (api->xFindTokenizer(api, words[0].c_str(), &user_data, &api_) != SQLITE_OK) {
    *error = "FTS5 has no tokenizer named " + words[0];
    return false;
  }
  std::vector<const char*> args;
  for (size_t i = 1; i < words.size(); ++i) args.push_back(words[i].c_str());
  if (api_.xCreate(user_data, args.data(), static_cast<int>(args.size()), &tokenizer_) !=
      SQLITE_OK) {
    tokenizer_ = nullptr;
    *error = "FTS5 refused the tokenizer '" + std::string(spec) + "'";
    return false;
  }
  return true;
}

std::vector<std::string> FtsTokenizer::Tokenize(std::string_view text) const {
  std::vector<std::string> tokens;
  if (tokenizer_ == nullptr || text.empty()) return tokens;
  // FTS5 takes an int length; entries are capped at 1 MiB long before this.
  int size = text.size() > (1u << 30) ? (1 << 30) : static_cast<int>(text.size());
  api_.xTokenize(tokenizer_, &tokens, FTS5_TOKENIZE_DOCUMENT, text.data(), size, CollectToken);
  return tokens;
}

void FtsTokenizer::ForEachToken(std::string_view text, void* context,
                                int (*on_token)(void*, int, const char*, int, int, int)) const {
  if (tokenizer_ == nullptr || text.empty()) return;
  int size = text.size() > (1u << 30) ? (1 << 30) : static_cast<int>(text.size());
  api_.xTokenize(tokenizer_, context, FTS5_TOKENIZE_DOCUMENT, text.data(), size, on_token);
}

// ---------------------------------------------------------------------------
// Document text

namespace {

// Ends the current line, so the next block's words never run into the last
// word of this one.
void EndLine(std::string* text) {
  if (!text->empty() && text->back() != '\n') text->push_back('\n');
}

}  // namespace

std::string MarkdownToPlainText(std::string_view markdown) {
  cmark_node* document = cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT);
  if (document == nullptr) return std::string(markdown);
  // A walk over the tree instead of cmark_render_plaintext, which spends
  // some 70 instructions on every character (line wrapping, prefixes,
  // escaping) for layout the index never sees. The words and the breaks
  // between them are the renderer's: blocks end lines, ordered list items
  // keep their numbers ("1."), inline markup, HTML and link targets vanish,
  // link and image text stays.
  std::string text;
  text.reserve(markdown.size());
  std::vector<long long> next_number;  // per open list: the next item's number
  cmark_iter* iter = cmark_iter_new(document);
  cmark_event_type event;
  while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter);
    bool entering = event == CMARK_EVENT_ENTER;
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        text += cmark_node_get_literal(node);
        break;
      case CMARK_NODE_CODE_BLOCK:
        EndLine(&text);
        text += cmark_node_get_literal(node);
        EndLine(&text);
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        text += '\n';
        break;
      case CMARK_NODE_LIST:
        if (entering) {
          next_number.push_back(cmark_node_get_list_start(node));
        } else {
          if (!next_number.empty()) next_number.pop_back();
          EndLine(&text);
        }
        break;
      case CMARK_NODE_ITEM:
        EndLine(&text);
        if (entering && !next_number.empty() &&
            cmark_node_get_list_type(cmark_node_parent(node)) == CMARK_ORDERED_LIST) {
          text += std::to_string(next_number.back()++);
          text += ". ";
        }
        break;
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING:
      case CMARK_NODE_BLOCK_QUOTE:
      case CMARK_NODE_THEMATIC_BREAK:
        EndLine(&text);
        break;
      default:  // HTML and the containers of inline text add no words
        break;
    }
  }
  cmark_iter_free(iter);
  cmark_node_free(document);
  return text;
}

namespace {

void AppendLine(std::string* out, std::string_view text) {
  if (text.empty()) return;
  if (!out->empty()) out->push_back('\n');
  out->append(text);
}

}  // namespace

std::array<std::string, 5> FtsColumnsFor(const Service& service, const Taxonomy& taxonomy,
                                         std::string_view body_text) {
  std::array<std::string, 5> columns;
  columns[0] = service.name;
  std::string& keywords = columns[1];
  for (const std::string& keyword : service.keywords) AppendLine(&keywords, keyword);
  for (const std::string& slug : service.categories) {
    const Category* category = taxonomy.FindCategory(slug);
    if (category == nullptr) continue;
    AppendLine(&keywords, category->name);
    for (const std::string& synonym : category->synonyms) AppendLine(&keywords, synonym);
  }
  columns[2] = service.organisation;
  columns[3] = service.summary;
  std::string& body = columns[4];
  body = body_text;
  // Facts a GP may type that live outside the Markdown ("Polish", "women").
  AppendLine(&body, service.eligibility);
  for (const std::string& language : service.languages) AppendLine(&body, language);
  for (const std::string& item : service.accessibility) AppendLine(&body, item);
  return columns;
}

// ---------------------------------------------------------------------------
// Schema and writer

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE tiers(slug TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE categories(slug TEXT PRIMARY KEY, name TEXT NOT NULL, synonyms TEXT NOT NULL);
CREATE TABLE areas(slug TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE services(
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  organisation TEXT NOT NULL,
  summary TEXT NOT NULL,
  tier TEXT NOT NULL,
  cost TEXT NOT NULL,
  status TEXT NOT NULL,
  phone TEXT NOT NULL,
  text_number TEXT NOT NULL,
  email TEXT NOT NULL,
  website TEXT NOT NULL,
  referral_url TEXT NOT NULL,
  age_min INTEGER,
  age_max INTEGER,
  waiting_time TEXT NOT NULL,
  last_reviewed TEXT NOT NULL,
  url TEXT NOT NULL,
  keywords TEXT NOT NULL);
CREATE TABLE service_categories(service_id INTEGER NOT NULL, category TEXT NOT NULL,
  PRIMARY KEY(category, service_id)) WITHOUT ROWID;
CREATE TABLE service_areas(service_id INTEGER NOT NULL, area TEXT NOT NULL,
  PRIMARY KEY(area, service_id)) WITHOUT ROWID;
CREATE TABLE service_referral(service_id INTEGER NOT NULL, route TEXT NOT NULL,
  PRIMARY KEY(route, service_id)) WITHOUT ROWID;
CREATE TABLE service_delivery(service_id INTEGER NOT NULL, mode TEXT NOT NULL,
  PRIMARY KEY(mode, service_id)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(name, keywords, organisation, summary, body,
  tokenize = 'porter unicode61 remove_diacritics 2');
)sql";

std::string JoinWeights() {
  std::string out;
  for (double w : kFtsWeights) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%g", out.empty() ? "" : ",", w);
    out += buf;
  }
  return out;
}

bool InsertPairs(SqliteStmt* stmt, long long id, const std::vector<std::string>& values,
                 std::string* error, sqlite3* db) {
  // A list may repeat a value; the primary key would refuse the second copy.
  std::set<std::string> seen;
  for (const std::string& value : values) {
    if (!seen.insert(value).second) continue;
    stmt->Reset();
    stmt->BindInt(1, id);
    stmt->BindText(2, value);
    if (stmt->Step() != SQLITE_DONE) {
      *error = sqlite3_errmsg(db);
      return false;
    }
  }
  return true;
}

// FTS5 truncates longer tokens to this many bytes before indexing them
// (FTS5_MAX_TOKEN_SIZE, fts5StorageInsertCallback in fts5_storage.c).
constexpr int kFtsMaxTokenSize = 32768;

// Accumulates one column of one document into FtsStats the way
// fts5StorageInsertCallback counts it: a colocated token (a synonym at the
// same position) adds a posting but not to the column size.
struct StatsContext {
  FtsStats* stats;
  int doc;
  int weight;
  int column_size;
  std::string key;  // reused so a lookup allocates nothing
};

int CountToken(void* context, int flags, const char* token, int size, int /*start*/, int /*end*/) {
  auto* ctx = static_cast<StatsContext*>(context);
  if (size > kFtsMaxTokenSize) size = kFtsMaxTokenSize;
  if ((flags & FTS5_TOKEN_COLOCATED) == 0 || ctx->column_size == 0) ++ctx->column_size;
  ctx->key.assign(token, static_cast<size_t>(size));
  auto it = ctx->stats->postings.find(ctx->key);
  if (it == ctx->stats->postings.end()) {
    it = ctx->stats->postings.emplace(ctx->key, std::vector<FtsPosting>()).first;
  }
  std::vector<FtsPosting>& list = it->second;
  if (!list.empty() && list.back().doc == ctx->doc) {
    list.back().freq += ctx->weight;
  } else {
    list.push_back({ctx->doc, ctx->weight});
  }
  return SQLITE_OK;
}

}  // namespace

bool FillSearchDatabase(const Catalogue& catalogue, const std::vector<std::string>& body_texts,
                        sqlite3* db, std::string* error, FtsStats* stats) {
  if (body_texts.size() != catalogue.services.size()) {
    *error = "the body texts do not match the services";
    return false;
  }
  auto exec = [&](const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      *error = message != nullptr ? message : sqlite3_errmsg(db);
      sqlite3_free(message);
      return false;
    }
    return true;
  };
  if (!exec("BEGIN") || !exec(kSchema)) return false;

  SqliteStmt meta, tier, category, area, service, fts, categories, areas, referral, delivery;
  if (!meta.Prepare(db, "INSERT INTO meta VALUES(?1, ?2)", error) ||
      !tier.Prepare(db, "INSERT OR IGNORE INTO tiers VALUES(?1, ?2, ?3)", error) ||
      !category.Prepare(db, "INSERT OR IGNORE INTO categories VALUES(?1, ?2, ?3)", error) ||
      !area.Prepare(db, "INSERT OR IGNORE INTO areas VALUES(?1, ?2)", error) ||
      !service.Prepare(db,
                       "INSERT INTO services VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                       "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
                       error) ||
      !fts.Prepare(db,
                   "INSERT INTO fts(rowid, name, keywords, organisation, summary, body) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                   error) ||
      !categories.Prepare(db, "INSERT INTO service_categories VALUES(?1, ?2)", error) ||
      !areas.Prepare(db, "INSERT INTO service_areas VALUES(?1, ?2)", error) ||
      !referral.Prepare(db, "INSERT INTO service_referral VALUES(?1, ?2)", error) ||
      !delivery.Prepare(db, "INSERT INTO service_delivery VALUES(?1, ?2)", error)) {
    return false;
  }
  auto step = [&](SqliteStmt* stmt) {
    if (stmt->Step() != SQLITE_DONE) {
      *error = sqlite3_errmsg(db);
      return false;
    }
    stmt->Reset();
    return true;
  };

  const std::pair<const char*, std::string> kMeta[] = {
      {"schema_version", "1"},
      {"tokenizer", kFtsTokenizer},
      {"bm25_weights", JoinWeights()},
      {"columns", "name,keywords,organisation,summary,body"},
  };
  for (const auto& [key, value] : kMeta) {
    meta.BindText(1, key);
    meta.BindText(2, value);
    if (!step(&meta)) return false;
  }
  int position = 0;
  for (const Tier& t : catalogue.taxonomy.tiers) {
    tier.BindText(1, t.slug);
    tier.BindText(2, t.name);
    tier.BindInt(3, position++);
    if (!step(&tier)) return false;
  }
  for (const Category& c : catalogue.taxonomy.categories) {
    category.BindText(1, c.slug);
    category.BindText(2, c.name);
    std::string synonyms;
    for (const std::string& synonym : c.synonyms) AppendLine(&synonyms, synonym);
    category.BindText(3, synonyms);
    if (!step(&category)) return false;
  }
  for (const Area& a : catalogue.taxonomy.areas) {
    area.BindText(1, a.slug);
    area.BindText(2, a.name);
    if (!step(&area)) return false;
  }

  // Slug order gives stable ids, so ties broken by id are ties broken by
  // slug, and the same content always yields the same bytes.
  std::vector<size_t> published;  // indexes into catalogue.services
  for (size_t i = 0; i < catalogue.services.size(); ++i) {
    if (catalogue.services[i].IsPublished()) published.push_back(i);
  }
  std::sort(published.begin(), published.end(), [&](size_t a, size_t b) {
    return catalogue.services[a].slug < catalogue.services[b].slug;
  });

  FtsTokenizer tokenizer;
  StatsContext stats_context{stats, 0, 0, 0, {}};
  if (stats != nullptr) {
    if (!tokenizer.Init(db, kFtsTokenizer, error)) return false;
    *stats = FtsStats();
    stats->lengths.assign(published.size() + 1, 0);
  }

  long long id = 0;
  for (size_t index : published) {
    const Service* s = &catalogue.services[index];
    ++id;
    service.BindInt(1, id);
    service.BindText(2, s->slug);
    service.BindText(3, s->name);
    service.BindText(4, s->organisation);
    service.BindText(5, s->summary);
    service.BindText(6, s->tier);
    service.BindText(7, s->cost);
    service.BindText(8, StatusSlug(s->status));
    service.BindText(9, s->contact.phone);
    service.BindText(10, s->contact.text);
    service.BindText(11, s->contact.email);
    service.BindText(12, s->contact.website);
    service.BindText(13, s->contact.referral_url);
    if (s->age_min)
      service.BindInt(14, *s->age_min);
    else
      service.BindNull(14);
    if (s->age_max)
      service.BindInt(15, *s->age_max);
    else
      service.BindNull(15);
    service.BindText(16, s->waiting_time);
    service.BindText(17, s->last_reviewed.ToIso());
    service.BindText(18, "services/" + s->slug + "/");
    std::string keywords;
    for (const std::string& keyword : s->keywords) AppendLine(&keywords, keyword);
    service.BindText(19, keywords);
    if (!step(&service)) return false;

    std::array<std::string, 5> columns = FtsColumnsFor(*s, catalogue.taxonomy, body_texts[index]);
    fts.BindInt(1, id);
    for (int c = 0; c < 5; ++c) fts.BindText(c + 2, columns[c]);
    if (!step(&fts)) return false;
    if (stats != nullptr) {
      stats_context.doc = static_cast<int>(id);
      for (int c = 0; c < 5; ++c) {
        stats_context.weight = static_cast<int>(kFtsWeights[c]);
        stats_context.column_size = 0;
        tokenizer.ForEachToken(columns[c], &stats_context, CountToken);
        stats->lengths[id] += stats_context.column_size;
        stats->total_tokens += stats_context.column_size;
      }
    }

    if (!InsertPairs(&categories, id, s->categories, error, db) ||
        !InsertPairs(&areas, id, s->areas, error, db) ||
        !InsertPairs(&referral, id, s->referral, error, db) ||
        !InsertPairs(&delivery, id, s->delivery, error, db)) {
      return false;
    }
  }
  return exec("COMMIT");
}

bool WriteSearchDatabase(const Catalogue& catalogue, const std::vector<std::string>& body_texts,
                         const std::string& path, std::string* error, FtsStats* stats) {
  std::remove(path.c_str());
  SqliteDb db;
  if (!db.Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error)) return false;
  // A half-written file is thrown away with the staging folder, so durability
  // during the build buys nothing; it only costs time.
  if (!db.Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;", error)) {
    return false;
  }
  if (!FillSearchDatabase(catalogue, body_texts, db.get(), error, stats)) return false;
  return db.Close(error);
}

}  // namespace signpost
