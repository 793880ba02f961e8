#include "search_index.h"

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "search_fixture.h"

namespace signpost {

BOOST_AUTO_TEST_SUITE(search_index_test)

BOOST_AUTO_TEST_CASE(writes_the_database_and_the_browser_index) {
  testing::TempDir dir;
  Diagnostics diags;
  BOOST_REQUIRE(testing::BuildSearchSite(testing::MakeSearchCatalogue(), dir.path(), &diags));
  BOOST_TEST(diags.empty());
  BOOST_TEST(std::filesystem::file_size(dir.path() + "/site/data/directory.sqlite3") > 0u);
  BOOST_TEST(std::filesystem::exists(dir.path() + "/site/data/search/manifest.json"));
  // No journal or temp files left beside the database.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() + "/site/data")) {
    std::string name = entry.path().filename();
    BOOST_TEST((name == "directory.sqlite3" || name == "search"), name);
  }
}

// The index records what it was made from; every input counts, the
// order of the services included, and nothing else does.
BOOST_AUTO_TEST_CASE(search_index_inputs_cover_entries_site_and_taxonomy) {
  const Catalogue base = testing::MakeSearchCatalogue();
  BOOST_REQUIRE(base.services.size() >= 2u);
  const uint64_t key = SearchIndexInputs(base);
  BOOST_TEST(SearchIndexInputs(base) == key);
  BOOST_TEST(FormatSearchInputs(key).size() == 17u);  // 16 hex digits and a newline
  std::vector<Catalogue> changed(6, base);
  changed[0].services[0].source_hash ^= 1;
  changed[1].services[1].slug += "-x";
  changed[2].site.source_hash ^= 1;
  changed[3].taxonomy.source_hash ^= 1;
  changed[4].services.pop_back();
  std::swap(changed[5].services[0], changed[5].services[1]);
  for (size_t i = 0; i < changed.size(); ++i) {
    BOOST_TEST(SearchIndexInputs(changed[i]) != key, "change " << i);
  }
  Catalogue same = base;
  same.content_dir = "elsewhere";  // where the content lives is not an input
  BOOST_TEST(SearchIndexInputs(same) == key);

  testing::TempDir dir;
  Diagnostics diags;
  BOOST_REQUIRE(testing::BuildSearchSite(base, dir.path(), &diags));
  BOOST_TEST(testing::ReadFile(dir.path() + "/site/" + kSearchInputsPath) ==
             FormatSearchInputs(key));
}

BOOST_AUTO_TEST_CASE(a_failed_write_is_a_diagnostic) {
  testing::TempDir dir;
  Diagnostics diags;
  SiteWriter writer(dir.path() + "/site");
  BOOST_REQUIRE(writer.Begin(&diags));
  // A folder where the database file should go makes SQLite fail.
  std::filesystem::create_directories(writer.staging_dir() + "/data/directory.sqlite3/x");
  Catalogue c = testing::MakeSearchCatalogue();
  BOOST_TEST(!WriteSearchIndex(c, testing::BodyTexts(c), &writer, &diags));
  BOOST_TEST(diags.HasErrors());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
