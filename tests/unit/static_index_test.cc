#include "static_index.h"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "fts_database.h"
#include "search_fixture.h"

namespace signpost {

namespace {

using Json = nlohmann::json;

struct Exported {
  testing::TempDir dir;
  std::string root;
  Json manifest;
  Exported() : Exported(testing::MakeSearchCatalogue()) {}
  explicit Exported(const Catalogue& c) {
    Diagnostics diags;
    BOOST_REQUIRE(testing::BuildSearchSite(c, dir.path(), &diags));
    root = dir.path() + "/site/data/search/";
    manifest = Json::parse(testing::ReadFile(root + "manifest.json"));
  }
  Json Load(const std::string& file) { return Json::parse(testing::ReadFile(root + file)); }
  // All postings of `term`, decoded: doc -> weighted frequency.
  std::map<int, int> Postings(const std::string& term) {
    std::map<int, int> out;
    for (const Json& shard : manifest["shards"]) {
      Json data = Load(shard[1]);
      if (!data.contains(term)) continue;
      int doc = 0;
      for (size_t i = 0; i + 1 < data[term].size(); i += 2) {
        doc += data[term][i].get<int>();
        out[doc] = data[term][i + 1].get<int>();
      }
    }
    return out;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(static_index_test)

BOOST_AUTO_TEST_CASE(content_hash_is_stable_and_short) {
  BOOST_TEST(ContentHash("abc") == ContentHash("abc"));
  BOOST_TEST(ContentHash("abc") != ContentHash("abd"));
  BOOST_TEST(ContentHash("").size() == 8u);
}

BOOST_AUTO_TEST_CASE(manifest_lists_hashed_files_that_exist) {
  Exported e;
  const Json& m = e.manifest;
  BOOST_TEST(m["version"] == 1);
  BOOST_TEST(m["n"] == 9);
  BOOST_TEST(m["k1"].get<double>() == kBm25K1);
  BOOST_TEST(m["b"].get<double>() == kBm25B);
  std::vector<std::string> files = {m["lengths"], m["words"]};
  for (const Json& s : m["shards"]) files.push_back(s[1]);
  for (int k = 0; k < m["cards"]["count"].get<int>(); ++k) {
    files.push_back("c." + std::to_string(k) + "." + m["cards"]["hash"].get<std::string>() +
                    ".json");
  }
  for (const auto& [kind, values] : m["facets"].items()) {
    for (const Json& v : values) files.push_back(v["file"]);
  }
  for (const std::string& f : files) {
    BOOST_TEST(std::filesystem::exists(e.root + f), f);
    // name.<8 hex>.json, the hash of the bytes (cards: of all card chunks).
    std::string bytes = testing::ReadFile(e.root + f);
    if (f[0] != 'c') BOOST_TEST(f.find("." + ContentHash(bytes) + ".json") != std::string::npos, f);
  }
  BOOST_TEST(m["shards"][0][0] == "");  // the first shard starts at the smallest term
}

BOOST_AUTO_TEST_CASE(postings_carry_fts5_weighted_frequencies_and_lengths) {
  Exported e;
  // "iapt" occurs in NHS Talking Therapies' keywords twice (own keyword and
  // category synonym: 2 x 6) and body once (1); in Community Counselling
  // only through the synonym (6).
  std::map<int, int> iapt = e.Postings("iapt");
  Json cards = e.Load("c.0." + e.manifest["cards"]["hash"].get<std::string>() + ".json");
  std::map<std::string, int> by_slug;
  for (const auto& [doc, f] : iapt) by_slug[cards[doc - 1]["slug"]] = f;
  BOOST_TEST(by_slug["example-nhs-talking-therapies"] == 2 * 6 + 1);
  BOOST_TEST(by_slug["example-community-counselling"] == 6);
  BOOST_TEST(by_slug.size() == 2u);
  // Lengths add up to the token total bm25() averages over.
  long long total = 0;
  for (const Json& d : e.Load(e.manifest["lengths"])) total += d.get<long long>();
  BOOST_TEST(total == e.manifest["tokens"].get<long long>());
}

BOOST_AUTO_TEST_CASE(area_facet_includes_all_and_cards_keep_hostile_text_as_data) {
  Exported e;
  bool has_all = false;
  for (const Json& v : e.manifest["facets"]["area"]) has_all |= v["value"] == "all";
  BOOST_TEST(has_all);
  Json cards = e.Load("c.0." + e.manifest["cards"]["hash"].get<std::string>() + ".json");
  bool found = false;
  for (const Json& card : cards) {
    if (card["slug"] == "example-hostile-entry") {
      found = true;
      BOOST_TEST(card["name"].get<std::string>().find("<script>") == 0u);
      BOOST_TEST(card["summary"].get<std::string>().find("<img") != std::string::npos);
    }
  }
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(shards_split_by_size_and_cover_terms_in_order) {
  Catalogue c = testing::MakeSearchCatalogue();
  // Enough distinct words to need several shards.
  for (int i = 0; i < 300; ++i) {
    Service s = c.services[0];
    char slug[32];
    std::snprintf(slug, sizeof slug, "bulk-%03d", i);
    s.slug = slug;
    s.body.clear();
    for (int w = 0; w < 40; ++w) s.body += "w" + std::to_string(i * 40 + w) + "x ";
    c.services.push_back(s);
  }
  std::sort(c.services.begin(), c.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  Exported e(c);
  const Json& shards = e.manifest["shards"];
  BOOST_TEST(shards.size() > 3u);
  std::string previous_last;
  for (size_t i = 0; i < shards.size(); ++i) {
    Json data = e.Load(shards[i][1]);
    std::string first = shards[i][0];
    BOOST_TEST(testing::ReadFile(e.root + shards[i][1].get<std::string>()).size() <
               2 * kShardTargetBytes);
    for (auto it = data.begin(); it != data.end(); ++it) {
      std::string term = it.key();
      BOOST_TEST((term >= first), term << " in shard from " << first);
      if (i + 1 < shards.size()) {
        std::string next = shards[i + 1][0];
        BOOST_TEST((term < next), term << " before " << next);
      }
      BOOST_TEST((term > previous_last), term << " after " << previous_last);
      previous_last = term;
    }
  }
  BOOST_TEST(e.manifest["cards"]["count"] == (309 + kCardsPerChunk - 1) / kCardsPerChunk);
}

BOOST_AUTO_TEST_CASE(output_is_deterministic) {
  Exported a, b;
  for (const auto& entry : std::filesystem::directory_iterator(a.root)) {
    std::string name = entry.path().filename();
    BOOST_TEST((testing::ReadFile(a.root + name) == testing::ReadFile(b.root + name)), name);
  }
}

// The statistics gathered while filling the database (FtsStats) must give
// exactly the files that reading every token back through fts5vocab gives,
// including for tokens FTS5 truncates, diacritics and broken UTF-8.
BOOST_AUTO_TEST_CASE(gathered_statistics_equal_the_fts5vocab_read_back) {
  Catalogue c = testing::MakeSearchCatalogue();
  BOOST_REQUIRE(c.services.size() > 3);
  c.services[0].body +=
      "\n\n" + std::string(40000, 'x') + " Café CAFE caf\xc3 \xff\xfe running runs";
  c.services[0].summary += " " + std::string(32769, 'y') + " " + std::string(32768, 'y') + " " +
                           std::string(32767, 'y') + "s " + std::string(65, 'z') + "ing";
  // CJK (one token per run of ideographs), combining marks removed or kept
  // as FTS5 decides, numbers, and a service whose text columns are empty.
  c.services[2].body +=
      "\n\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe6\x94\xaf\xe6\x8f\xb4 "
      "e\xcc\x81te\xcc\x81 \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 "
      "0300 123 4567 \xf0\x9f\x98\x80 a\xe2\x80\x8b"
      "b";
  // Words for "Did you mean" come from the same recording: non-ASCII words
  // in names, own keywords and summaries, and a keyword that is also a
  // category synonym.
  c.services[0].name += " Caf\xc3\xa9 \xc5\x9ctudio ZU\xcc\x88RICH";
  c.services[0].keywords.push_back("Z\xc3\xbcrich na\xc3\xafve");
  c.services[0].keywords.push_back("money");
  c.services[2].summary += " na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
  Service& bare = c.services[3];
  bare.summary.clear();
  bare.keywords.clear();
  bare.categories = {"no-such-category"};  // no names or synonyms either
  bare.organisation.clear();
  bare.body.clear();
  testing::TempDir dir;
  SqliteDb db;
  std::string error;
  BOOST_REQUIRE(
      db.Open(dir.path() + "/db.sqlite3", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &error));
  FtsStats stats;
  BOOST_REQUIRE(FillSearchDatabase(c, testing::BodyTexts(c), db.get(), &error, &stats));
  BOOST_TEST(stats.total_tokens > 0);
  std::map<std::string, std::string> files[2];
  for (int i = 0; i < 2; ++i) {
    Diagnostics diags;
    std::string out = dir.path() + "/site" + std::to_string(i);
    SiteWriter writer(out);
    writer.set_background_delete(false);
    BOOST_REQUIRE(writer.Begin(&diags));
    BOOST_REQUIRE(ExportStaticIndex(db.get(), &writer, &diags, &error, i == 0 ? &stats : nullptr));
    BOOST_REQUIRE(writer.Commit(&diags));
    for (const auto& entry : std::filesystem::directory_iterator(out + "/data/search")) {
      files[i][entry.path().filename()] = testing::ReadFile(entry.path());
    }
  }
  BOOST_TEST(files[0].size() == files[1].size());
  for (const auto& [name, bytes] : files[1]) {
    BOOST_TEST((files[0][name] == bytes), name);
  }
}

BOOST_AUTO_TEST_CASE(empty_directory_exports_a_usable_index) {
  Catalogue c = testing::MakeSearchCatalogue();
  c.services.clear();
  Exported e(c);
  BOOST_TEST(e.manifest["n"] == 0);
  BOOST_TEST(e.manifest["shards"].size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
