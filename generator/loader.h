// Stage 1, load: reads a content folder (site.toml, taxonomy.toml,
// services/*.md) into the plain-data Catalogue. Problems of form (unreadable
// files, bad UTF-8, TOML syntax, wrong types, unknown keys) are reported here;
// rules that relate values to each other live in validate.h.
#ifndef SIGNPOST_LOADER_H_
#define SIGNPOST_LOADER_H_

#include <string>
#include <string_view>

#include "catalogue.h"
#include "diagnostic.h"

namespace signpost {

/// Largest entry file accepted, in bytes (DESIGN.md: over 1 MiB is an error).
constexpr size_t kMaxEntryBytes = 1 << 20;

/// Loads `content_dir` into *catalogue (services sorted by slug; entries that
/// could not be read are left out). Every file read is added to *sources so
/// diagnostics can echo its lines; every problem goes to *diags. Returns
/// false when a file could not be read for a reason other than its content
/// (permissions, disk errors, a missing content folder): exit code 3.
bool LoadCatalogue(const std::string& content_dir, Catalogue* catalogue, SourceMap* sources,
                   Diagnostics* diags);

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
