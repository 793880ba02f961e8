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
