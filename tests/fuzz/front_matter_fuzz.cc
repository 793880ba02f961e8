// libFuzzer target: one service entry's bytes through the loader
// (ParseServiceEntry), the validator (against a small fixed catalogue) and
// the text formatter. Build and run (one process, a few minutes):
//   CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DSIGNPOST_FUZZ=ON \
//       -DSIGNPOST_TESTS=OFF && ninja -C build-fuzz front_matter_fuzz
//   mkdir -p /tmp/fuzz && cp tests/fuzz/corpus/* /tmp/fuzz/
//   build-fuzz/tests/fuzz/front_matter_fuzz -max_total_time=300 -max_len=65536 \
//       -dict=tests/fuzz/front_matter.dict /tmp/fuzz
#include <cstddef>
#include <cstdint>
#include <string>

#include "diagnostic.h"
#include "loader.h"
#include "validate.h"

namespace {

using signpost::Catalogue;

// Two tiers, categories, areas and one other entry, so references,
// taxonomy look-ups and look-alike checks all have something to compare.
Catalogue MakeBase() {
  Catalogue c;
  c.site.loaded = true;
  c.site.title = "Fuzz";
  c.site.base_url = "https://example.org/";
  c.taxonomy.loaded = true;
  c.taxonomy.tiers = {{"staying-well", "Staying well", "", {}}, {"crisis", "Crisis", "", {}}};
  c.taxonomy.categories = {{"peer-support", "Peer support", "", {"groups"}, {}},
                           {"talking-therapies", "Talking therapies", "", {"IAPT"}, {}}};
  c.taxonomy.areas = {{"example-north", "North", "", {"EX1"}, {}}};
  signpost::Service other;
  other.slug = "other";
  other.path = "content/services/other.md";
  other.name = "Other Peer Support";
  other.summary = "Weekly groups for adults.";
  other.contact.phone = "01632 960123";
  other.contact.email = "a@example.org";
  other.contact.website = "https://example.org/a";
  c.services.push_back(other);
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Catalogue base = MakeBase();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string path = "content/services/fuzz.md";

  signpost::Service service;
  signpost::Diagnostics diags;
  bool usable = signpost::ParseServiceEntry(path, "fuzz", text, &service, &diags);

  Catalogue catalogue = base;
  if (usable) catalogue.services.push_back(std::move(service));
  signpost::Validate(catalogue, signpost::Date{2026, 11, 23}, &diags);
  diags.Sort();

  signpost::SourceMap sources;
  sources.Add(path, std::string(text));
  size_t total = 0;
  for (const auto& d : diags.items()) {
    total += signpost::FormatText(d, sources).size() + signpost::FormatGithub(d).size();
    // Positions must point into the file: a line past the end means an
    // offset was computed wrongly.
    std::string line;
    if (d.path == path && d.line > 0 && !sources.GetLine(path, d.line, &line)) __builtin_trap();
  }
  return total == SIZE_MAX;  // keeps the formatting from being optimised away
}
