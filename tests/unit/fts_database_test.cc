#include "fts_database.h"

#include <boost/test/unit_test.hpp>

#include "search_fixture.h"

namespace signpost {

BOOST_AUTO_TEST_SUITE(fts_database_test)

BOOST_AUTO_TEST_CASE(markdown_becomes_plain_text) {
  struct Case {
    const char* markdown;
    const char* must_have;
    const char* must_not_have;
  };
  const Case cases[] = {
      {"## What happens\n\nWe **help** you.", "We help you.", "**"},
      {"[our form](https://example.org/refer)", "our form", "https://"},
      {"- one\n- two", "two", ""},
      {"Some <span>inline</span> text", "text", "<span>"},
      {"`code` and *emphasis*", "emphasis", "*"},
  };
  for (const Case& c : cases) {
    std::string text = MarkdownToPlainText(c.markdown);
    BOOST_TEST(text.find(c.must_have) != std::string::npos, c.markdown << " -> " << text);
    if (*c.must_not_have) {
      BOOST_TEST(text.find(c.must_not_have) == std::string::npos, c.markdown << " -> " << text);
    }
  }
  // Pathological nesting finishes (cmark is linear here) and keeps the words.
  std::string deep(5000, '>');
  deep += " deep words";
  BOOST_TEST(MarkdownToPlainText(deep).find("deep words") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(keywords_column_expands_category_names_and_synonyms) {
  Catalogue c = testing::MakeSearchCatalogue();
  const Service* s = c.FindService("example-community-counselling");
  BOOST_REQUIRE(s != nullptr);
  std::array<std::string, 5> columns = FtsColumnsFor(*s, c.taxonomy, MarkdownToPlainText(s->body));
  BOOST_TEST(columns[0] == "Example Community Counselling");
  for (const char* word : {"Talking therapies and counselling", "IAPT", "CBT", "low mood"}) {
    BOOST_TEST(columns[1].find(word) != std::string::npos, word);
  }
  BOOST_TEST(columns[4].find("sliding scale") != std::string::npos);
  BOOST_TEST(columns[4].find('*') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(database_holds_published_services_in_slug_order) {
  testing::TempDir dir;
  std::string path = dir.path() + "/d.sqlite3";
  std::string error;
  Catalogue c = testing::MakeSearchCatalogue();
  BOOST_REQUIRE_MESSAGE(WriteSearchDatabase(c, testing::BodyTexts(c), path, &error), error);
  SqliteDb db;
  BOOST_REQUIRE(db.Open(path, SQLITE_OPEN_READONLY, &error));
  SqliteStmt stmt;
  BOOST_REQUIRE(stmt.Prepare(db.get(), "SELECT id, slug FROM services ORDER BY id", &error));
  std::vector<std::string> slugs;
  while (stmt.Step() == SQLITE_ROW) {
    BOOST_TEST(stmt.Int(0) == static_cast<long long>(slugs.size()) + 1);
    slugs.push_back(stmt.Text(1));
  }
  BOOST_TEST(slugs.size() == c.services.size() - 1);  // one is closed
  BOOST_TEST(std::is_sorted(slugs.begin(), slugs.end()));
  BOOST_TEST((std::find(slugs.begin(), slugs.end(), "example-closed-service") == slugs.end()));

  struct Count {
    const char* sql;
    long long expected;
  };
  const Count counts[] = {
      {"SELECT count(*) FROM fts", 9},
      {"SELECT count(*) FROM service_areas WHERE area = 'all'", 6},
      {"SELECT count(*) FROM service_referral WHERE route = 'self'", 8},
      {"SELECT count(*) FROM service_categories WHERE category = 'peer-support'", 3},
      {"SELECT count(*) FROM fts WHERE fts MATCH '\"counsel\"'", 2},  // porter: counselling
      {"SELECT count(*) FROM fts WHERE fts MATCH '\"cafe\"'", 1},     // diacritics removed
      {"SELECT count(*) FROM categories", 7},
      {"SELECT count(*) FROM meta WHERE key = 'tokenizer' AND value = "
       "'porter unicode61 remove_diacritics 2'",
       1},
  };
  for (const Count& q : counts) {
    SqliteStmt count;
    BOOST_REQUIRE_MESSAGE(count.Prepare(db.get(), q.sql, &error), error);
    BOOST_REQUIRE(count.Step() == SQLITE_ROW);
    BOOST_TEST(count.Int(0) == q.expected, q.sql);
  }
}

BOOST_AUTO_TEST_CASE(same_catalogue_gives_identical_database_bytes) {
  testing::TempDir dir;
  std::string error;
  Catalogue c = testing::MakeSearchCatalogue();
  BOOST_REQUIRE(WriteSearchDatabase(c, testing::BodyTexts(c), dir.path() + "/a.sqlite3", &error));
  BOOST_REQUIRE(WriteSearchDatabase(c, testing::BodyTexts(c), dir.path() + "/b.sqlite3", &error));
  BOOST_TEST((testing::ReadFile(dir.path() + "/a.sqlite3") ==
              testing::ReadFile(dir.path() + "/b.sqlite3")));
}

BOOST_AUTO_TEST_CASE(unwritable_path_is_an_error_not_a_crash) {
  std::string error;
  Catalogue c = testing::MakeSearchCatalogue();
  BOOST_TEST(!WriteSearchDatabase(c, testing::BodyTexts(c), "/nonexistent-dir/x.sqlite3", &error));
  BOOST_TEST(!error.empty());
}

BOOST_AUTO_TEST_CASE(body_texts_that_do_not_line_up_are_refused_not_misread) {
  std::string error;
  Catalogue c = testing::MakeSearchCatalogue();
  testing::TempDir dir;
  std::vector<std::string> short_list(c.services.size() - 1);
  BOOST_TEST(!WriteSearchDatabase(c, short_list, dir.path() + "/x.sqlite3", &error));
  BOOST_TEST(!error.empty());
}

BOOST_AUTO_TEST_CASE(tokenizer_matches_fts5_including_porter) {
  SqliteDb db;
  std::string error;
  BOOST_REQUIRE(db.Open(":memory:", SQLITE_OPEN_READWRITE, &error));
  FtsTokenizer plain, stemmed, bogus;
  BOOST_REQUIRE(plain.Init(db.get(), "unicode61 remove_diacritics 2", &error));
  BOOST_REQUIRE(stemmed.Init(db.get(), kFtsTokenizer, &error));
  BOOST_TEST(!bogus.Init(db.get(), "no-such-tokenizer", &error));
  BOOST_TEST(plain.Tokenize("Café COUNSELLING, back-to-work") ==
             (std::vector<std::string>{"cafe", "counselling", "back", "to", "work"}));
  BOOST_TEST(stemmed.Tokenize("Café COUNSELLING therapies") ==
             (std::vector<std::string>{"cafe", "counsel", "therapi"}));
  BOOST_TEST(plain.Tokenize("\xFF\xFE bad \xC3").size() >= 1u);  // tolerated, no crash
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
