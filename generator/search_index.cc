#include "search_index.h"

#include <cmark-gfm.h>
#include <link.h>
#include <sqlite3.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "fts_database.h"
#include "static_index.h"

namespace signpost {

namespace {

// This program's code and read-only data as loaded (its PT_LOAD segments
// that are not writable, ~1.6 MB, hashed once per process from memory): any
// change to the tokenizer, the ranking or the export is a new hash. Not the
// file's bytes: debug information holds the build folder's path, and ELF
// notes (the build ID) are hashes of the whole file, so the same source
// built in two folders would record different inputs.
struct Segments {
  XXH3_state_t* state;
  bool found = false;
};

int HashMainProgram(struct dl_phdr_info* info, size_t, void* data) {
  auto* segments = static_cast<Segments*>(data);
  // Notes lie inside a read-only segment; their bytes are left out.
  std::vector<std::pair<uintptr_t, uintptr_t>> notes;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_NOTE) notes.emplace_back(ph.p_vaddr, ph.p_vaddr + ph.p_filesz);
  }
  std::sort(notes.begin(), notes.end());
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || (ph.p_flags & PF_W) != 0) continue;  // relocated at load
    uintptr_t at = ph.p_vaddr, end = ph.p_vaddr + ph.p_filesz;
    for (const auto& [note_start, note_end] : notes) {
      if (note_end <= at || note_start >= end) continue;
      if (note_start > at) {
        XXH3_64bits_update(segments->state, reinterpret_cast<const void*>(info->dlpi_addr + at),
                           note_start - at);
      }
      at = std::max(at, note_end);
    }
    if (end > at) {
      XXH3_64bits_update(segments->state, reinterpret_cast<const void*>(info->dlpi_addr + at),
                         end - at);
    }
    segments->found = true;
  }
  return 1;  // the first object listed is the program itself
}

uint64_t ProgramHash() {
  static const uint64_t hash = [] {
    Segments segments{XXH3_createState()};
    XXH3_64bits_reset(segments.state);
    dl_iterate_phdr(HashMainProgram, &segments);
    uint64_t value = segments.found ? XXH3_64bits_digest(segments.state) : 0;
    XXH3_freeState(segments.state);
    return value;  // 0 (nothing found) only risks reusing an index across versions
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
