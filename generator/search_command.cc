// `signpost search`: queries the built FTS5 database and prints the ranked
// services as text for people or as JSON for scripts.
//
// JSON format (stable; fields are only ever added):
//   {"query": "<as typed>", "tokens": ["folded", "words"],
//    "filters": {"category": null|"slug", "area": ..., "tier": ..., "self_referral": bool},
//    "count": <number of results below>,
//    "results": [{"rank": 1, "slug", "name", "organisation", "summary", "url",
//                 "score": <-bm25, higher is better>, "referral": ["self", ...],
//                 "phone", "ages": {"min": n|null, "max": n|null}, "areas": [...],
//                 "categories": [...], "tier", "cost"}]}
#include <sys/stat.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "catalogue.h"
#include "commands.h"
#include "search_query.h"

namespace signpost {

namespace {

// Checks one --category/--area/--tier value; prints "did you mean" when not.
bool CheckFacet(const char* option, const std::string& value,
                const std::vector<FacetValue>& known) {
  if (value.empty()) return true;
  std::vector<std::string> slugs;
  for (const FacetValue& v : known) {
    if (v.slug == value) return true;
    slugs.push_back(v.slug);
  }
  std::string shown = SanitizeForDisplay(value);
  std::fprintf(stderr, "signpost search: unknown %s '%s'", option, shown.c_str());
  std::string nearest = NearestWord(value, slugs);
  if (!nearest.empty()) std::fprintf(stderr, ": did you mean '%s'?", nearest.c_str());
  std::fputc('\n', stderr);
  std::string all;
  for (const std::string& s : slugs) all += (all.empty() ? "" : ", ") + s;
  std::fprintf(stderr, "  hint: %s is one of: %s\n", option, all.c_str());
  return false;
}

std::string HowToRefer(const SearchHit& hit) {
  std::string out;
  for (const std::string& route : hit.referral) {
    out += (out.empty() ? "" : ", ") + ReferralLabel(route);
  }
  return out;
}

std::string Ages(const SearchHit& hit) {
  if (hit.age_min && hit.age_max) {
    return "ages " + std::to_string(*hit.age_min) + " to " + std::to_string(*hit.age_max);
  }
  if (hit.age_min) return "ages " + std::to_string(*hit.age_min) + " and over";
  if (hit.age_max) return "ages up to " + std::to_string(*hit.age_max);
  return "";
}

nlohmann::json OptionalText(const std::string& value) {
  return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
}

nlohmann::json OptionalInt(const std::optional<int>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

int RunSearch(const SearchOptions& options) {
  struct stat info;
  if (::stat(options.index.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    std::string shown = SanitizeForDisplay(options.index);
    std::fprintf(stderr, "signpost search: no search index at %s: run `signpost build` first\n",
                 shown.c_str());
    return kExitFailure;
  }
  SearchIndex index;
  std::string error;
  if (!index.Open(options.index, &error)) {
    std::fprintf(stderr, "signpost search: cannot read %s: %s\n",
                 SanitizeForDisplay(options.index).c_str(), error.c_str());
    return kExitFailure;
  }
  if (!CheckFacet("--category", options.category, index.Categories()) ||
      !CheckFacet("--area", options.area, index.Areas()) ||
      !CheckFacet("--tier", options.tier, index.Tiers())) {
    return kExitUsage;
  }

  SearchFilters filters;
  filters.category = options.category;
  filters.area = options.area;
  filters.tier = options.tier;
  filters.self_referral = options.self_referral;
  SearchResult result;
  if (!index.Search(options.query, filters, options.limit, &result, &error)) {
    std::fprintf(stderr, "signpost search: the search database failed: %s\n", error.c_str());
    return kExitFailure;
  }

  if (options.json) {
    nlohmann::json out;
    out["query"] = options.query;
    out["tokens"] = result.tokens;
    out["filters"] = {{"category", OptionalText(options.category)},
                      {"area", OptionalText(options.area)},
                      {"tier", OptionalText(options.tier)},
                      {"self_referral", options.self_referral}};
    out["count"] = result.hits.size();
    nlohmann::json results = nlohmann::json::array();
    int rank = 0;
    for (const SearchHit& hit : result.hits) {
      results.push_back(
          {{"rank", ++rank},
           {"slug", hit.slug},
           {"name", hit.name},
           {"organisation", hit.organisation},
           {"summary", hit.summary},
           {"url", hit.url},
           {"score", hit.score},
           {"referral", hit.referral},
           {"phone", OptionalText(hit.phone)},
           {"ages", {{"min", OptionalInt(hit.age_min)}, {"max", OptionalInt(hit.age_max)}}},
           {"areas", hit.areas},
           {"categories", hit.categories},
           {"tier", hit.tier},
           {"cost", hit.cost}});
    }
    out["results"] = std::move(results);
    // The query is echoed as typed, which may not be UTF-8: replace, never throw.
    std::string text = out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    return kExitOk;
  }

  if (result.hits.empty()) {
    std::printf("No services found for \"%s\".\n", SanitizeForDisplay(options.query).c_str());
    return kExitOk;
  }
  int rank = 0;
  for (const SearchHit& hit : result.hits) {
    std::printf("%d. %s\n", ++rank, SanitizeForDisplay(hit.name).c_str());
    std::printf("   %s\n", SanitizeForDisplay(hit.summary).c_str());
    std::string facts = HowToRefer(hit);
    std::string ages = Ages(hit);
    if (!ages.empty()) facts += (facts.empty() ? "" : "; ") + ages;
    if (!hit.phone.empty()) facts += (facts.empty() ? "Phone " : "; phone ") + hit.phone;
    if (!facts.empty()) std::printf("   %s\n", SanitizeForDisplay(facts).c_str());
    std::printf("   %s\n", hit.url.c_str());
  }
  return kExitOk;
}

}  // namespace signpost
