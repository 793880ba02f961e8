#include "suggest.h"

#include <boost/test/unit_test.hpp>

namespace signpost {

BOOST_AUTO_TEST_SUITE(suggest_test)

BOOST_AUTO_TEST_CASE(edit_distance_counts_swaps_as_one) {
  BOOST_TEST(EditDistance("", "") == 0);
  BOOST_TEST(EditDistance("abc", "") == 3);
  BOOST_TEST(EditDistance("catagories", "categories") == 1);
  BOOST_TEST(EditDistance("phnoe", "phone") == 1);  // transposition
  BOOST_TEST(EditDistance("kitten", "sitting") == 3);
}

BOOST_AUTO_TEST_CASE(suggests_close_words_only) {
  const std::vector<std::string> fields = {"name", "categories", "last_reviewed", "tier"};
  BOOST_TEST(Suggest("catagories", fields) == "categories");
  BOOST_TEST(Suggest("Name", fields) == "name");  // case is ignored
  BOOST_TEST(Suggest("last_review", fields) == "last_reviewed");
  BOOST_TEST(Suggest("colour", fields) == "");
  BOOST_TEST(Suggest("name", fields) == "");  // an exact match needs no suggestion
  BOOST_TEST(Suggest(std::string(500, 'a'), fields) == "");
  const std::vector<std::string> routes = {"self", "gp", "professional", "carer"};
  BOOST_TEST(Suggest("GP", routes) == "gp");
  BOOST_TEST(Suggest("x", routes) == "");  // short words need a near match
  const std::vector<std::string> days = {"mon", "tue", "wed"};
  BOOST_TEST(Suggest("monday", days) == "mon");  // a known value plus extra letters
  const std::vector<std::string> slugs = {"example-mind-peer-support"};
  BOOST_TEST(Suggest("example-lgbtq-peer-support", slugs) == "");
  BOOST_TEST(DidYouMean("tiers", {"tier"}) == "; did you mean `tier`?");
  BOOST_TEST(DidYouMean("zzz", {"tier"}) == "");
}

BOOST_AUTO_TEST_CASE(slugs) {
  BOOST_TEST(IsSlug("example-mind-2"));
  BOOST_TEST(IsSlug("0-first"));
  BOOST_TEST(!IsSlug(""));
  BOOST_TEST(!IsSlug("-leading"));
  BOOST_TEST(!IsSlug("My Service"));
  BOOST_TEST(!IsSlug("a_b"));
  BOOST_TEST(!IsSlug("../x"));
  BOOST_TEST(SuggestSlug("My Service") == "my-service");
  BOOST_TEST(SuggestSlug("  Mind -- Peer_Support ") == "mind-peer-support");
  BOOST_TEST(SuggestSlug("Caf\xC3\xA9 & Co.") == "caf-co");
  BOOST_TEST(SuggestSlug("../../x") == "x");
  BOOST_TEST(SuggestSlug("!!!") == "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
