#include "fts_database.h"

#include <cmark-gfm.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <set>

#include "markdown.h"

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
void SqliteStmt::BindTextRef(int index, std::string_view text) {
  // A null pointer would bind NULL, not "".
  sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(), SQLITE_STATIC,
                      SQLITE_UTF8);
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

// ---------------------------------------------------------------------------
// Document text

std::string MarkdownToPlainText(std::string_view markdown) {
  // The very text the renderer hands to the index in a build: one parse,
  // one walk, for the page and for search (markdown.cc).
  return RenderMarkdown(markdown).text;
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
// Encoded posting lists

namespace {

// Writes `value` as a little-endian base-128 varint at `out` (at most 5
// bytes); returns the number of bytes.
size_t AppendVarint(char* out, uint32_t value) {
  size_t n = 0;
  for (; value >= 0x80; value >>= 7) out[n++] = static_cast<char>((value & 0x7f) | 0x80);
  out[n++] = static_cast<char>(value);
  return n;
}

}  // namespace

void AppendPosting(std::string* list, int previous_doc, int doc, int freq) {
  char bytes[10];
  size_t n = AppendVarint(bytes, static_cast<uint32_t>(doc - previous_doc));
  n += AppendVarint(bytes + n, static_cast<uint32_t>(freq));
  list->append(bytes, n);  // once: a std::string append costs more than the encoding
}

std::vector<FtsPosting> DecodePostings(std::string_view list) {
  std::vector<FtsPosting> postings;
  PostingReader reader(list);
  FtsPosting posting;
  while (reader.Next(&posting)) postings.push_back(posting);
  return postings;
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
-- Contentless: MATCH and bm25() need only the index, and a copy of every
-- entry's text (half the file at 10,000 entries) would be written for nothing.
CREATE VIRTUAL TABLE fts USING fts5(name, keywords, organisation, summary, body,
  content = '', tokenize = 'porter unicode61 remove_diacritics 2');
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

// The rows of one list-fact table (service_categories and the like),
// gathered for every service and inserted in primary-key order (each row
// lands at the end of the B-tree, not in its middle), kBatch rows per
// statement (per-statement overhead is much of what a two-column row
// costs).
class PairRows {
 public:
  static constexpr int kBatch = 64;
  // Adds the rows of service `id`; a list may repeat a value, which the
  // primary key would refuse.
  void Add(long long id, const std::vector<std::string>& values) {
    size_t first = rows_.size();
    for (const std::string& value : values) {
      bool seen = false;
      for (size_t i = first; i < rows_.size() && !seen; ++i) seen = *rows_[i].second == value;
      if (!seen) rows_.emplace_back(id, &value);
    }
  }
  bool Insert(sqlite3* db, const char* table, std::string* error) {
    SqliteStmt batch, single;
    std::string sql = std::string("INSERT INTO ") + table + " VALUES(?,?)";
    if (!single.Prepare(db, sql, error)) return false;
    for (int i = 1; i < kBatch; ++i) sql += ",(?,?)";
    if (!batch.Prepare(db, sql, error)) return false;
    std::sort(rows_.begin(), rows_.end(), [](const auto& a, const auto& b) {
      int order = a.second->compare(*b.second);
      return order != 0 ? order < 0 : a.first < b.first;
    });
    size_t i = 0;
    for (; i + kBatch <= rows_.size(); i += kBatch) {
      for (int k = 0; k < kBatch; ++k) {
        batch.BindInt(2 * k + 1, rows_[i + k].first);
        batch.BindTextRef(2 * k + 2, *rows_[i + k].second);
      }
      if (batch.Step() != SQLITE_DONE) return Fail(db, error);
      batch.Reset();
    }
    for (; i < rows_.size(); ++i) {
      single.BindInt(1, rows_[i].first);
      single.BindTextRef(2, *rows_[i].second);
      if (single.Step() != SQLITE_DONE) return Fail(db, error);
      single.Reset();
    }
    return true;
  }

 private:
  static bool Fail(sqlite3* db, std::string* error) {
    *error = sqlite3_errmsg(db);
    return false;
  }
  std::vector<std::pair<long long, const std::string*>> rows_;
};

// FNV-1a, one step per byte so a tokenizer can hash a word while it folds
// it, then MurmurHash3's finalizer so the low bits (the table index) depend
// on every byte. Terms are short; a table lookup per token instance is the
// recorder's main cost, and XXH3 through the shared library costs ~100
// instructions a call.
constexpr uint64_t kFnvBasis = 14695981039346656037ULL;
constexpr uint64_t FnvStep(uint64_t h, unsigned char c) { return (h ^ c) * 1099511628211ULL; }
constexpr uint64_t FinishHash(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}
uint64_t HashTerm(std::string_view term) {
  uint64_t h = kFnvBasis;
  for (unsigned char c : term) h = FnvStep(h, c);
  return FinishHash(h);
}

// FTS5 truncates longer tokens to this many bytes before indexing them
// (FTS5_MAX_TOKEN_SIZE, fts5StorageInsertCallback in fts5_storage.c).
constexpr int kFtsMaxTokenSize = 32768;

// Ids for the strings of `*names` (an id is an index): an open-addressing
// table of ids, because a directory has thousands of distinct terms and
// millions of token instances, so this lookup is the recorder's whole cost.
class StringIds {
 public:
  explicit StringIds(std::vector<std::string>* names) : names_(names), slots_(1024, 0) {}

  // The id of `text`; appends it to *names (and sets *added) when new.
  uint32_t Find(std::string_view text, bool* added) { return Find(text, HashTerm(text), added); }
  // The same, with `hash` = HashTerm(text) already known. Small, so that it
  // inlines: it runs once per token.
  uint32_t Find(std::string_view text, uint64_t hash, bool* added) {
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      uint32_t slot = slots_[i];
      if (slot == 0) return Add(text, i, added);
      const std::string& name = (*names_)[slot - 1];
      if (name.size() == text.size() && std::memcmp(name.data(), text.data(), text.size()) == 0) {
        *added = false;
        return slot - 1;
      }
    }
  }

 private:
  uint32_t Add(std::string_view text, size_t slot, bool* added) {
    auto id = static_cast<uint32_t>(names_->size());
    names_->emplace_back(text);
    *added = true;
    slots_[slot] = id + 1;
    if (2 * names_->size() > slots_.size()) Rehash(2 * slots_.size());
    return id;
  }

  void Rehash(size_t size) {
    slots_.assign(size, 0);
    size_t mask = size - 1;
    for (uint32_t id = 0; id < names_->size(); ++id) {
      size_t i = HashTerm((*names_)[id]) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = id + 1;
    }
  }

  std::vector<std::string>* names_;
  std::vector<uint32_t> slots_;  // id + 1; 0 is empty
};

// Gathers FtsStats from FTS5's own tokenization while the table is filled,
// instead of tokenizing every column a second time. On the filling
// connection only, it registers a tokenizer under the name the table's
// `tokenize` option resolves ("porter") that stands in for FTS5's porter
// (fetched beforehand) and sees every token on its way to
// fts5StorageInsertCallback. Other connections (signpost search, the sqlite3
// CLI) resolve "porter" to FTS5's, and the bytes FTS5 stores are the same.
// FTS5 tokenizes an inserted row's columns in table order, one xTokenize
// call each (sqlite3Fts5StorageIndexInsert); the recorder counts the calls,
// so a row whose columns were not all seen is an error, not silently wrong
// statistics.
//
// Most text is ASCII, and there unicode61 does little: a token is a run of
// ASCII letters and digits (the only ASCII characters in its default
// categories), folded to lower case; an ASCII separator always ends a
// token. So the recorder splits the text at ASCII separators itself, and a
// piece that is all ASCII is one token whose stem it asks FTS5's porter for
// once per distinct word and then remembers: porter's and unicode61's
// per-character work is most of the cost of filling the table otherwise.
// Any piece with a byte over 0x7F (or longer than kMaxCachedWord) goes
// through FTS5's porter as it stands. Which ASCII characters are token
// characters is probed from FTS5's tokenizer at start-up, not assumed.
class TokenRecorder {
 public:
  // Registers the recorder on `db`; the connection owns it (xDestroy) and
  // it must be installed before the FTS table is created or connected.
  static TokenRecorder* Install(sqlite3* db, std::string* error) {
    fts5_api* api = GetFts5Api(db);
    if (api == nullptr) {
      *error = "this SQLite has no FTS5";
      return nullptr;
    }
    std::vector<std::string> spec = SplitSpaces(kFtsTokenizer);
    auto recorder = std::make_unique<TokenRecorder>();
    if (api->xFindTokenizer(api, spec[0].c_str(), &recorder->real_user_data_, &recorder->real_) !=
        SQLITE_OK) {
      *error = "FTS5 has no tokenizer named " + spec[0];
      return nullptr;
    }
    if (!recorder->unicode61_.Init(db, kFtsWordTokenizer, error)) return nullptr;
    recorder->ProbeAscii(spec);
    fts5_tokenizer wrapper = {&TokenRecorder::Create, &TokenRecorder::Delete,
                              &TokenRecorder::Tokenize};
    TokenRecorder* raw = recorder.get();
    if (api->xCreateTokenizer(api, spec[0].c_str(), raw, &wrapper, &TokenRecorder::Destroy) !=
        SQLITE_OK) {
      *error = "FTS5 refused the recording tokenizer";
      return nullptr;
    }
    recorder.release();  // FTS5 deletes it with the connection
    return raw;
  }

  // Starts gathering into `stats` (cleared), sized for documents 1..n.
  void Start(FtsStats* stats, size_t n) {
    stats_ = stats;
    *stats_ = FtsStats();
    stats_->lengths.assign(n + 1, 0);
    terms_.emplace(&stats_->terms);
    words_.emplace(&stats_->words);
    word_doc_.clear();
    ascii_words_.clear();
    ascii_ids_.emplace(&ascii_words_);
    ascii_term_.clear();
    ascii_word_.clear();
    open_.clear();
  }
  // The tokens FTS5 receives until EndDocument() belong to document `doc`,
  // whose own keywords are the first `own_keyword_bytes` of its keywords
  // column (the rest are its categories' names and synonyms).
  void BeginDocument(int doc, size_t own_keyword_bytes) {
    doc_ = doc;
    column_ = 0;
    word_bytes_ = own_keyword_bytes;
    recording_ = true;
  }
  // Stops recording; returns the number of columns FTS5 tokenized.
  int EndDocument() {
    recording_ = false;
    return column_;
  }
  // Completes the statistics once the last document has been recorded.
  void Finish() {
    for (uint32_t id = 0; id < open_.size(); ++id) {
      const OpenPosting& open = open_[id];
      if (open.doc != 0) {
        AppendPosting(&stats_->postings[id], open.previous_doc, open.doc, open.freq);
      }
    }
    open_ = {};
    word_doc_ = {};
    ascii_words_ = {};
    ascii_ids_.reset();
    ascii_term_ = {};
    ascii_word_ = {};
    terms_.reset();
    words_.reset();
  }

 private:
  using TokenCallback = int (*)(void*, int, const char*, int, int, int);
  // Longest ASCII word whose stem is remembered (porter leaves longer
  // tokens alone, and such words are rare enough to pass through FTS5).
  static constexpr int kMaxCachedWord = 64;
  static constexpr uint32_t kNoWord = UINT32_MAX;
  // ascii_class_ values that are not folded token characters, which are
  // ASCII and never NUL (sqlite3Fts5UnicodeAscii; the probe checks).
  static constexpr unsigned char kSeparator = 0;
  static constexpr unsigned char kHigh = 0xFF;

  struct Instance {
    TokenRecorder* recorder;
    ::Fts5Tokenizer* real;
  };
  // A term's posting in the document being recorded, not yet encoded.
  struct OpenPosting {
    int doc = 0;  // 0: none
    int freq = 0;
    int previous_doc = 0;  // the last document encoded
  };
  // One column on its way through: the recorder and FTS5's own callback.
  struct Column {
    TokenRecorder* recorder;
    ::Fts5Tokenizer* real;
    int weight;
    int size;          // tokens, counted as FTS5 counts them
    const char* text;  // the column's text
    int offset;        // where the piece FTS5's porter is tokenizing starts
    int word_bytes;    // tokens starting before this offset are words too
    void* fts_context;
    TokenCallback fts_token;
  };

  static int Create(void* user_data, const char** args, int count, ::Fts5Tokenizer** out) {
    auto* recorder = static_cast<TokenRecorder*>(user_data);
    auto instance = std::make_unique<Instance>(Instance{recorder, nullptr});
    int rc = recorder->real_.xCreate(recorder->real_user_data_, args, count, &instance->real);
    if (rc != SQLITE_OK) return rc;
    *out = reinterpret_cast<::Fts5Tokenizer*>(instance.release());
    return SQLITE_OK;
  }
  static void Delete(::Fts5Tokenizer* tokenizer) {
    auto* instance = reinterpret_cast<Instance*>(tokenizer);
    instance->recorder->real_.xDelete(instance->real);
    delete instance;
  }
  static void Destroy(void* user_data) { delete static_cast<TokenRecorder*>(user_data); }

  static int CollectToken(void* context, int flags, const char* token, int size, int, int) {
    auto* tokens = static_cast<std::vector<std::pair<int, std::string>>*>(context);
    tokens->emplace_back(flags, std::string(token, static_cast<size_t>(size)));
    return SQLITE_OK;
  }

  // Learns from FTS5's own tokenizer which ASCII characters are token
  // characters and that they fold as A-Z to a-z: "q" c "q" must give one
  // token "q" lower(c) "q" or the two tokens "q" and "q". Anything else
  // (another tokenizer configuration) leaves the fast path off.
  void ProbeAscii(const std::vector<std::string>& spec) {
    std::vector<const char*> args;
    for (size_t i = 1; i < spec.size(); ++i) args.push_back(spec[i].c_str());
    ::Fts5Tokenizer* probe = nullptr;
    if (real_.xCreate(real_user_data_, args.data(), static_cast<int>(args.size()), &probe) !=
        SQLITE_OK) {
      return;
    }
    bool ok = true;
    std::vector<std::pair<int, std::string>> tokens;
    for (int c = 0; c < 128 && ok; ++c) {
      char text[3] = {'q', static_cast<char>(c), 'q'};
      tokens.clear();
      real_.xTokenize(probe, &tokens, FTS5_TOKENIZE_DOCUMENT, text, 3, CollectToken);
      char folded = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
      // NUL must separate: its class, kSeparator, is also its own value.
      if (c != 0 && tokens.size() == 1 &&
          tokens[0] == std::pair<int, std::string>(0, {'q', folded, 'q'})) {
        ascii_class_[c] = static_cast<unsigned char>(folded);
      } else if (tokens.size() == 2 && tokens[0] == std::pair<int, std::string>(0, "q") &&
                 tokens[1] == tokens[0]) {
        ascii_class_[c] = kSeparator;
      } else {
        ok = false;
      }
    }
    real_.xDelete(probe);
    for (int c = 128; c < 256; ++c) ascii_class_[c] = kHigh;
    ascii_ok_ = ok;
  }

  static int Tokenize(::Fts5Tokenizer* tokenizer, void* context, int flags, const char* text,
                      int size, TokenCallback on_token) {
    auto* instance = reinterpret_cast<Instance*>(tokenizer);
    TokenRecorder* recorder = instance->recorder;
    if (!recorder->recording_ || (flags & FTS5_TOKENIZE_DOCUMENT) == 0) {
      return recorder->real_.xTokenize(instance->real, context, flags, text, size, on_token);
    }
    int column = recorder->column_++;
    if (column >= static_cast<int>(kFtsWeights.size())) return SQLITE_ERROR;
    // Words for "Did you mean": names, own keywords, organisations and
    // summaries (kFtsColumns order), not bodies.
    int word_bytes = column == 1   ? static_cast<int>(std::min<size_t>(recorder->word_bytes_, size))
                     : column == 4 ? 0
                                   : size;
    Column pass{recorder,   instance->real, static_cast<int>(kFtsWeights[column]),
                0,          text,           0,
                word_bytes, context,        on_token};
    int rc = recorder->ascii_ok_ ? recorder->TokenizePieces(&pass, flags, size)
                                 : recorder->TokenizeReal(&pass, flags, 0, size);
    FtsStats* stats = recorder->stats_;
    stats->lengths[recorder->doc_] += pass.size;
    stats->total_tokens += pass.size;
    return rc;
  }

  // Splits the column at ASCII separators (which always end a unicode61
  // token, and never sit inside a UTF-8 sequence) into pieces, each
  // tokenized on its own: the concatenation is what FTS5's porter gives
  // for the whole text.
  int TokenizePieces(Column* pass, int flags, int size) {
    const auto* text = reinterpret_cast<const unsigned char*>(pass->text);
    char word[kMaxCachedWord];
    int i = 0;
    while (i < size) {
      while (i < size && ascii_class_[text[i]] == kSeparator) ++i;
      if (i == size) break;
      // One pass over the piece: is it ASCII, its folded bytes, their hash.
      int start = i;
      bool ascii = true;
      uint64_t hash = kFnvBasis;
      for (; i < size; ++i) {
        unsigned char c = text[i];
        unsigned char kind = ascii_class_[c];
        if (kind == kSeparator) break;
        if (kind == kHigh) {
          ascii = false;
          continue;
        }
        if (i - start < kMaxCachedWord) word[i - start] = static_cast<char>(kind);
        hash = FnvStep(hash, kind);
      }
      int rc =
          ascii && i - start <= kMaxCachedWord
              ? AsciiToken(pass, start, i, std::string_view(word, static_cast<size_t>(i - start)),
                           FinishHash(hash))
              : TokenizeReal(pass, flags, start, i);
      if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
  }

  // Bytes [start, end) of the column through FTS5's porter (OnToken).
  int TokenizeReal(Column* pass, int flags, int start, int end) {
    pass->offset = start;
    return real_.xTokenize(pass->real, pass, flags, pass->text + start, end - start, &OnToken);
  }

  static int OnToken(void* context, int flags, const char* token, int size, int start, int end) {
    auto* pass = static_cast<Column*>(context);
    start += pass->offset;
    end += pass->offset;
    int indexed = size > kFtsMaxTokenSize ? kFtsMaxTokenSize : size;
    // As fts5StorageInsertCallback: a colocated token (a synonym at the same
    // position) is indexed but does not add to the column size.
    if ((flags & FTS5_TOKEN_COLOCATED) == 0 || pass->size == 0) ++pass->size;
    TokenRecorder* recorder = pass->recorder;
    recorder->Count(recorder->TermId(std::string_view(token, indexed)), pass->weight);
    if (start < pass->word_bytes && start >= 0 && end > start) {
      recorder->NoteWord(std::string_view(pass->text + start, static_cast<size_t>(end - start)));
    }
    return pass->fts_token(pass->fts_context, flags, token, size, start, end);
  }

  // Bytes [start, end) of the column: one ASCII token, `word` folded
  // (hash: HashTerm(word)), handed to FTS5 as FTS5's porter would hand it.
  int AsciiToken(Column* pass, int start, int end, std::string_view word, uint64_t hash) {
    bool added;
    uint32_t id = ascii_ids_->Find(word, hash, &added);
    if (added) {
      ascii_term_.push_back(0);
      ascii_word_.push_back(kNoWord);
      if (!Stem(pass->real, id)) return SQLITE_ERROR;
    }
    uint32_t term = ascii_term_[id];
    ++pass->size;
    Count(term, pass->weight);
    if (start < pass->word_bytes) {
      if (ascii_word_[id] == kNoWord) ascii_word_[id] = WordId(ascii_words_[id]);
      CountWord(ascii_word_[id]);
    }
    const std::string& stem = stats_->terms[term];
    return pass->fts_token(pass->fts_context, 0, stem.data(), static_cast<int>(stem.size()), start,
                           end);
  }

  // Asks FTS5's porter for the stem of the ASCII word `id` (one token in,
  // one token out) and remembers its term.
  bool Stem(::Fts5Tokenizer* real, uint32_t id) {
    const std::string& word = ascii_words_[id];
    std::vector<std::pair<int, std::string>> tokens;
    real_.xTokenize(real, &tokens, FTS5_TOKENIZE_DOCUMENT, word.data(),
                    static_cast<int>(word.size()), CollectToken);
    if (tokens.size() != 1 || tokens[0].first != 0) return false;
    ascii_term_[id] = TermId(tokens[0].second);
    return true;
  }

  uint32_t TermId(std::string_view term) {
    bool added;
    uint32_t id = terms_->Find(term, &added);
    if (added) {
      stats_->postings.emplace_back();
      open_.push_back({});
    }
    return id;
  }

  // Adds `weight` to the current document's posting of term `id`. The
  // posting is kept open (open_) while its document lasts, and encoded once
  // the term turns up in a later document or at Finish().
  void Count(uint32_t id, int weight) {
    OpenPosting& open = open_[id];
    if (open.doc == doc_) {
      open.freq += weight;
      return;
    }
    if (open.doc != 0) {
      AppendPosting(&stats_->postings[id], open.previous_doc, open.doc, open.freq);
      open.previous_doc = open.doc;
    }
    open.doc = doc_;
    open.freq = weight;
  }

  // Notes the unstemmed word FTS5's porter received as the bytes `span` of
  // the column text: unicode61 folds ASCII to lower case and nothing else,
  // so that is done here; other text goes through unicode61 again (the
  // span is one of its tokens, so it gives that token back).
  void NoteWord(std::string_view span) {
    bool ascii = true;
    for (unsigned char c : span) ascii &= c < 0x80;
    if (ascii) {
      word_.assign(span);
      for (char& c : word_) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      CountWord(WordId(word_));
      return;
    }
    for (const std::string& word : unicode61_.Tokenize(span)) CountWord(WordId(word));
  }

  uint32_t WordId(std::string_view word) {
    bool added;
    uint32_t id = words_->Find(word, &added);
    if (added) {
      stats_->word_documents.push_back(0);
      word_doc_.push_back(0);
    }
    return id;
  }

  void CountWord(uint32_t id) {
    if (word_doc_[id] != doc_) {  // once per document
      word_doc_[id] = doc_;
      ++stats_->word_documents[id];
    }
  }

  fts5_tokenizer real_{};
  void* real_user_data_ = nullptr;
  FtsTokenizer unicode61_;  // porter's own base, for words that are not ASCII
  bool ascii_ok_ = false;   // the probe confirmed the ASCII rules
  // By byte: kSeparator, kHigh (over 0x7F), or the folded token character.
  unsigned char ascii_class_[256] = {};
  FtsStats* stats_ = nullptr;
  std::optional<StringIds> terms_;        // into stats_->terms
  std::vector<OpenPosting> open_;         // by term id
  std::optional<StringIds> words_;        // into stats_->words
  std::vector<int> word_doc_;             // by word id: the last document that had it
  std::vector<std::string> ascii_words_;  // folded ASCII words seen
  std::optional<StringIds> ascii_ids_;    // into ascii_words_
  std::vector<uint32_t> ascii_term_;      // by ASCII word: its stem's term id
  std::vector<uint32_t> ascii_word_;      // by ASCII word: its word id, or kNoWord
  std::string word_;
  bool recording_ = false;
  int doc_ = 0;
  int column_ = 0;
  size_t word_bytes_ = 0;  // the keywords column's words end here (own keywords)
};

}  // namespace

bool FillSearchDatabase(const Catalogue& catalogue, const std::vector<std::string>& body_texts,
                        sqlite3* db, std::string* error, FtsStats* stats) {
  if (body_texts.size() != catalogue.services.size()) {
    *error = "the body texts do not match the services";
    return false;
  }
  return FillSearchDatabase(
      catalogue, [&body_texts](size_t index) { return body_texts[index]; }, db, error, stats);
}

bool FillSearchDatabase(const Catalogue& catalogue, const BodyTextSource& body_text, sqlite3* db,
                        std::string* error, FtsStats* stats) {
  auto exec = [&](const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      *error = message != nullptr ? message : sqlite3_errmsg(db);
      sqlite3_free(message);
      return false;
    }
    return true;
  };
  TokenRecorder* recorder = nullptr;
  if (stats != nullptr && (recorder = TokenRecorder::Install(db, error)) == nullptr) return false;
  // FTS5 flushes its pending terms to a new segment every megabyte or so
  // and, with automerge on, keeps merging segments as it goes: a quarter of
  // the whole fill at 10,000 entries, and growing faster than the corpus.
  // Off while filling; crisismerge still bounds the segments per level, and
  // the default is back before anything else writes to the table.
  if (!exec("BEGIN") || !exec(kSchema) ||
      !exec("INSERT INTO fts(fts, rank) VALUES('automerge', 0)")) {
    return false;
  }

  SqliteStmt meta, tier, category, area, service, fts;
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
                   error)) {
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

  if (recorder != nullptr) recorder->Start(stats, published.size());

  PairRows category_rows, area_rows, referral_rows, delivery_rows;
  long long id = 0;
  for (size_t index : published) {
    const Service* s = &catalogue.services[index];
    ++id;
    service.BindInt(1, id);
    service.BindTextRef(2, s->slug);
    service.BindTextRef(3, s->name);
    service.BindTextRef(4, s->organisation);
    service.BindTextRef(5, s->summary);
    service.BindTextRef(6, s->tier);
    service.BindTextRef(7, s->cost);
    service.BindText(8, StatusSlug(s->status));
    service.BindTextRef(9, s->contact.phone);
    service.BindTextRef(10, s->contact.text);
    service.BindTextRef(11, s->contact.email);
    service.BindTextRef(12, s->contact.website);
    service.BindTextRef(13, s->contact.referral_url);
    if (s->age_min)
      service.BindInt(14, *s->age_min);
    else
      service.BindNull(14);
    if (s->age_max)
      service.BindInt(15, *s->age_max);
    else
      service.BindNull(15);
    service.BindTextRef(16, s->waiting_time);
    service.BindText(17, s->last_reviewed.ToIso());
    service.BindText(18, "services/" + s->slug + "/");
    std::string keywords;
    for (const std::string& keyword : s->keywords) AppendLine(&keywords, keyword);
    service.BindTextRef(19, keywords);
    if (!step(&service)) return false;

    std::array<std::string, 5> columns = FtsColumnsFor(*s, catalogue.taxonomy, body_text(index));
    fts.BindInt(1, id);
    for (int c = 0; c < 5; ++c) fts.BindTextRef(c + 2, columns[c]);
    if (recorder != nullptr) recorder->BeginDocument(static_cast<int>(id), keywords.size());
    bool inserted = step(&fts);
    if (recorder != nullptr && recorder->EndDocument() != static_cast<int>(columns.size()) &&
        inserted) {
      *error = "the search statistics missed part of a document";
      return false;
    }
    if (!inserted) return false;

    category_rows.Add(id, s->categories);
    area_rows.Add(id, s->areas);
    referral_rows.Add(id, s->referral);
    delivery_rows.Add(id, s->delivery);
  }
  if (recorder != nullptr) recorder->Finish();
  if (!category_rows.Insert(db, "service_categories", error) ||
      !area_rows.Insert(db, "service_areas", error) ||
      !referral_rows.Insert(db, "service_referral", error) ||
      !delivery_rows.Insert(db, "service_delivery", error)) {
    return false;
  }
  // After COMMIT, which flushes the last pending terms, so that no merge
  // starts; 4 is FTS5's default (FTS5_DEFAULT_AUTOMERGE).
  return exec("COMMIT") && exec("INSERT INTO fts(fts, rank) VALUES('automerge', 4)");
}

