#include "scaffold.h"

#include <boost/test/unit_test.hpp>

#include "loader.h"
#include "validate.h"

namespace signpost {

namespace {

const Date kToday{2026, 11, 23};
const std::string kFixture = std::string(SIGNPOST_SOURCE_DIR) + "/tests/fixtures/content/valid";

Catalogue Base() {
  Catalogue c;
  SourceMap sources;
  Diagnostics diags;
  LoadCatalogue(kFixture, &c, &sources, &diags);
  return c;
}

std::string Replace(std::string text, const std::string& find, const std::string& with) {
  size_t at = text.find(find);
  BOOST_TEST_REQUIRE(at != std::string::npos, "not in skeleton: " << find);
  return text.replace(at, find.size(), with);
}

Diagnostics CheckSkeleton(const std::string& text) {
  Catalogue c = Base();
  Diagnostics diags;
  Service s;
  ParseServiceEntry("content/services/new-service.md", "new-service", text, &s, &diags);
  c.services.push_back(s);
  std::sort(c.services.begin(), c.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  Validate(c, kToday, &diags);
  diags.Sort();
  return diags;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scaffold_test)

BOOST_AUTO_TEST_CASE(skeleton_lists_the_taxonomy_slugs) {
  std::string text = ServiceSkeleton("new-service", Base().taxonomy, kToday);
  BOOST_TEST(text.find("#   talking-therapies, peer-support\n") != std::string::npos);
  BOOST_TEST(text.find("#   staying-well, primary-care\n") != std::string::npos);
  BOOST_TEST(text.find("last_reviewed = 2026-11-23\n") != std::string::npos);
  BOOST_TEST(text.find("/services/new-service/") != std::string::npos);
  BOOST_TEST(text.find("then run: ./build/signpost check\n") != std::string::npos);
}

// Regression: the example was a fixed date (2026-01-31), already past.
BOOST_AUTO_TEST_CASE(reopens_example_is_four_weeks_after_today) {
  std::string text = ServiceSkeleton("new-service", Base().taxonomy, kToday);
  BOOST_TEST(text.find("# reopens = 2026-12-21 ") != std::string::npos);
  text = ServiceSkeleton("new-service", Base().taxonomy, Date{2027, 12, 20});
  BOOST_TEST(text.find("# reopens = 2028-01-17 ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(skeleton_parses_and_check_rejects_only_the_placeholders) {
  std::string text = ServiceSkeleton("new-service", Base().taxonomy, kToday);
  Diagnostics diags = CheckSkeleton(text);
  BOOST_TEST(diags.ErrorCount() == 12);  // 9 fields + 3 body paragraphs
  for (const Diagnostic& d : diags.items()) {
    BOOST_TEST((d.message.rfind("replace the placeholder", 0) == 0), d.message);
  }
}

BOOST_AUTO_TEST_CASE(skeleton_filled_in_passes_check) {
  std::string text = ServiceSkeleton("new-service", Base().taxonomy, kToday);
  text = Replace(text, "TODO: the service's name", "Example Carers Centre");
  text = Replace(text, "TODO: the organisation that runs it", "Example Carers Trust");
  text = Replace(text, "TODO: one sentence saying who the service is for and what it offers",
                 "Advice and breaks for unpaid carers.");
  text = Replace(text, "TODO: a category slug", "peer-support");
  text = Replace(text, "TODO: a tier slug", "staying-well");
  text = Replace(text, "TODO: an area slug, or all", "all");
  text = Replace(text, "TODO: self, gp, professional or carer", "carer");
  text = Replace(text, "TODO: free, donation, low-cost or paid", "free");
  text = Replace(text, "TODO: a UK phone number, e.g. 01632 960123", "01632 960555");
  text = Replace(text, "TODO: what the service offers and what to expect, in plain English.",
                 "Advice.");
  text = Replace(text, "TODO: who can use it (ages, area, needs) and who cannot.", "Carers.");
  text = Replace(text, "TODO: how to refer or self-refer, and what happens next.", "Call us.");
  // Uncommenting the optional examples must not break anything either.
  for (const char* line :
       {"# status = ", "# ages = ", "# delivery = ", "# languages = ", "# accessibility = ",
        "# keywords = ", "# waiting_time = ", "# cost_note = ", "# eligibility = ",
        "# not_duplicate_of = ", "# text = ", "# email = ", "# website = ", "# referral_url = "}) {
    text = Replace(text, line, std::string(line).substr(2));
  }
  text = Replace(text, "# [[hours]]\n# days", "[[hours]]\ndays");
  text = Replace(text, "# opens", "opens");
  text = Replace(text, "# closes", "closes");
  text = Replace(text, "# [[locations]]\n# name", "[[locations]]\nname");
  text = Replace(text, "# address", "address");
  text = Replace(text, "# postcode", "postcode");
  Diagnostics diags = CheckSkeleton(text);
  std::string all;
  for (const Diagnostic& d : diags.items()) all += FormatText(d, SourceMap());
  BOOST_TEST(all == "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
