// The browser's search index (site/data/search/), exported from the FTS5
// database so that the browser and `signpost search` rank alike: term
// postings with FTS5's weighted term frequencies, per-document token counts,
// facet id lists, result cards in small chunks and a list of words for
// "Did you mean", all in content-hashed files listed by manifest.json.
//
// Files (all JSON; N documents numbered 1..N grouped by first category,
// shortest first; see Renumber in static_index.cc):
//   manifest.json        {"version":1, "n":N, "tokens":T, "k1":1.2, "b":0.75,
//                         "maxTokens":32, "lengths":FILE, "shards":[[FIRST_TERM, FILE]...],
//                         "chunk":C, "cards":{"count":K, "hash":H}, "words":FILE,
//                         "facets":{KIND:[{"value","label","count","file"}...]}}
//   d.HASH.json          [D_1 ... D_N]: tokens in each document (all columns)
//   t.K.HASH.json        {TERM:[dId, F, dId, F, ...]} for the terms from FIRST_TERM
//                        of shard K up to (not including) that of shard K+1;
//                        ids delta-encoded; F = sum over columns of weight*count
//   c.K.H.json           [CARD...] for numbers K*C+1 ... (K+1)*C; a card is
//                        {"slug","name","summary","phone","cost","ages":[min,max],
//                         "referral":[...],"areas":[...]}
//   f.KIND.VALUE.HASH.json  [dId...] ids with that facet value, delta-encoded
//   w.HASH.json          [WORD...] unstemmed words of names, keywords,
//                        organisations and summaries, most frequent first
// KIND is category, area (including "all"), tier, referral or cost.
#ifndef SIGNPOST_STATIC_INDEX_H_
#define SIGNPOST_STATIC_INDEX_H_

#include <sqlite3.h>

#include <string>

#include "diagnostic.h"
#include "fts_database.h"
#include "site_writer.h"

namespace signpost {

/// Folder of the browser index inside the output folder.
constexpr const char* kStaticIndexDir = "data/search/";
/// Result cards per chunk file.
constexpr int kCardsPerChunk = 16;
/// Target size of one postings shard before compression, in bytes.
constexpr size_t kShardTargetBytes = 24 * 1024;

/// Exports the browser index from the filled search database `db` into
/// `writer` under kStaticIndexDir, taking the term statistics from `stats`
/// (gathered by FillSearchDatabase; consumed) or, when null, reading them
/// back through fts5vocab. False (with *error) on a database failure.
bool ExportStaticIndex(sqlite3* db, SiteWriter* writer, Diagnostics* diags, std::string* error,
                       FtsStats* stats = nullptr);

/// A short content hash (FNV-1a 64, low 32 bits in 8 hex digits) for
/// cache-busting names: files differ by name as well, so 32 bits suffice.
std::string ContentHash(std::string_view bytes);

}  // namespace signpost

#endif  // SIGNPOST_STATIC_INDEX_H_