bool WriteSearchDatabase(const Catalogue& catalogue, const std::vector<std::string>& body_texts,
                         const std::string& path, std::string* error, FtsStats* stats) {
  if (body_texts.size() != catalogue.services.size()) {
    *error = "the body texts do not match the services";
    return false;
  }
  return WriteSearchDatabase(
      catalogue, [&body_texts](size_t index) { return body_texts[index]; }, path, error, stats);
}

bool WriteSearchDatabase(const Catalogue& catalogue, const BodyTextSource& body_text,
                         const std::string& path, std::string* error, FtsStats* stats) {
  std::remove(path.c_str());
  SqliteDb db;
  // One thread uses the connection, so it needs no mutex of its own (every
  // bind, step and column call would take it).
  if (!db.Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, error)) {
    return false;
  }
  // A half-written file is thrown away with the staging folder, so durability
  // during the build buys nothing; it only costs time. 16 KiB pages: most
  // rows of the FTS content table (a whole entry's text) fit in one, and the
  // file is written in a quarter of the system calls (10,000 entries: 17%
  // smaller, the index stage ~9% faster than with 4 KiB).
  if (!db.Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=16384;", error)) {
    return false;
  }
  if (!FillSearchDatabase(catalogue, body_text, db.get(), error, stats)) return false;
  return db.Close(error);
}

}  // namespace signpost
