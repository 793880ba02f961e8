#include "fts_database.h"

#include <cmark-gfm.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <map>

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

// The index's text comes from the renderer's own walk of the page's parse
// (much cheaper than cmark_render_plaintext): FTS5 must see the same words,
// in the same order, as in cmark's plain-text rendering of the body. Only
// tokens with a letter are compared: the walk leaves out ordered-list
// numbers ("1."), which are not words of the text.
BOOST_AUTO_TEST_CASE(plain_text_has_the_words_of_cmark_render_plaintext) {
  SqliteDb db;
  std::string error;
  BOOST_REQUIRE(db.Open(":memory:", SQLITE_OPEN_READWRITE, &error));
  FtsTokenizer tokenizer;
  BOOST_REQUIRE(tokenizer.Init(db.get(), kFtsTokenizer, &error));
  auto rendered = [](const std::string& markdown) {
    cmark_node* document =
        cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT);
    char* text = cmark_render_plaintext(document, CMARK_OPT_DEFAULT, 0);
    std::string result = text;
    free(text);
    cmark_node_free(document);
    return result;
  };
  const std::string cases[] = {
      "## What happens\n\nWe **help**ful you.\n\nSecond para\nsoft break",
      "1. a\n   1. x\n   2. y\n2. b\n3. c\n",
      "3. three\n4. four\n\n- bullet\n\n7) seven\n8) eight\n\n9. a\n10. b\n11. c\n",
      "- a\n  1. x\n  2. y\n- b\n\n  loose para\n",
      "> quoted *text*\n> 1. one\n>\n> > deeper\n\nafter",
      "```\ncode block\nline two\n```\nnext\n\n    indented code\n\ntext `inline code`x",
      "<div>\nhtml block words\n</div>\n\nfoo<span>bar</span>baz",
      "[link text](https://example.org/a-b) ![alt words](https://x/y.png) "
      "<https://auto.example.org/path> mail@example.org",
      "hard  \nbreak\\\nand\nsetext\n===\n\n***\n\nafter rule",
      "&amp; caf&eacute; &#169; na\xC3\xAFve CAF\xC3\x89 \xE6\x97\xA5\xE6\x9C\xAC"
      "\xE8\xAA\x9E \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
      "| Day | Session |\n| --- | --- |\n| Monday | Group |\n\nfootnote[^1]\n\n[^1]: note",
      std::string(5000, '>') + " deep words",
      "* * *\n- [ ] task\n- [x] done\n\n1. " + std::string(70000, 'z') + " end",
      "",
      "   \n\n",
  };
  auto words = [&tokenizer](const std::string& text) {
    std::vector<std::string> out;
    for (std::string& t : tokenizer.Tokenize(text)) {
      bool letter = false;
      for (unsigned char c : t) letter |= (c >= 'a' && c <= 'z') || c >= 0x80;
      if (letter) out.push_back(std::move(t));
    }
    return out;
  };
  for (const std::string& markdown : cases) {
    std::string expected = rendered(markdown);
    std::string got = MarkdownToPlainText(markdown);
    BOOST_TEST((words(got) == words(expected)), markdown.substr(0, 80)
                                                    << "\n-> " << got.substr(0, 200) << "\nwanted "
                                                    << expected.substr(0, 200));
  }
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
      // Contentless: the index, not a second copy of every text.
      {"SELECT count(*) FROM sqlite_master WHERE name = 'fts_content'", 0},
      {"SELECT count(*) FROM fts WHERE body IS NOT NULL", 0},
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

