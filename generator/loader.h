// Stage 1, load: reads a content folder (site.toml, taxonomy.toml,
// services/*.md) into the plain-data Catalogue. Problems of form (unreadable
// files, bad UTF-8, TOML syntax, wrong types, unknown keys) are reported here;
// rules that relate values to each other live in validate.h.
#ifndef SIGNPOST_LOADER_H_
#define SIGNPOST_LOADER_H_

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "catalogue.h"
#include "diagnostic.h"
#include "file_stamp.h"

namespace signpost {

/// Largest entry file accepted, in bytes (DESIGN.md: over 1 MiB is an error).
constexpr size_t kMaxEntryBytes = 1 << 20;

class EntryCache;

/// Loads `content_dir` into *catalogue (services sorted by slug; entries that
/// could not be read are left out). Every file read is added to *sources so
/// diagnostics can echo its lines; every problem goes to *diags. Returns
/// false when a file could not be read for a reason other than its content
/// (permissions, disk errors, a missing content folder): exit code 3.
/// With a `cache`, entries whose files are unchanged since the cache was
/// filled are taken from it instead of being read and parsed again.
bool LoadCatalogue(const std::string& content_dir, Catalogue* catalogue, SourceMap* sources,
                   Diagnostics* diags, EntryCache* cache = nullptr);

/// The service entries of earlier loads, kept between builds of one process
/// (signpost serve) so the next LoadCatalogue re-reads and re-parses only
/// the files that changed. Restore() takes back the build's whole vector of
/// Services; when the next load finds the same files in the same order (an
/// edit, not an added or removed entry) it hands that vector back as it is,
/// so an unchanged entry costs one lstat and no copy or move.
class EntryCache {
 public:
  /// Takes `catalogue`'s services back into the cache, for the next load.
  void Restore(Catalogue* catalogue);
  /// The lstat of each file as a folder walk took it just before the next
  /// load (serve's watcher), by path spelled as the loader spells it
  /// (content folder + "/services/" + name): that load uses these instead
  /// of stat'ing each entry again, then forgets them (`walked` must last
  /// until then). A file edited after the walk is seen by the watcher's next
  /// look, which rebuilds again.
  void UseWalked(const std::unordered_map<std::string, struct stat>* walked) { walked_ = walked; }
  /// Entries the last load took from the cache / had to parse.
  size_t reused() const { return reused_; }
  size_t parsed() const { return parsed_; }

  /// What is remembered of one file (LoadCatalogue's business alone).
  struct Entry {
    static constexpr size_t kNoService = static_cast<size_t>(-1);
    FileStamp stamp;
    bool parsed = false;  ///< ParseServiceEntry succeeded.
    Diagnostics diags;    ///< The loader's own, for this file.
    std::string text;     ///< Kept only when diags is not empty (to echo lines).
    SourceFingerprint fingerprint;
    /// Between builds: where the parsed entry is in services_.
    size_t service = kNoService;
    uint64_t generation = 0;  ///< The last load that listed this file.
  };

 private:
  friend bool LoadCatalogue(const std::string&, Catalogue*, SourceMap*, Diagnostics*, EntryCache*);
  std::unordered_map<std::string, Entry> entries_;  // by path
  std::vector<Service> services_;                   // the last build's, in slug order
  const std::unordered_map<std::string, struct stat>* walked_ = nullptr;  // see UseWalked
  uint64_t generation_ = 0;
  size_t reused_ = 0;
  size_t parsed_ = 0;
};

/// Loads just taxonomy.toml at `path` (for `signpost new`, which lists the
/// valid slugs in the skeleton's comments). False when it is unusable.
bool LoadTaxonomyFile(const std::string& path, Taxonomy* taxonomy, SourceMap* sources,
                      Diagnostics* diags);

/// Parses one entry's bytes (`path` is used in diagnostics, `slug` is the
/// file name without ".md"). Returns false when the entry is unusable (no
/// front matter, TOML syntax error); *service still holds what was read.
bool ParseServiceEntry(const std::string& path, const std::string& slug, std::string_view text,
                       Service* service, Diagnostics* diags);

}  // namespace signpost

#endif  // SIGNPOST_LOADER_H_
