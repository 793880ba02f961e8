// The SQLite FTS5 search database (site/data/directory.sqlite3): its schema,
// the column weights shared by `signpost search` and the browser index, and
// FTS5's own tokenizers exposed to C++ so queries are split exactly as FTS5
// splits documents.
#ifndef SIGNPOST_FTS_DATABASE_H_
#define SIGNPOST_FTS_DATABASE_H_

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "diagnostic.h"

namespace signpost {

/// Where the database lives inside the output folder.
constexpr const char* kSearchDbPath = "data/directory.sqlite3";

/// The FTS5 columns, in table order.
constexpr std::array<const char*, 5> kFtsColumns = {"name", "keywords", "organisation", "summary",
                                                    "body"};
/// bm25() weight per column (same order); whole numbers, as the browser
/// index stores exact integer sums. The name says what a service is;
/// keywords carry the entry's own keywords plus its categories' names and
/// synonyms (several phrases repeat a word, so a lower weight than the name
/// keeps long synonym lists from drowning the name); the summary is one
/// curated sentence; the organisation matters when people search by provider
/// ("Mind"); the body mentions much in passing, so it counts least. Chosen on
/// the sample directory: with 10/8/3/4/1 "IAPT" ranked the talking-therapies
/// employment advisers above NHS Talking Therapies itself; 10/6/2/3/1 puts
/// every GP-style query of tests/e2e/search-consistency.test.mjs right except
/// "recov" (see there).
constexpr std::array<double, 5> kFtsWeights = {10.0, 6.0, 2.0, 3.0, 1.0};
/// The tokenizer every text column uses.
constexpr const char* kFtsTokenizer = "porter unicode61 remove_diacritics 2";
/// The same without stemming: words as typed (folded), for query words and
/// for "Did you mean".
constexpr const char* kFtsWordTokenizer = "unicode61 remove_diacritics 2";
/// FTS5 bm25() constants (fts5_aux.c); the browser index uses the same.
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;

/// Owns an sqlite3 connection; closes it when destroyed.
class SqliteDb {
 public:
  SqliteDb() = default;
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  /// Opens `path` with sqlite3_open_v2 `flags`; false with *error set on failure.
  bool Open(const std::string& path, int flags, std::string* error);
  /// Runs `sql` (several statements allowed); false with *error set on failure.
  bool Exec(const char* sql, std::string* error);
  /// Closes the connection; false with *error set if SQLite refuses.
  bool Close(std::string* error);
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

/// Owns a prepared statement; finalizes it when destroyed.
class SqliteStmt {
 public:
  SqliteStmt() = default;
  ~SqliteStmt();
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;

  /// Prepares `sql` on `db`; false with *error set on failure.
  bool Prepare(sqlite3* db, std::string_view sql, std::string* error);
  /// Binds UTF-8 text (copied) to the 1-based parameter `index`.
  void BindText(int index, std::string_view text);
  /// Binds UTF-8 text without copying it: `text` must stay valid until the
  /// statement is next reset or finalized.
  void BindTextRef(int index, std::string_view text);
  void BindInt(int index, long long value);
  void BindNull(int index);
  /// sqlite3_step: SQLITE_ROW, SQLITE_DONE or an error code.
  int Step();
  /// Resets for re-use with new bindings.
  void Reset();
  /// Column `i` of the current row as text ("" for NULL).
  std::string Text(int i) const;
  long long Int(int i) const { return sqlite3_column_int64(stmt_, i); }
  double Double(int i) const { return sqlite3_column_double(stmt_, i); }
  bool IsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

/// One of FTS5's registered tokenizers (e.g. "unicode61 remove_diacritics 2"
/// or kFtsTokenizer), driven directly through the fts5_api.
class FtsTokenizer {
 public:
  FtsTokenizer() = default;
  ~FtsTokenizer();
  FtsTokenizer(const FtsTokenizer&) = delete;
  FtsTokenizer& operator=(const FtsTokenizer&) = delete;

  /// Creates the tokenizer described by `spec` (name then arguments, split
  /// on spaces) on `db`; false with *error set when FTS5 refuses.
  bool Init(sqlite3* db, std::string_view spec, std::string* error);
  /// The tokens of `text` as FTS5 would index them (folded, maybe stemmed).
  /// Invalid UTF-8 is tolerated exactly as FTS5 tolerates it.
  std::vector<std::string> Tokenize(std::string_view text) const;

