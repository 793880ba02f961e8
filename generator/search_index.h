// Stage 4, index: writes the SQLite FTS5 database (data/directory.sqlite3)
// and the static, sharded browser index exported from it.
#ifndef SIGNPOST_SEARCH_INDEX_H_
#define SIGNPOST_SEARCH_INDEX_H_

#include <string>
#include <vector>

#include "catalogue.h"
#include "diagnostic.h"
#include "fts_database.h"
#include "site_writer.h"

namespace signpost {

/// Records what the search index of a site was made from: the 16 hex digits
/// of SearchIndexInputs. A build whose inputs hash the same keeps the
/// previous index (build_command.cc) instead of making it again.
constexpr const char* kSearchInputsPath = "data/search/inputs.txt";

/// One hash of everything the search index is made from: each entry's slug
/// and the hash of its bytes (front matter and body), site.toml's and
/// taxonomy.toml's hashes, and the program itself (this executable's bytes,
/// the SQLite and cmark-gfm it runs with), so a new signpost or library
/// never reuses an index an older one made. Templates are not an input.
uint64_t SearchIndexInputs(const Catalogue& catalogue);

/// A hash of this program's code and read-only data (not its debug
/// information), with the SQLite and cmark-gfm versions it runs with: what
/// anything kept from an earlier process (the search index, page keys) must
/// have been made by.
uint64_t ProgramHash();
/// The text of kSearchInputsPath for `inputs`.
std::string FormatSearchInputs(uint64_t inputs);

/// Writes the search database and the browser index into `writer`, taking
/// each published service's body text from `body_text` (see
/// BodyTextSource). Returns false (with a diagnostic) on any failure.
bool WriteSearchIndex(const Catalogue& catalogue, const BodyTextSource& body_text,
                      SiteWriter* writer, Diagnostics* diags);
/// As above, with `body_texts[i]` the plain text of catalogue.services[i]'s
/// Markdown body (may be empty for an unpublished service).
bool WriteSearchIndex(const Catalogue& catalogue, const std::vector<std::string>& body_texts,
                      SiteWriter* writer, Diagnostics* diags);

}  // namespace signpost

#endif  // SIGNPOST_SEARCH_INDEX_H_
