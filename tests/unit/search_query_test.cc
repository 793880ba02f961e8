#include "search_query.h"

#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "search_fixture.h"

namespace signpost {

namespace {

// Builds the fixture once per test (cheap: ten services).
struct Built {
  testing::TempDir dir;
  std::string db;
  SearchIndex index;
  Built() : Built(testing::MakeSearchCatalogue()) {}
  explicit Built(const Catalogue& catalogue) {
    Diagnostics diags;
    BOOST_REQUIRE(testing::BuildSearchSite(catalogue, dir.path(), &diags));
    db = dir.path() + "/site/data/directory.sqlite3";
    std::string error;
    BOOST_REQUIRE_MESSAGE(index.Open(db, &error), error);
  }
  std::vector<std::string> Slugs(std::string_view q, const SearchFilters& f = {}, int limit = 10) {
    SearchResult result;
    std::string error;
    BOOST_REQUIRE_MESSAGE(index.Search(q, f, limit, &result, &error), error);
    std::vector<std::string> slugs;
    for (const SearchHit& h : result.hits) slugs.push_back(h.slug);
    return slugs;
  }
};

struct Run {
  int status;
  std::string out;
};

// Runs the real binary with `args` (already shell-quoted); stdout only.
Run RunBinary(const std::string& args) {
  std::string command = std::string(SIGNPOST_BINARY) + " " + args + " 2>/dev/null";
  Run run{-1, ""};
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) run.out.append(buf, n);
  int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string RunStderr(const std::string& args) {
  std::string command = std::string(SIGNPOST_BINARY) + " " + args + " 2>&1 >/dev/null";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  char buf[4096];
  size_t n;
  while (pipe != nullptr && (n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  if (pipe != nullptr) pclose(pipe);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(search_query_test)

BOOST_AUTO_TEST_CASE(match_expression_quotes_every_token_and_prefixes_the_last) {
  struct Case {
    std::vector<std::string> tokens;
    std::string expected;
  };
  const Case cases[] = {
      {{}, ""},
      {{"debt"}, "\"debt\"*"},
      {{"low", "mood"}, "\"low\" AND \"mood\"*"},
      {{"near", "and", "or", "not"}, "\"near\" AND \"and\" AND \"or\" AND \"not\"*"},
      {{"a\"b"}, "\"a\"\"b\"*"},  // a quote is doubled, FTS5's escape
  };
  for (const Case& c : cases) BOOST_TEST(BuildMatchExpression(c.tokens) == c.expected);
}

BOOST_AUTO_TEST_CASE(query_words_are_split_and_folded_like_fts5) {
  Built b;
  struct Case {
    std::string text;
    std::vector<std::string> tokens;
  };
  const Case cases[] = {
      {"Low MOOD", {"low", "mood"}},
      {"café naïve", {"cafe", "naive"}},
      {"back-to-work", {"back", "to", "work"}},
      {"\"IAPT\" OR (debt*)", {"iapt", "or", "debt"}},
      {"!!! ??? ---", {}},
      {"", {}},
  };
  for (const Case& c : cases) BOOST_TEST(b.index.Tokenize(c.text) == c.tokens);
  std::string many;
  for (int i = 0; i < 100; ++i) many += "w" + std::to_string(i) + " ";
  BOOST_TEST(b.index.Tokenize(many).size() == kMaxQueryTokens);
}

BOOST_AUTO_TEST_CASE(hostile_queries_give_a_result_list_never_an_error) {
  Built b;
  struct Case {
    const char* name;
    std::string text;
  };
  std::string long_query;
  while (long_query.size() < 10000) long_query += "anxiety ";
  const Case cases[] = {
      {"10,000 characters", long_query},
      {"one 10,000-byte word", std::string(10000, 'a')},
      {"only punctuation", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"},
      {"FTS5 operators", "AND OR NOT NEAR * ^ : \" ( ) - +"},
      {"operators around words", "NEAR(debt anxiety, 2) AND -money OR ^name:\"x"},
      {"column filter", "name:debt {name summary}: anxiety"},
      {"unbalanced quote", "\"anxiety"},
      {"emoji", "\xF0\x9F\x98\x80 \xF0\x9F\xA7\xA0 anxiety"},
      {"right-to-left",
       "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"},
      {"invalid UTF-8", "anx\xC3\x28iety \xFF\xFE \xE2\x82 \xED\xA0\x80"},
      {"NUL inside", std::string("debt\0anxiety", 12)},
      {"control characters", "\x01\x02\x1b[31mdebt"},
      {"combining marks only", "\xCC\x81\xCC\x82"},
      {"200 words",
       [] {
         std::string s;
         for (int i = 0; i < 200; ++i) s += "word" + std::to_string(i) + " ";
         return s;
       }()},
  };
  for (const Case& c : cases) {
    SearchResult result;
    std::string error;
    BOOST_TEST(b.index.Search(c.text, {}, 10, &result, &error), c.name << ": " << error);
    BOOST_TEST(result.hits.size() <= 10u, c.name);
  }
  // And the plain word inside still matches: operators are just words.
  BOOST_TEST(!b.Slugs("\"debt*)").empty());
  BOOST_TEST(!b.Slugs(long_query).empty());
}

BOOST_AUTO_TEST_CASE(ranking_follows_the_gp_queries) {
  Built b;
  BOOST_TEST(b.Slugs("IAPT").at(0) == "example-nhs-talking-therapies");
  BOOST_TEST(b.Slugs("job").at(0) == "example-ips-employment-support");
  BOOST_TEST(b.Slugs("recov").at(0) == "example-recovery-college");
  std::vector<std::string> lonely = b.Slugs("lonely");
  BOOST_TEST((lonely.at(0) == "example-social-prescribing" ||
              lonely.at(0) == "example-mind-peer-support"));
  // Synonyms expanded at index time: "counselling" finds NHS Talking
  // Therapies, whose category lists it, and "talking therapies" finds the
  // counselling service.
  std::vector<std::string> counselling = b.Slugs("counselling");
  BOOST_TEST((std::find(counselling.begin(), counselling.end(), "example-nhs-talking-therapies") !=
              counselling.end()));
  std::vector<std::string> talking = b.Slugs("talking therapies");
  BOOST_TEST((std::find(talking.begin(), talking.end(), "example-community-counselling") !=
              talking.end()));
}

BOOST_AUTO_TEST_CASE(closed_services_are_not_found) {
  Built b;
  for (const std::string& slug : b.Slugs("closed anxiety clinic")) {
    BOOST_TEST(slug != "example-closed-service");
  }
  BOOST_TEST(b.Slugs("clinic").empty());
}

BOOST_AUTO_TEST_CASE(equal_scores_are_ordered_by_slug) {
  Catalogue c = testing::MakeSearchCatalogue();
  // Three identical entries under different slugs, added out of order.
  Service twin = c.services[0];
  for (const char* slug : {"zz-twin", "aa-twin", "mm-twin"}) {
    twin.slug = slug;
    twin.name = "Identical twin service";
    c.services.push_back(twin);
  }
  std::sort(c.services.begin(), c.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  Built b(c);
  BOOST_TEST(b.Slugs("identical twin") ==
             (std::vector<std::string>{"aa-twin", "mm-twin", "zz-twin"}));
}

BOOST_AUTO_TEST_CASE(filters_narrow_without_changing_scores) {
  Built b;
  struct Case {
    SearchFilters filters;
    std::vector<std::string> expected;
  };
  SearchFilters category;
  category.category = "talking-therapies";
  SearchFilters north;
  north.area = "example-north";
  SearchFilters self;
  self.self_referral = true;
  SearchFilters free;
  free.free_only = true;
  SearchFilters tier;
  tier.tier = "primary-care";
  const std::vector<std::string> all = b.Slugs("support", {}, 100);
  BOOST_TEST(all.size() >= 3u);
  auto subset = [&](const SearchFilters& f, auto keep) {
    std::vector<std::string> want;
    SearchResult everything;
    std::string error;
    BOOST_REQUIRE(b.index.Search("support", {}, 100, &everything, &error));
    for (const SearchHit& h : everything.hits) {
      if (keep(h)) want.push_back(h.slug);
    }
    BOOST_TEST(b.Slugs("support", f, 100) == want);
  };
  auto has = [](const std::vector<std::string>& v, const char* x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  subset(category, [&](const SearchHit& h) { return has(h.categories, "talking-therapies"); });
  subset(north,
         [&](const SearchHit& h) { return has(h.areas, "example-north") || has(h.areas, "all"); });
  subset(self, [&](const SearchHit& h) { return has(h.referral, "self"); });
  subset(free, [&](const SearchHit& h) { return h.cost == "free"; });
  subset(tier, [&](const SearchHit& h) { return h.tier == "primary-care"; });
}

BOOST_AUTO_TEST_CASE(nearest_word_suggests_plausible_typos_only) {
  const std::vector<std::string> slugs = {"talking-therapies", "peer-support", "debt-and-money"};
  BOOST_TEST(NearestWord("peer-suport", slugs) == "peer-support");
  BOOST_TEST(NearestWord("talking", slugs) == "talking-therapies");
  BOOST_TEST(NearestWord("zzzzzz", slugs) == "");
  BOOST_TEST(NearestWord(std::string(100, 'a'), slugs) == "");
}

BOOST_AUTO_TEST_CASE(opening_something_else_fails_cleanly) {
  testing::TempDir dir;
  std::string path = dir.path() + "/not-a-db.sqlite3";
  std::FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("this is not SQLite", f);
  std::fclose(f);
  SearchIndex index;
  std::string error;
  BOOST_TEST(!index.Open(path, &error));
  BOOST_TEST(!error.empty());
  BOOST_TEST(!index.Open(dir.path() + "/missing.sqlite3", &error));
}

// Through the real binary: exit codes and messages of the CLI contract.
BOOST_AUTO_TEST_CASE(binary_missing_index_is_exit_3_with_a_hint) {
  testing::TempDir dir;
  Run run = RunBinary("search debt --index '" + dir.path() + "/nope.sqlite3'");
  BOOST_TEST(run.status == 3);
  BOOST_TEST(RunStderr("search debt --index '" + dir.path() + "/nope.sqlite3'")
                 .find("run `signpost build` first") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(binary_unknown_facet_is_exit_2_with_did_you_mean) {
  Built b;
  struct Case {
    std::string args;
    std::string suggestion;
  };
  const Case cases[] = {
      {"--category talking-therapy", "talking-therapies"},
      {"--area example-nort", "example-north"},
      {"--tier primary", "primary-care"},
  };
  for (const Case& c : cases) {
    std::string args = "search debt --index '" + b.db + "' " + c.args;
    BOOST_TEST(RunBinary(args).status == 2, c.args);
    BOOST_TEST(RunStderr(args).find("did you mean '" + c.suggestion + "'") != std::string::npos,
               c.args);
  }
}

BOOST_AUTO_TEST_CASE(binary_json_is_valid_for_hostile_queries) {
  Built b;
  const char* queries[] = {
      "'\"NEAR(AND OR NOT * ^ : ( ) -'",
      "\"$(printf 'anx\\303\\050iety \\377')\"",  // invalid UTF-8, made by printf
      "'\xF0\x9F\x98\x80 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D'",
      "''",
      "'counselling'",
  };
  for (const char* q : queries) {
    Run run = RunBinary("search --json --index '" + b.db + "' -- " + q);
    BOOST_TEST(run.status == 0, q);
    nlohmann::json parsed = nlohmann::json::parse(run.out, nullptr, false);
    BOOST_TEST(!parsed.is_discarded(), q << ": " << run.out);
    BOOST_TEST(parsed["results"].is_array(), q);
  }
  Run run = RunBinary("search --json --limit 1 --index '" + b.db + "' counselling");
  nlohmann::json parsed = nlohmann::json::parse(run.out);
  BOOST_TEST(parsed["query"] == "counselling");
  BOOST_TEST(parsed["count"] == 1);
  for (const char* key : {"rank", "slug", "name", "summary", "url", "score", "referral", "phone",
                          "ages", "areas", "categories", "tier", "cost"}) {
    BOOST_TEST(parsed["results"][0].contains(key), key);
  }
  BOOST_TEST(parsed["results"][0]["score"].get<double>() > 0);
}

BOOST_AUTO_TEST_CASE(binary_text_output_has_how_to_refer_and_phone) {
  Built b;
  Run run = RunBinary("search IAPT --limit 1 --index '" + b.db + "'");
  BOOST_TEST(run.status == 0);
  BOOST_TEST(run.out.find("Example NHS Talking Therapies") != std::string::npos);
  BOOST_TEST(run.out.find("Self-referral, GP referral") != std::string::npos);
  BOOST_TEST(run.out.find("020 7946 0104") != std::string::npos);
  Run none = RunBinary("search '!!!' --index '" + b.db + "'");
  BOOST_TEST(none.status == 0);
  BOOST_TEST(none.out.find("No services found") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