// List facts go in in batches, sorted; a value a list repeats is one row,
// and every service keeps all of its own (more services than one batch).
BOOST_AUTO_TEST_CASE(list_facts_are_complete_and_a_repeated_value_is_one_row) {
  Catalogue c = testing::MakeSearchCatalogue();
  c.services[0].areas = {"example-north", "all", "example-north"};
  c.services[0].referral = {"gp", "self", "gp", "gp"};
  for (int i = 0; i < 150; ++i) {
    Service s = c.services[3];
    s.slug = "bulk-" + std::to_string(1000 + i);
    s.areas = {i % 2 == 0 ? "example-north" : "example-central"};
    c.services.push_back(s);
  }
  testing::TempDir dir;
  std::string path = dir.path() + "/d.sqlite3";
  std::string error;
  BOOST_REQUIRE_MESSAGE(WriteSearchDatabase(c, testing::BodyTexts(c), path, &error), error);
  SqliteDb db;
  BOOST_REQUIRE(db.Open(path, SQLITE_OPEN_READONLY, &error));
  struct Count {
    const char* sql;
    long long expected;
  };
  const Count counts[] = {
      {"SELECT count(*) FROM service_areas WHERE service_id = "
       "(SELECT id FROM services WHERE slug = 'example-citizens-advice-debt')",
       2},
      {"SELECT count(*) FROM service_referral WHERE service_id = "
       "(SELECT id FROM services WHERE slug = 'example-citizens-advice-debt')",
       2},
      {"SELECT count(*) FROM service_areas WHERE area = 'example-north'", 1 + 75 + 1},
      {"SELECT count(*) FROM service_areas WHERE area = 'example-central'", 75 + 1},
      {"SELECT count(*) FROM services WHERE id NOT IN (SELECT service_id FROM service_areas)", 0},
      {"SELECT count(*) FROM service_categories", 150 + 10},
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

// FillSearchDatabase records FtsStats from FTS5's own tokenization (a
// wrapper around "porter" on the filling connection); they must equal what
// tokenizing every column again, counted as fts5StorageInsertCallback
// counts, gives: long tokens truncated, diacritics, CJK, empty columns.
BOOST_AUTO_TEST_CASE(recorded_statistics_equal_a_second_tokenization) {
  Catalogue c = testing::MakeSearchCatalogue();
  c.services[0].body += "\n" + std::string(40000, 'x') + " Caf\xc3\xa9 e\xcc\x81te\xcc\x81 " +
                        std::string(32768, 'y') + " " + std::string(32769, 'y') +
                        " \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xd0\x9c\xd0\xbe\xd1\x81 "
                        "running runs ran";
  c.services[2].summary.clear();
  c.services[2].keywords.clear();
  c.services[2].categories.clear();
  std::vector<std::string> texts = testing::BodyTexts(c);
  texts[2].clear();
  SqliteDb db;
  std::string error;
  BOOST_REQUIRE(db.Open(":memory:", SQLITE_OPEN_READWRITE, &error));
  FtsStats stats;
  BOOST_REQUIRE_MESSAGE(FillSearchDatabase(c, texts, db.get(), &error, &stats), error);

  // The reference: a connection of its own, with FTS5's plain tokenizer.
  SqliteDb other;
  BOOST_REQUIRE(other.Open(":memory:", SQLITE_OPEN_READWRITE, &error));
  FtsTokenizer tokenizer;
  BOOST_REQUIRE(tokenizer.Init(other.get(), kFtsTokenizer, &error));
  std::vector<size_t> published;
  for (size_t i = 0; i < c.services.size(); ++i) {
    if (c.services[i].IsPublished()) published.push_back(i);
  }
  std::sort(published.begin(), published.end(),
            [&](size_t a, size_t b) { return c.services[a].slug < c.services[b].slug; });
  std::map<std::string, std::map<int, int>> expected;
  std::vector<int> lengths(published.size() + 1, 0);
  long long total = 0;
  for (size_t k = 0; k < published.size(); ++k) {
    int doc = static_cast<int>(k) + 1;
    const Service& s = c.services[published[k]];
    std::array<std::string, 5> columns = FtsColumnsFor(s, c.taxonomy, texts[published[k]]);
    for (size_t col = 0; col < columns.size(); ++col) {
      for (std::string& token : tokenizer.Tokenize(columns[col])) {
        if (token.size() > 32768) token.resize(32768);  // FTS5_MAX_TOKEN_SIZE
        expected[token][doc] += static_cast<int>(kFtsWeights[col]);
        ++lengths[doc];
        ++total;
      }
    }
  }
  BOOST_TEST(stats.lengths == lengths, boost::test_tools::per_element());
  BOOST_TEST(stats.total_tokens == total);
  BOOST_REQUIRE(stats.terms.size() == stats.postings.size());
  BOOST_TEST(stats.terms.size() == expected.size());
  for (size_t id = 0; id < stats.terms.size(); ++id) {
    std::map<int, int> got;
    int previous = 0;
    for (const FtsPosting& p : DecodePostings(stats.postings[id])) {
      BOOST_TEST(p.doc > previous);  // doc order, one posting per document
      previous = p.doc;
      got[p.doc] = p.freq;
    }
    BOOST_TEST((got == expected[stats.terms[id]]), stats.terms[id].substr(0, 40));
  }

  // The filling connection still answers queries through the wrapper.
  SqliteStmt count;
  BOOST_REQUIRE(count.Prepare(db.get(), "SELECT count(*) FROM fts WHERE fts MATCH 'run'", &error));
  BOOST_REQUIRE(count.Step() == SQLITE_ROW);
  BOOST_TEST(count.Int(0) == 1);
}

// With statistics, the filling connection tokenizes ASCII itself (and asks
// FTS5's porter for stems); what FTS5 stores must be exactly what FTS5's own
// tokenizer stores: every term instance, document, column and position.
BOOST_AUTO_TEST_CASE(recording_tokenizer_stores_what_fts5_stores) {
  Catalogue c = testing::MakeSearchCatalogue();
  std::string every_ascii;
  for (int ch = 0; ch < 128; ++ch) {
    every_ascii += "a";
    every_ascii += static_cast<char>(ch);
    every_ascii += "B ";
  }
  c.services[0].body += "\n" + every_ascii;
  c.services[0].summary += " " + std::string(63, 'k') + " " + std::string(64, 'l') + " " +
                           std::string(65, 'm') + "s " + std::string(40000, 'Q') +
                           " ABC123def generalizations ponies caresses sky happy relational";
  c.services[2].name += " caf\xc3\xa9 na\xc3\xafve it\xe2\x80\x99s \xe2\x80\x9cquoted\xe2\x80\x9d";
  c.services[2].body +=
      " abc\xff def\xc3 e\xcc\x81t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xacx Stra\xc3\x9f"
      "e";
  c.services[3].keywords = {"RUNNING", "Runs", "ran", "\x01\x02ctl\x7f"};
  std::vector<std::string> texts = testing::BodyTexts(c);
  std::string error;
  auto instances = [&](FtsStats* stats) {
    SqliteDb db;
    BOOST_REQUIRE(db.Open(":memory:", SQLITE_OPEN_READWRITE, &error));
    BOOST_REQUIRE_MESSAGE(FillSearchDatabase(c, texts, db.get(), &error, stats), error);
    BOOST_REQUIRE(
        db.Exec("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, fts, instance)", &error));
    SqliteStmt stmt;
    BOOST_REQUIRE(stmt.Prepare(db.get(), "SELECT term, doc, col, offset FROM temp.v", &error));
    std::vector<std::string> rows;
    while (stmt.Step() == SQLITE_ROW) {
      rows.push_back(stmt.Text(0) + "|" + stmt.Text(1) + "|" + stmt.Text(2) + "|" + stmt.Text(3));
    }
    return rows;
  };
  FtsStats stats;
  std::vector<std::string> recorded = instances(&stats);
  std::vector<std::string> plain = instances(nullptr);  // no recorder: FTS5's porter alone
  BOOST_TEST(recorded.size() > 100u);
  BOOST_TEST(recorded.size() == plain.size());
  BOOST_TEST((recorded == plain));
  for (size_t i = 0; i < std::min(recorded.size(), plain.size()); ++i) {
    if (recorded[i] != plain[i]) {
      BOOST_TEST(recorded[i].substr(0, 80) == plain[i].substr(0, 80));
      break;
    }
  }
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
