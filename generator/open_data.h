// The open-data export: data/services.json, every published service in Open
// Referral UK 3.0 shape (an ORUK /services page holding all of them), so
// other directories can reuse the listings. Field mapping follows HSDS:
// last_reviewed -> assured_date, hours -> schedules, ages -> minimum_age /
// maximum_age, categories -> attributes with taxonomy terms.
#ifndef SIGNPOST_OPEN_DATA_H_
#define SIGNPOST_OPEN_DATA_H_

#include <string>
#include <string_view>

#include "catalogue.h"
#include "diagnostic.h"
#include "site_writer.h"

namespace signpost {

/// A stable UUID-shaped identifier for `key` (same key, same id, every build).
std::string StableUuid(std::string_view key);

/// The export as JSON text (deterministic: fixed key order, services by slug).
std::string OpenDataJson(const Catalogue& catalogue);

/// Writes data/services.json into `writer`.
bool WriteOpenData(const Catalogue& catalogue, SiteWriter* writer, Diagnostics* diags);

}  // namespace signpost

#endif  // SIGNPOST_OPEN_DATA_H_
