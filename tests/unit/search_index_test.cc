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