 private:
  fts5_tokenizer api_{};
  ::Fts5Tokenizer* tokenizer_ = nullptr;
};

/// Markdown to plain text for indexing: RenderMarkdown(markdown).text, the
/// text a build's renderer hands to the index (markup, raw HTML and link
/// targets dropped, link and image text kept).
std::string MarkdownToPlainText(std::string_view markdown);

/// The text of each FTS column for one service whose Markdown body reads
/// `body_text` as plain text; `keywords` carries the service's keywords plus
/// the names and synonyms of its categories, so a search for "IAPT" finds
/// every talking-therapies service.
std::array<std::string, 5> FtsColumnsFor(const Service& service, const Taxonomy& taxonomy,
                                         std::string_view body_text);

/// One document's weighted count of a term: sum over columns of
/// kFtsWeights[column] * occurrences.
struct FtsPosting {
  int doc;
  int freq;
};

/// Appends the posting (doc, freq) to the encoded posting list `list`
/// (see FtsStats::postings), whose last document was `previous_doc` (0 when
/// empty; doc must be greater).
void AppendPosting(std::string* list, int previous_doc, int doc, int freq);
/// The postings of an encoded posting list, docs ascending.
std::vector<FtsPosting> DecodePostings(std::string_view list);

/// Reads an encoded posting list one posting at a time, without allocating.
class PostingReader {
 public:
  explicit PostingReader(std::string_view list) : list_(list) {}
  /// Sets *posting to the next posting; false at the end of the list.
  bool Next(FtsPosting* posting) {
    if (pos_ >= list_.size()) return false;
    doc_ += static_cast<int>(Varint());
    posting->doc = doc_;
    posting->freq = static_cast<int>(Varint());
    return true;
  }

 private:
  uint32_t Varint() {
    uint32_t value = 0;
    for (int shift = 0; pos_ < list_.size() && shift < 32; shift += 7) {
      auto byte = static_cast<unsigned char>(list_[pos_++]);
      value |= static_cast<uint32_t>(byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    return value;
  }

  std::string_view list_;
  size_t pos_ = 0;
  int doc_ = 0;
};

/// The term statistics of the FTS table, recorded from the tokens FTS5
/// indexes while it is filled (same tokens, same truncation, same counting),
/// so the browser index need not read every token instance back through
/// fts5vocab.
struct FtsStats {
  std::vector<std::string> terms;  // by term id, first seen first
  // By term id: its postings, docs ascending, as varint pairs (doc minus the
  // previous doc, freq): some 2-3 bytes a posting where FtsPosting takes 8,
  // and a directory has millions (AppendPosting, DecodePostings).
  std::vector<std::string> postings;
  std::vector<int> lengths;  // tokens per document id (all columns); [0] unused
  long long total_tokens = 0;
  // The unstemmed words (as kFtsWordTokenizer folds them) of names, own
  // keywords, organisations and summaries, and how many documents have each
  // there: the "Did you mean" vocabulary.
  std::vector<std::string> words;
  std::vector<int> word_documents;  // by word, like `words`
};

/// Gives the plain text of catalogue.services[index]'s Markdown body. It is
/// called once for each published service, in index order, and may wait
/// for the text (the renderer hands it over while the index is being built).
using BodyTextSource = std::function<std::string(size_t index)>;

/// Creates the schema and fills it from the published services of
/// `catalogue` (slug order, ids 1..n) inside one transaction on `db`, taking
/// each body's plain text from `body_text`; fills `*stats` too when it is
/// not null, from a tokenizer it registers on `db` as "porter" (it behaves
/// as FTS5's porter for anything else on `db`).
bool FillSearchDatabase(const Catalogue& catalogue, const BodyTextSource& body_text, sqlite3* db,
                        std::string* error, FtsStats* stats = nullptr);
/// As above, with `body_texts` indexed like catalogue.services (entries of
/// unpublished services are not read); false when the sizes differ.
bool FillSearchDatabase(const Catalogue& catalogue, const std::vector<std::string>& body_texts,
                        sqlite3* db, std::string* error, FtsStats* stats = nullptr);

/// Writes a complete search database to `path` (replacing any file there),
/// as FillSearchDatabase fills it; fills `*stats` too when it is not null.
bool WriteSearchDatabase(const Catalogue& catalogue, const BodyTextSource& body_text,
                         const std::string& path, std::string* error, FtsStats* stats = nullptr);
/// As above, from a vector like FillSearchDatabase's.
bool WriteSearchDatabase(const Catalogue& catalogue, const std::vector<std::string>& body_texts,
                         const std::string& path, std::string* error, FtsStats* stats = nullptr);

}  // namespace signpost

#endif  // SIGNPOST_FTS_DATABASE_H_
