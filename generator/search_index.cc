#include "search_index.h"

#include <cmark-gfm.h>
#include <fcntl.h>
#include <link.h>
#include <sqlite3.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <utility>
#include <vector>

#include "fts_database.h"
#include "input_key.h"
#include "static_index.h"

namespace signpost {

namespace {

// This program's code and read-only data (its PT_LOAD segments that are
// not writable, ~1.6 MB, hashed once per process): any change to the
// tokenizer, the ranking or the export is a new hash. Not the whole file:
// debug information holds the build folder's path, and ELF notes (the build
// ID) are hashes of the whole file, so the same source built in two folders
// would record different inputs. The bytes are read from the file, not from
// memory: AddressSanitizer poisons the gaps between globals there.
using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;  // file offset, size

int ProgramRanges(struct dl_phdr_info* info, size_t, void* data) {
  auto* ranges = static_cast<Ranges*>(data);
  std::vector<std::pair<uint64_t, uint64_t>> notes;  // virtual address ranges
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_NOTE) notes.emplace_back(ph.p_vaddr, ph.p_vaddr + ph.p_filesz);
  }
  std::sort(notes.begin(), notes.end());
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || (ph.p_flags & PF_W) != 0) continue;  // relocated at load
    auto add = [&](uint64_t from, uint64_t to) {  // virtual addresses in this segment
      if (to > from) ranges->emplace_back(ph.p_offset + (from - ph.p_vaddr), to - from);
    };
    uint64_t at = ph.p_vaddr, end = ph.p_vaddr + ph.p_filesz;
    for (const auto& [note_start, note_end] : notes) {  // notes are left out
      if (note_end <= at || note_start >= end) continue;
      add(at, note_start);
      at = std::max(at, note_end);
    }
    add(at, end);
  }
  return 1;  // the first object listed is the program itself
}

uint64_t ProgramBytesHash() {
  static const uint64_t hash = [] {
    Ranges ranges;
    dl_iterate_phdr(ProgramRanges, &ranges);
    int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ranges.empty()) {
      if (fd >= 0) ::close(fd);
      return uint64_t{0};  // only risks reusing an index across versions
    }
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    std::vector<char> buf(1 << 18);
    for (auto [offset, size] : ranges) {
      while (size > 0) {
        ssize_t n = ::pread(fd, buf.data(), std::min<uint64_t>(size, buf.size()),
                            static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // a short file: hash what there is
        XXH3_64bits_update(state, buf.data(), static_cast<size_t>(n));
        offset += static_cast<uint64_t>(n);
        size -= static_cast<uint64_t>(n);
      }
    }
    uint64_t value = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    ::close(fd);
    return value;
  }();
  return hash;
}

}  // namespace

uint64_t ProgramHash() {
  static const uint64_t hash = InputKey()
                                   .Add(ProgramBytesHash())
                                   .Add(sqlite3_sourceid())
                                   .Add(cmark_version_string())
                                   .value();
  return hash;
}

uint64_t SearchIndexInputs(const Catalogue& catalogue) {
  InputKey key;
  key.Add("signpost search index 1").Add(ProgramHash());
  key.Add(catalogue.site.source_hash).Add(catalogue.taxonomy.source_hash);
  key.Add(uint64_t{catalogue.services.size()});
  for (const Service& s : catalogue.services) key.Add(s.slug).Add(s.source_hash);
  return key.value();
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
