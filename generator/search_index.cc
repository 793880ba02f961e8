#include "search_index.h"

#include <cmark-gfm.h>
#include <sqlite3.h>
#include <xxhash.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "fts_database.h"
#include "static_index.h"

namespace signpost {

namespace {

// This executable's bytes, hashed once per process (~10 MB, a few ms): any
// change to the tokenizer, the ranking or the export format is a new binary.
// 0 when it cannot be read, which only costs a needless rebuild.
uint64_t ProgramHash() {
  static const uint64_t hash = [] {
    std::error_code ec;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    uint64_t size = 0, value = 0;
    if (ec || !HashWholeFile(self.string(), &size, &value)) return uint64_t{0};
    return value;
  }();
  return hash;
}

}  // namespace

uint64_t SearchIndexInputs(const Catalogue& catalogue) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  auto add = [state](std::string_view bytes) {
    uint64_t size = bytes.size();  // lengths too, so piece boundaries count
    XXH3_64bits_update(state, &size, sizeof size);
    XXH3_64bits_update(state, bytes.data(), bytes.size());
  };
  auto add_number = [&add](uint64_t value) {
    add(std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
  };
  add("signpost search index 1");
  add_number(ProgramHash());
  add(sqlite3_sourceid());
  add(cmark_version_string());
  add_number(catalogue.site.source_hash);
  add_number(catalogue.taxonomy.source_hash);
  add_number(catalogue.services.size());
  for (const Service& s : catalogue.services) {
    add(s.slug);
    add_number(s.source_hash);
  }
  uint64_t inputs = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return inputs;
}

std::string FormatSearchInputs(uint64_t inputs) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(inputs));
  return std::string(hex) + "\n";
}

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
  return writer->Adopt(kSearchDbPath, diags) &&
         writer->Write(kSearchInputsPath, FormatSearchInputs(SearchIndexInputs(catalogue)), diags);
}

}  // namespace signpost
