#include "search_index.h"

#include "fts_database.h"
#include "static_index.h"

namespace signpost {

bool WriteSearchIndex(const Catalogue& catalogue, const std::vector<std::string>& body_texts,
                      SiteWriter* writer, Diagnostics* diags) {
  if (body_texts.size() != catalogue.services.size()) {
    diags->Error(std::string("site/") + kSearchDbPath, 0, 0,
                 "cannot write the search database: the body texts do not match the services",
                 "this is an internal problem, not a content error");
    return false;
  }
  return WriteSearchIndex(
      catalogue, [&body_texts](size_t index) { return body_texts[index]; }, writer, diags);
}

bool WriteSearchIndex(const Catalogue& catalogue, const BodyTextSource& body_text,
                      SiteWriter* writer, Diagnostics* diags) {
  std::string path = writer->staging_dir() + "/" + kSearchDbPath;
  if (!writer->EnsureParent(kSearchDbPath, diags)) return false;
  std::string error;
  auto fail = [&](const std::string& what) {
    diags->Error(std::string("site/") + kSearchDbPath, 0, 0, what + ": " + error,
                 "this is an internal or disk problem, not a content error");
    return false;
  };
  // Written completely and closed before the browser index is read back
  // from it, so both come from the same bytes that ship in data/.
  FtsStats stats;
  if (!WriteSearchDatabase(catalogue, body_text, path, &error, &stats))
    return fail("cannot write the search database");
  SqliteDb db;  // this thread's alone, like the writer's: no mutex
  if (!db.Open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, &error))
    return fail("cannot reopen the search database");
  if (!ExportStaticIndex(db.get(), writer, diags, &error, &stats)) {
    if (error.empty()) return false;  // the writer already explained
    return fail("cannot export the browser search index");
  }
  return writer->Adopt(kSearchDbPath, diags);
}

}  // namespace signpost
