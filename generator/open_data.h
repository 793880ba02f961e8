// The open-data export: data/services.json, every published service in Open
// Referral UK 3.0 shape (an ORUK /services page holding all of them), so
// other directories can reuse the listings. Field mapping follows HSDS:
// last_reviewed -> assured_date, hours -> schedules, ages -> minimum_age /
// maximum_age, categories -> attributes with taxonomy terms.
#ifndef SIGNPOST_OPEN_DATA_H_
#define SIGNPOST_OPEN_DATA_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "catalogue.h"
#include "diagnostic.h"
#include "site_writer.h"

namespace signpost {

/// A stable UUID-shaped identifier for `key` (same key, same id, every build).
std::string StableUuid(std::string_view key);

/// The export as JSON text (deterministic: fixed key order, services by slug).
std::string OpenDataJson(const Catalogue& catalogue);

/// The per-service parts of the export one process wrote last (signpost
/// serve): the next export rebuilds only the parts of changed entries, and
/// keeps the file when no part's text changed. Used by one build at a time.
class OpenDataMemo {
 public:
  /// After a build whose output was committed: its parts become the ones
  /// the next build compares with (a build that made none keeps the old).
  void Commit();
  /// After a failed build: forgets what it made.
  void Discard();
  /// Services whose part of the file is remembered.
  size_t parts() const { return parts_.size(); }

 private:
  friend bool WriteOpenData(const Catalogue&, SiteWriter*, Diagnostics*, OpenDataMemo*);
  struct Part {
    uint64_t source_hash = 0;    ///< The entry it was made from.
    uint64_t taxonomy_hash = 0;  ///< Area and category names come from the taxonomy.
    uint64_t text_hash = 0;
    std::string text;
  };
  std::unordered_map<std::string, Part> parts_, next_parts_;  // by slug
  uint64_t file_key_ = 0, next_file_key_ = 0;
  bool made_ = false;  ///< This build made the parts in next_parts_.
};

/// Writes data/services.json into `writer` (streamed in pieces). With a
/// `memo`, unchanged services' parts are reused and an unchanged file kept.
bool WriteOpenData(const Catalogue& catalogue, SiteWriter* writer, Diagnostics* diags,
                   OpenDataMemo* memo = nullptr);

}  // namespace signpost

#endif  // SIGNPOST_OPEN_DATA_H_
