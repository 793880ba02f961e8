#include "validate.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <optional>
#include <ostream>

#include "content_fixture.h"
#include "loader.h"
#include "sample_catalogue.h"

namespace signpost {

namespace {

using testing::TempDir;

const Date kToday{2026, 11, 23};
const std::string kFixture = std::string(SIGNPOST_SOURCE_DIR) + "/tests/fixtures/content/valid";
const std::string kAlphaPath = kFixture + "/services/alpha-talking-therapies.md";

// A valid entry, different from the fixture's two; cases edit it.
const std::string kGamma =
    "+++\n"                                         // 1
    "name = \"Gamma Debt Advice\"\n"                // 2
    "organisation = \"Example Citizens Advice\"\n"  // 3
    "summary = \"Free, confidential advice on debt and money worries for anyone in the north.\"\n"
    "categories = [\"talking-therapies\"]\n"                                          // 5
    "tier = \"staying-well\"\n"                                                       // 6
    "areas = [\"example-north\"]\n"                                                   // 7
    "referral = [\"self\", \"professional\"]\n"                                       // 8
    "cost = \"free\"\n"                                                               // 9
    "last_reviewed = 2026-11-01\n"                                                    // 10
    "delivery = [\"phone\"]\n"                                                        // 11
    "keywords = [\"debt\"]\n"                                                         // 12
    "[contact]\n"                                                                     // 13
    "phone = \"020 7946 0999\"\n"                                                     // 14
    "email = \"debt@example.net\"\n"                                                  // 15
    "website = \"https://debt.example.net/advice\"\n"                                 // 16
    "\n"                                                                              // 17
    "[[locations]]\n"                                                                 // 18
    "address = \"5 High Street, Exampleton\"\n"                                       // 19
    "postcode = \"EX2 3BB\"\n"                                                        // 20
    "\n"                                                                              // 21
    "[[hours]]\n"                                                                     // 22
    "days = [\"mon\", \"wed\"]\n"                                                     // 23
    "opens = \"20:00\"\n"                                                             // 24
    "closes = \"08:00\"\n"                                                            // 25
    "+++\n"                                                                           // 26
    "Call us. [Website](https://debt.example.net/) or <mailto:debt@example.net>.\n";  // 27

std::string Edit(std::string text, const std::string& find, const std::string& replace) {
  size_t at = text.find(find);
  if (at == std::string::npos) throw std::runtime_error("fixture text not found: " + find);
  return text.replace(at, find.size(), replace);
}

const Catalogue& Base() {
  static const Catalogue* base = [] {
    auto* c = new Catalogue;
    SourceMap sources;
    Diagnostics diags;
    LoadCatalogue(kFixture, c, &sources, &diags);
    if (!diags.empty()) throw std::runtime_error("fixture has diagnostics");
    return c;
  }();
  return *base;
}

Service ParseEntry(const std::string& slug, const std::string& text, Diagnostics* diags) {
  Service s;
  ParseServiceEntry("content/services/" + slug + ".md", slug, text, &s, diags);
  return s;
}

// Validates the fixture plus `entries` (slug, text) as of `today`.
Diagnostics Check(const std::vector<std::pair<std::string, std::string>>& entries,
                  Date today = kToday, Catalogue catalogue = Base()) {
  Diagnostics diags;
  for (const auto& [slug, text] : entries) {
    catalogue.services.push_back(ParseEntry(slug, text, &diags));
  }
  std::sort(catalogue.services.begin(), catalogue.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  Validate(catalogue, today, &diags);
  diags.Sort();
  return diags;
}

// Check() through a memo that lives across calls, as in signpost serve: the
// entries' hashes stand in for the loader's hash of their bytes.
Diagnostics CheckWithMemo(const std::vector<std::pair<std::string, std::string>>& entries,
                          ValidateMemo* memo, Date today = kToday, Catalogue catalogue = Base()) {
  Diagnostics diags;
  for (const auto& [slug, text] : entries) {
    catalogue.services.push_back(ParseEntry(slug, text, &diags));
    catalogue.services.back().source_hash = std::hash<std::string>()(text);
  }
  std::sort(catalogue.services.begin(), catalogue.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  Validate(catalogue, today, &diags, memo);
  diags.Sort();
  return diags;
}

std::string Describe(const Diagnostic& d) {
  return std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
         (d.severity == Severity::kError ? "error: " : "warning: ") + d.message;
}

std::string DescribeAll(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.items()) out += (out.empty() ? "" : "\n") + Describe(d);
  return out;
}

struct Case {
  const char* name;
  std::string find;
  std::string replace;
  std::string expected;                            ///< "line:col: error: message" (one diagnostic)
  std::optional<std::string> hint = std::nullopt;  ///< Checked when given.
};
std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

const std::string k201(201, 'a');
const std::string k200(200, 'a');

const Case kCases[] = {
    {"summary_too_long",
     "Free, confidential advice on debt and money worries for anyone in the north.", k201,
     "4:11: error: `summary` is 201 characters long; the limit is 200"},
    {"summary_markdown", "Free, confidential", "**Free**, confidential",
     "4:11: error: `summary` must be plain text, without Markdown formatting"},
    {"summary_html", "Free, confidential", "<b>Free</b>, confidential",
     "4:11: error: `summary` must be plain text, without HTML tags"},
    {"summary_newline", "Free, confidential", "Free,\\nconfidential",
     "4:11: error: `summary` must be a single line"},
    {"name_empty", "name = \"Gamma Debt Advice\"", "name = \"  \"", "2:8: error: `name` is empty"},
    {"categories_empty", "categories = [\"talking-therapies\"]", "categories = []",
     "5:14: error: `categories` lists no categories"},
    {"unknown_category", "[\"talking-therapies\"]", "[\"talking-therapy\"]",
     "5:15: error: unknown category `talking-therapy`; did you mean `talking-therapies`?"},
    {"category_twice", "[\"talking-therapies\"]", "[\"talking-therapies\", \"talking-therapies\"]",
     "5:36: error: `talking-therapies` is listed twice in `categories`"},
    {"unknown_tier", "tier = \"staying-well\"", "tier = \"stayingwell\"",
     "6:8: error: unknown tier `stayingwell`; did you mean `staying-well`?"},
    {"areas_empty", "areas = [\"example-north\"]", "areas = []",
     "7:9: error: `areas` lists no areas"},
    {"areas_all_mixed", "areas = [\"example-north\"]", "areas = [\"example-north\", \"all\"]",
     "7:27: error: `all` cannot be combined with other areas"},
    {"unknown_area", "areas = [\"example-north\"]", "areas = [\"example-nort\"]",
     "7:10: error: unknown area `example-nort`; did you mean `example-north`?"},
    {"referral_unknown", "[\"self\", \"professional\"]", "[\"self\", \"GP\"]",
     "8:21: error: `referral` cannot be `GP`; did you mean `gp`?"},
    {"referral_empty", "referral = [\"self\", \"professional\"]", "referral = []",
     "8:12: error: `referral` lists no referral routes"},
    {"cost_unknown", "cost = \"free\"", "cost = \"cheap\"", "9:8: error: `cost` cannot be `cheap`"},
    {"delivery_unknown", "delivery = [\"phone\"]", "delivery = [\"telephone\"]",
     "11:13: error: `delivery` cannot be `telephone`"},
    {"last_reviewed_in_future", "last_reviewed = 2026-11-01", "last_reviewed = 2026-11-24",
     "10:17: error: `last_reviewed` (2026-11-24) is in the future"},
    {"last_reviewed_due", "last_reviewed = 2026-11-01", "last_reviewed = 2025-11-22",
     "10:17: warning: this entry is due for review: last reviewed 366 days ago (more than 365)"},
    {"last_reviewed_too_old", "last_reviewed = 2026-11-01", "last_reviewed = 2025-05-26",
     "10:17: error: this entry was last reviewed 546 days ago; entries must be reviewed every "
     "545 days"},
    {"reopens_without_temporarily_closed", "cost = \"free\"",
     "cost = \"free\"\nreopens = 2027-01-01",
     "10:11: error: `reopens` is only for temporarily closed services"},
    {"reopens_in_the_past", "cost = \"free\"",
     "cost = \"free\"\nstatus = \"temporarily-closed\"\nreopens = 2026-11-01",
     "11:11: warning: the service was due to reopen on 2026-11-01 but is still marked "
     "temporarily closed"},
    {"ages_min_above_max", "cost = \"free\"", "cost = \"free\"\nages = { min = 25, max = 16 }",
     "10:26: error: `max` age (16) is below `min` age (25)"},
    {"keyword_empty", "keywords = [\"debt\"]", "keywords = [\"debt\", \"\"]",
     "12:21: error: empty text in `keywords`"},
    {"contact_empty",
     "phone = \"020 7946 0999\"\nemail = \"debt@example.net\"\nwebsite = "
     "\"https://debt.example.net/advice\"\n",
     "", "13:1: error: [contact] needs at least one way to get in touch"},
    {"phone_letters", "020 7946 0999", "0800 SAMARITANS",
     "14:9: error: `0800 SAMARITANS` is not a UK phone number: it contains letters (only digits, "
     "spaces, hyphens, dots, brackets and a leading + are allowed)"},
    {"phone_too_short", "020 7946 0999", "0163 296",
     "14:9: error: `0163 296` is not a UK phone number: it has 7 digits; UK numbers starting "
     "with 01 have 10 or 11"},
    {"phone_not_uk", "020 7946 0999", "+33 1 23 45 67 89",
     "14:9: error: `+33 1 23 45 67 89` is not a UK phone number: it is not a UK number (only +44 "
     "numbers can be listed)"},
    {"text_number_checked_too", "[contact]\n", "[contact]\ntext = \"8525\"\n",
     "14:8: error: `8525` is not a UK phone number: it has 4 digits; UK numbers have 10 or 11 "
     "digits starting with 0, or are short numbers such as 111, 116 123 or 85258"},
    {"email_bad", "debt@example.net\"", "debt at example.net\"",
     "15:9: error: `debt at example.net` is not an email address"},
    {"email_mailto", "email = \"debt@example.net\"", "email = \"mailto:debt@example.net\"",
     "15:9: error: `mailto:debt@example.net` is not an email address"},
    {"website_without_scheme", "\"https://debt.example.net/advice\"", "\"debt.example.net/advice\"",
     "16:11: error: `contact.website` must be a web address starting with https:// or http://, "
     "not `debt.example.net/advice`"},
    {"website_javascript", "\"https://debt.example.net/advice\"", "\"javascript:alert(1)\"",
     "16:11: error: `contact.website` must be a web address starting with https:// or http://, "
     "not `javascript:alert(1)`"},
    {"referral_url_ftp", "[contact]\n", "[contact]\nreferral_url = \"ftp://example.net/form\"\n",
     "14:16: error: `contact.referral_url` must be a web address starting with https:// or "
     "http://, not `ftp://example.net/form`"},
    {"body_link_javascript", "[Website](https://debt.example.net/)",
     "[Website](javascript:alert(1))",
     "27:20: error: links may only use https:, http:, mailto:, tel: or sms:, not `javascript:`"},
    {"body_link_entity_encoded", "[Website](https://debt.example.net/)",
     "[Website](java&#115;cript:alert(1))",
     "27:20: error: links may only use https:, http:, mailto:, tel: or sms:, not `javascript:`"},
    {"body_autolink_data", "<mailto:debt@example.net>", "<data:text/html,hi>",
     "27:51: error: links may only use https:, http:, mailto:, tel: or sms:, not `data:`"},
    {"body_angle_destination", "[Website](https://debt.example.net/)",
     "[Website](<javascript:a b>)",
     "27:21: error: links may only use https:, http:, mailto:, tel: or sms:, not `javascript:`"},
    {"body_reference_definition", "Call us.", "Call us.\n\n[x]: vbscript:msgbox",
     "29:6: error: links may only use https:, http:, mailto:, tel: or sms:, not `vbscript:`"},
    {"hours_unknown_day", "[\"mon\", \"wed\"]", "[\"monday\", \"wed\"]",
     "23:9: error: `days` cannot be `monday`; did you mean `mon`?"},
    {"hours_day_twice", "[\"mon\", \"wed\"]", "[\"mon\", \"mon\"]",
     "23:16: error: `mon` is listed twice in `days`"},
    {"hours_no_days", "[\"mon\", \"wed\"]", "[]", "23:8: error: `days` in [[hours]] lists no days"},
    {"hours_bad_time", "opens = \"20:00\"", "opens = \"8pm\"",
     "24:9: error: `opens` must be a time written HH:MM (00:00 to 23:59), not `8pm`"},
    {"hours_opens_24", "opens = \"20:00\"", "opens = \"24:00\"",
     "24:9: error: `opens` must be a time written HH:MM (00:00 to 23:59), not `24:00`"},
    {"hours_closes_past_24", "closes = \"08:00\"", "closes = \"24:30\"",
     "25:10: error: `closes` must be a time written HH:MM (00:00 to 24:00), not `24:30`"},
    {"hours_equal_times", "closes = \"08:00\"", "closes = \"20:00\"",
     "25:10: error: `opens` and `closes` are the same time (20:00)"},
    {"location_without_name_or_address", "address = \"5 High Street, Exampleton\"\n", "",
     "18:1: error: a location needs a `name` or an `address`"},
    {"postcode_bad", "\"EX2 3BB\"", "\"EX2\"", "20:12: error: `EX2` is not a UK postcode"},
    {"postcode_lower_case", "\"EX2 3BB\"", "\"ex2 3bb\"",
     "20:12: error: `ex2 3bb` is not a UK postcode"},
    {"related_unknown", "keywords = [\"debt\"]", "related = [\"alpha-talking-therapy\"]",
     "12:12: error: `related` names `alpha-talking-therapy`, but there is no such service; did "
     "you mean `alpha-talking-therapies`?"},
    {"related_self", "keywords = [\"debt\"]", "related = [\"gamma\"]",
     "12:12: error: `related` names this entry itself"},
    {"related_path_in_list", "keywords = [\"debt\"]", "related = [\"../../x\"]",
     "12:12: error: `../../x` in `related` is not a service slug"},
    {"not_duplicate_of_unknown", "keywords = [\"debt\"]", "not_duplicate_of = [\"nobody\"]",
     "12:21: error: `not_duplicate_of` names `nobody`, but there is no such service"},
    {"placeholder_left_in", "tier = \"staying-well\"", "tier = \"TODO: a tier slug\"",
     "6:8: error: replace the placeholder `TODO: a tier slug`"},
    {"body_placeholder_left_in", "Call us.", "TODO: describe it.\n",
     "27:1: error: replace the placeholder text starting `TODO:`",
     "replace the line with your own words: what the service offers, who it is for, or how to "
     "get in touch"},
    // Regression: the hint said "use a area slug".
    {"unknown_area_uses_an", "areas = [\"example-north\"]", "areas = [\"nowhere\"]",
     "7:10: error: unknown area `nowhere`",
     "use an area slug from " + kFixture + "/taxonomy.toml: example-north, example-south"},
    {"unknown_category_uses_a", "[\"talking-therapies\"]", "[\"gardening\"]",
     "5:15: error: unknown category `gardening`",
     "use a category slug from " + kFixture + "/taxonomy.toml: talking-therapies, peer-support"},
    {"phone_hyphens_are_fine_but_not_slashes", "020 7946 0999", "020-7946/0999",
     "14:9: error: `020-7946/0999` is not a UK phone number: it contains `/` (only digits, "
     "spaces, hyphens, dots, brackets and a leading + are allowed)"},
    {"body_html_tag", "Call us.", "Call <b>us</b> now.",
     "27:6: warning: HTML is not shown on the page: it is removed; use Markdown instead",
     "write **bold** instead"},
    {"body_html_link", "Call us.", "See\n<a href=\"https://example.org\">our site</a>.",
     "28:1: warning: HTML is not shown on the page: it is removed; use Markdown instead",
     "write a link as [the words to show](https://example.org)"},
    {"body_html_in_code_is_shown", "Call us.",
     "Type `<br>` for a break.\n\n```\n<p>example</p>\n```\n<!-- an editor's note -->\n"
     "Then <br> here.",
     "33:6: warning: HTML is not shown on the page: it is removed; use Markdown instead",
     "leave an empty line between paragraphs instead"},
    {"body_link_without_https", "Call us.", "See [our site](www.example.org/help).",
     "27:16: warning: this link will not work: start it with https://",
     "write the address in full: https://www.example.org/help"},
    {"body_link_bare_domain", "Call us.", "See [our site](example.org.uk).",
     "27:16: warning: this link will not work: start it with https://",
     "write the address in full: https://example.org.uk"},
    {"body_link_email_without_mailto", "Call us.", "Email [us](help@example.org).",
     "27:12: warning: this link will not work: start it with mailto:",
     "write the address in full: mailto:help@example.org"},
    {"empty_waiting_time", "cost = \"free\"", "cost = \"free\"\nwaiting_time = \"\"",
     "10:16: warning: `waiting_time` is empty", "leave the field out instead of empty"},
    {"empty_cost_note", "cost = \"free\"", "cost = \"free\"\ncost_note = \" \"",
     "10:13: warning: `cost_note` is empty", "leave the field out instead of empty"},
    {"empty_hours_note", "closes = \"08:00\"", "closes = \"08:00\"\nnote = \"\"",
     "26:8: warning: `note` is empty", "leave the field out instead of empty"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(validate_test)

BOOST_AUTO_TEST_CASE(valid_entry_passes) {
  Diagnostics d = Check({{"gamma", kGamma}});
  BOOST_TEST(DescribeAll(d) == "");
}

BOOST_DATA_TEST_CASE(each_rule_gives_exact_diagnostic, boost::unit_test::data::make(kCases), c) {
  Diagnostics d = Check({{"gamma", Edit(kGamma, c.find, c.replace)}});
  BOOST_TEST(DescribeAll(d) == c.expected);
  for (const Diagnostic& diag : d.items()) BOOST_TEST(diag.path == "content/services/gamma.md");
  if (c.hint) {
    BOOST_TEST_REQUIRE(d.items().size() == 1u);
    BOOST_TEST(d.items()[0].hint == *c.hint);
  }
}

// Both sides of each boundary, so a rule that is off by one fails a test.
struct Boundary {
  const char* name;
  std::string find;
  std::string replace;
};
std::ostream& operator<<(std::ostream& os, const Boundary& b) { return os << b.name; }

const Boundary kAccepted[] = {
    {"summary_exactly_200",
     "Free, confidential advice on debt and money worries for anyone in the north.", k200},
    {"summary_200_code_points_not_bytes",
     "Free, confidential advice on debt and money worries for anyone in the north.",
     std::string(100, 'a') +
         [] {
           std::string s;
           for (int i = 0; i < 100; ++i) s += "\xC3\xA9";
           return s;
         }()},
    {"reviewed_today", "last_reviewed = 2026-11-01", "last_reviewed = 2026-11-23"},
    {"reviewed_365_days_ago", "last_reviewed = 2026-11-01", "last_reviewed = 2025-11-23"},
    {"closes_at_midnight", "closes = \"08:00\"", "closes = \"24:00\""},
    {"areas_all", "areas = [\"example-north\"]", "areas = [\"all\"]"},
    {"short_numbers", "phone = \"020 7946 0999\"", "phone = \"116 123\"\ntext = \"85258\""},
    {"plus_44_with_brackets", "phone = \"020 7946 0999\"", "phone = \"+44 (0)20 7946 0999\""},
    {"ten_digit_0800", "phone = \"020 7946 0999\"", "phone = \"0800 123456\""},
    {"postcode_without_space", "\"EX2 3BB\"", "\"EX23BB\""},
    {"temporarily_closed_without_reopens", "cost = \"free\"",
     "cost = \"free\"\nstatus = \"temporarily-closed\""},
    {"temporarily_closed_reopening_later", "cost = \"free\"",
     "cost = \"free\"\nstatus = \"temporarily-closed\"\nreopens = 2027-01-04"},
    {"ages_equal", "cost = \"free\"", "cost = \"free\"\nages = { min = 16, max = 16 }"},
    {"body_links_allowed", "Call us.",
     "[a](tel:01632960123) [b](sms:85258) [c](/services/x/) [d](#top) [e](http://example.org) "
     "<https://example.org> a < b: c"},
    {"http_website", "https://debt.example.net/advice", "http://debt.example.net:8080/a?b=c#d"},
    {"body_not_html", "Call us.",
     "a <b, x<3, <https://example.org>, <help@example.org>, `<b>` and \\<b> are text"},
    {"body_relative_links", "Call us.", "[a](page.html) [b](../x/) [c](/services/x/) [d](#top)"},
};

BOOST_DATA_TEST_CASE(boundary_values_are_accepted, boost::unit_test::data::make(kAccepted), b) {
  Diagnostics d = Check({{"gamma", Edit(kGamma, b.find, b.replace)}});
  BOOST_TEST(DescribeAll(d) == "");
}

BOOST_AUTO_TEST_CASE(body_html_warnings_are_capped_and_never_errors) {
  std::string body;
  for (int i = 0; i < 60; ++i) body += "<br>\n";
  Diagnostics d = Check({{"gamma", Edit(kGamma, "Call us.", body)}});
  BOOST_TEST(d.ErrorCount() == 0);
  BOOST_TEST(d.WarningCount() == 51);
  BOOST_TEST(d.items()[0].line == 27);
  BOOST_TEST(d.items()[0].message == "60 HTML tags in this file; only the first 50 are listed");
  BOOST_TEST(d.items()[50].line == 76);
}

// Regression: a syntax error in one entry made every entry naming it in
// `related` report "no such service" as well.
BOOST_AUTO_TEST_CASE(reference_to_an_entry_that_failed_to_load_is_not_reported) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  const std::string beta = dir.path() + "/content/services/beta-peer-support.md";
  std::string text = testing::ReadFile(beta);
  size_t at = text.find("tier = \"");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  text.erase(at + 7, 1);  // tier = staying-well": a syntax error
  dir.Write("content/services/beta-peer-support.md", text);

  Catalogue c;
  SourceMap sources;
  Diagnostics d;
  LoadCatalogue(dir.path() + "/content", &c, &sources, &d);
  BOOST_TEST(c.unloaded_slugs == std::vector<std::string>{"beta-peer-support"},
             boost::test_tools::per_element());
  Validate(c, kToday, &d);
  d.Sort();
  BOOST_TEST_REQUIRE(d.items().size() == 1u, DescribeAll(d));
  BOOST_TEST(d.items()[0].path == beta);

  // Without the file the reference is reported: the rule still works.
  std::filesystem::remove(beta);
  Catalogue c2;
  Diagnostics d2;
  LoadCatalogue(dir.path() + "/content", &c2, &sources, &d2);
  Validate(c2, kToday, &d2);
  BOOST_TEST(DescribeAll(d2).find("but there is no such service") != std::string::npos);
}

// ---- look-alikes ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(same_phone_after_normalising_is_a_look_alike) {
  Diagnostics d = Check({{"gamma", Edit(kGamma, "020 7946 0999", "+44 (0)1632 960-123")}});
  BOOST_TEST(DescribeAll(d) == "14:9: error: looks like a duplicate of " + kAlphaPath +
                                   ": same phone number +44 (0)1632 960-123");
  BOOST_TEST(d.items()[0].hint ==
             "if they are different services, add not_duplicate_of = "
             "[\"alpha-talking-therapies\"] to this entry; if they are the same service, keep "
             "one entry");
}

BOOST_AUTO_TEST_CASE(text_number_matching_a_phone_number_is_a_look_alike) {
  Diagnostics d =
      Check({{"gamma", Edit(kGamma, "[contact]\n", "[contact]\ntext = \"01632960123\"\n")}});
  BOOST_TEST(DescribeAll(d) == "14:8: error: looks like a duplicate of " + kAlphaPath +
                                   ": same phone number 01632960123");
}

BOOST_AUTO_TEST_CASE(look_alike_acknowledged_on_either_side_is_fine) {
  std::string twin = Edit(kGamma, "020 7946 0999", "01632 960123");
  BOOST_TEST(DescribeAll(Check(
                 {{"gamma", Edit(twin, "keywords = [\"debt\"]",
                                 "not_duplicate_of = [\"alpha-talking-therapies\"]")}})) == "");
  Catalogue c = Base();
  c.services[0].not_duplicate_of.push_back("gamma");
  BOOST_TEST(DescribeAll(Check({{"gamma", twin}}, kToday, c)) == "");
}

BOOST_AUTO_TEST_CASE(error_sits_on_the_later_slug_and_combines_reasons) {
  // "aardvark" sorts before "alpha-talking-therapies": the error moves to alpha.
  std::string twin = Edit(kGamma, "020 7946 0999", "01632 960123");
  twin = Edit(twin, "debt@example.net\"", "Talking@Example.org\"");
  Diagnostics d = Check({{"aardvark", twin}});
  BOOST_TEST_REQUIRE(d.items().size() == 1u);
  BOOST_TEST(d.items()[0].path == kAlphaPath);
  BOOST_TEST(d.items()[0].message ==
             "looks like a duplicate of content/services/aardvark.md: same phone number 01632 "
             "960123 and same email address talking@example.org");
}

// Three entries with one number: each later one is paired with the first
// earlier one it does not acknowledge, and only equal values pair up.
BOOST_AUTO_TEST_CASE(a_later_entry_pairs_with_the_first_earlier_one_not_acknowledged) {
  std::string twin = Edit(kGamma, "020 7946 0999", "01632 960123");
  std::string third =
      Edit(twin, "keywords = [\"debt\"]", "not_duplicate_of = [\"alpha-talking-therapies\"]");
  third = Edit(third, "debt@example.net", "zeta@example.net");
  third = Edit(third, "https://debt.example.net/advice", "https://zeta.example.net/");
  third = Edit(third, "Gamma Debt Advice", "Zeta Counselling");
  Diagnostics d = Check({{"gamma", twin}, {"zeta", third}});
  BOOST_TEST_REQUIRE(d.items().size() == 2u);
  BOOST_TEST(d.items()[0].message ==
             "looks like a duplicate of " + kAlphaPath + ": same phone number 01632 960123");
  BOOST_TEST(d.items()[1].path == "content/services/zeta.md");
  BOOST_TEST(d.items()[1].message ==
             "looks like a duplicate of content/services/gamma.md: same phone number 01632 960123");
}

BOOST_AUTO_TEST_CASE(same_website_ignores_scheme_www_and_trailing_slash) {
  auto website = [](const std::string& url) {
    return DescribeAll(Check({{"gamma", Edit(kGamma, "https://debt.example.net/advice", url)}}));
  };
  std::string dup = "16:11: error: looks like a duplicate of " + kAlphaPath + ": same website ";
  BOOST_TEST(website("http://www.Example.org/talking/") == dup + "http://www.Example.org/talking/");
  BOOST_TEST(website("https://example.org/talking") == dup + "https://example.org/talking");
  BOOST_TEST(website("https://example.org/talking/more") == "");   // path differs
  BOOST_TEST(website("https://other.example.org/talking") == "");  // host differs
  BOOST_TEST(website("https://example.org/Talking") == "");        // paths are case-sensitive
}

BOOST_AUTO_TEST_CASE(near_identical_name_and_summary_is_a_look_alike) {
  std::string twin = Edit(kGamma, "Gamma Debt Advice", "Alpha talking therapies");
  twin =
      Edit(twin, "Free, confidential advice on debt and money worries for anyone in the north.",
           "Free NHS therapy for anxiety and low mood, for adults registered with an Example GP");
  Diagnostics d = Check({{"gamma", twin}});
  BOOST_TEST(DescribeAll(d) == "2:8: error: looks like a duplicate of " + kAlphaPath +
                                   ": very similar name and summary (\"Alpha Talking Therapies\")");
}

BOOST_AUTO_TEST_CASE(similar_name_with_a_different_summary_is_not_a_look_alike) {
  std::string other = Edit(kGamma, "Gamma Debt Advice", "Alpha Talking Therapies");
  BOOST_TEST(DescribeAll(Check({{"gamma", other}})) == "");
  // And a similar summary under a clearly different name.
  other =
      Edit(kGamma, "Free, confidential advice on debt and money worries for anyone in the north.",
           "Free NHS therapy for anxiety and low mood for adults registered with an Example GP.");
  BOOST_TEST(DescribeAll(Check({{"gamma", other}})) == "");
}

BOOST_AUTO_TEST_CASE(similarity_threshold_both_sides) {
  // 4 of 5 name words shared = 0.8 (a look-alike); 4 of 6 = 0.67 (not).
  BOOST_TEST(TokenJaccard("Alpha Talking Therapies North", "Alpha Talking Therapies North Hub") ==
             0.8);
  BOOST_TEST(TokenJaccard("Alpha Talking Therapies", "alpha talking-therapies!") == 1.0);
  BOOST_TEST(TokenJaccard("Alpha Talking Therapies North", "Alpha Talking Therapies South") < 0.8);
}

// ---- site.toml and taxonomy.toml -------------------------------------------

struct SettingsCase {
  const char* name;
  const char* file;
  std::string find;
  std::string replace;
  std::string expected;
};
std::ostream& operator<<(std::ostream& os, const SettingsCase& c) { return os << c.name; }

const SettingsCase kSettings[] = {
    {"base_url_not_a_url", "site.toml", "\"https://directory.example.org\"", "\"directory\"",
     "2:12: error: `base_url` must be the site's address starting with https://, not "
     "`directory/`"},
    {"thresholds_out_of_order", "site.toml", "error_after_days = 545", "error_after_days = 300",
     "8:20: error: `error_after_days` (300) must be more than `warn_after_days` (365)"},
    {"crisis_contact_without_number", "site.toml", "text = \"85258\"\n", "",
     "15:1: error: a crisis contact needs a `phone` or a `text` number"},
    {"crisis_contact_bad_number", "site.toml", "phone = \"116 123\"", "phone = \"116 12\"",
     "12:9: error: `116 12` is not a UK phone number: it has 5 digits; UK numbers have 10 or 11 "
     "digits starting with 0, or are short numbers such as 111, 116 123 or 85258"},
    {"crisis_contacts_misspelt", "site.toml", "[[crisis_contacts]]", "[[crisis_contactz]]",
     "10:3: error: unknown field `crisis_contactz`; did you mean `crisis_contacts`?"},
    {"duplicate_tier_slug", "taxonomy.toml", "slug = \"primary-care\"", "slug = \"staying-well\"",
     "7:8: error: duplicate tier slug `staying-well`: already used on line 2"},
    {"category_slug_not_a_slug", "taxonomy.toml", "slug = \"peer-support\"",
     "slug = \"Peer Support\"", "18:8: error: the category slug `Peer Support` is not a slug"},
    {"area_called_all", "taxonomy.toml", "slug = \"example-south\"", "slug = \"all\"",
     "28:8: error: `all` cannot be an area slug"},
    {"bad_postcode_district", "taxonomy.toml", "[\"EX9\"]", "[\"EX 9\"]",
     "30:14: error: `EX 9` is not a postcode district"},
};

BOOST_DATA_TEST_CASE(settings_rules_give_exact_diagnostic, boost::unit_test::data::make(kSettings),
                     c) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string path = dir.path() + "/content/" + c.file;
  dir.Write(std::string("content/") + c.file, Edit(testing::ReadFile(path), c.find, c.replace));
  Catalogue catalogue;
  SourceMap sources;
  Diagnostics diags;
  LoadCatalogue(dir.path() + "/content", &catalogue, &sources, &diags);
  Validate(catalogue, kToday, &diags);
  diags.Sort();
  std::string got;
  int n = 0;
  for (const Diagnostic& d : diags.items()) {
    if (d.path != path) continue;
    ++n;
    got = Describe(d);
  }
  BOOST_TEST((n == 1 ? got : std::to_string(n) + " diags") == c.expected);
}

BOOST_AUTO_TEST_CASE(validation_is_deterministic) {
  std::string twin = Edit(kGamma, "020 7946 0999", "01632 960123");
  Diagnostics a = Check({{"gamma", twin}, {"delta", twin}, {"epsilon", twin}});
  Diagnostics b = Check({{"epsilon", twin}, {"gamma", twin}, {"delta", twin}});
  BOOST_TEST(DescribeAll(a) == DescribeAll(b));
  // delta, epsilon and gamma each share alpha's phone number; epsilon and
  // gamma also share delta's name and summary (a different earlier entry).
  BOOST_TEST(a.items().size() == 5u);
}

// ---- hostile bodies and lists: linear work, bounded output -----------------

BOOST_AUTO_TEST_CASE(many_bad_links_are_capped_and_positioned) {
  std::string body;
  for (int i = 0; i < 200; ++i)
    body += "\xC3\xA9 [x](javascript:1)\n";  // é: columns count code points
  Diagnostics d = Check({{"gamma", Edit(kGamma, "Call us.", body)}});
  BOOST_TEST_REQUIRE(d.items().size() == 51u);  // 50 listed + the summary
  BOOST_TEST(Describe(d.items()[0]) ==
             "27:1: error: 200 links with a scheme that is not allowed in "
             "this file; only the first 50 are listed");
  BOOST_TEST(Describe(d.items()[1]) ==
             "27:7: error: links may only use https:, http:, mailto:, "
             "tel: or sms:, not `javascript:`");
  BOOST_TEST(Describe(d.items()[50]) ==
             "76:7: error: links may only use https:, http:, mailto:, "
             "tel: or sms:, not `javascript:`");
}

BOOST_AUTO_TEST_CASE(regression_quadratic_link_scan) {
  // Before the scan was bounded, every "](" scanned to the end of the body.
  std::string body;
  for (int i = 0; i < 50000; ++i) body += "](";
  body += "\n";
  for (int i = 0; i < 30000; ++i) body += "<ab:";
  Diagnostics d = Check({{"gamma", Edit(kGamma, "Call us.", body)}});
  BOOST_TEST(DescribeAll(d) == "");
}

BOOST_AUTO_TEST_CASE(hostile_body_for_the_html_scan_is_bounded) {
  // Unclosed tags, code-span runs that never close, tags spanning lines.
  std::string body;
  for (int i = 0; i < 20000; ++i) body += "<a x " + std::string(i % 40 + 1, '`') + " ";
  body += "\n";
  for (int i = 0; i < 20000; ++i) body += "<p\nclass=x>\n";
  Diagnostics d = Check({{"gamma", Edit(kGamma, "Call us.", body)}});
  BOOST_TEST(d.ErrorCount() == 0);
  BOOST_TEST_REQUIRE(d.WarningCount() == 51);
  BOOST_TEST(d.items()[0].message == "20000 HTML tags in this file; only the first 50 are listed");
  BOOST_TEST(Describe(d.items()[1]) ==
             "28:1: warning: HTML is not shown on the page: it is removed; use Markdown instead");
}

BOOST_AUTO_TEST_CASE(regression_huge_lists_stay_linear) {
  std::string related = "related = [";
  std::string categories = "categories = [";
  for (int i = 0; i < 20000; ++i) {
    related += "\"no-such-" + std::to_string(i) + "\", ";
    categories += "\"talking-therapies\", ";
  }
  std::string text = Edit(kGamma, "keywords = [\"debt\"]", related + "]");
  text = Edit(text, "categories = [\"talking-therapies\"]", categories + "]");
  Diagnostics d = Check({{"gamma", text}});
  size_t suggested = 0, unknown = 0, repeats = 0;
  for (const Diagnostic& diag : d.items()) {
    unknown += diag.message.find("there is no such service") != std::string::npos;
    suggested += diag.message.find("did you mean") != std::string::npos;
    repeats += diag.message.find("is listed twice") != std::string::npos;
  }
  BOOST_TEST(unknown == 20000u);
  BOOST_TEST(suggested <= 20u);  // suggestions cost a pass over every slug
  BOOST_TEST(repeats == 19999u);
}

// ---- the memo (signpost serve) ---------------------------------------------

// Every rule's case gives the same diagnostics through a memo, first checked
// and then reused, and a memo that saw the previous case never leaks it.
BOOST_AUTO_TEST_CASE(memo_gives_the_same_diagnostics_for_every_case) {
  ValidateMemo shared;
  for (const Case& c : kCases) {
    std::vector<std::pair<std::string, std::string>> entries = {
        {"gamma", Edit(kGamma, c.find, c.replace)}};
    std::string expected = DescribeAll(Check(entries));
    ValidateMemo fresh;
    BOOST_TEST(DescribeAll(CheckWithMemo(entries, &fresh)) == expected, c.name);
    BOOST_TEST(DescribeAll(CheckWithMemo(entries, &fresh)) == expected, c.name);
    BOOST_TEST(fresh.checked() == 0u, c.name);
    BOOST_TEST(DescribeAll(CheckWithMemo(entries, &shared)) == expected, c.name);
  }
}

BOOST_AUTO_TEST_CASE(memo_checks_again_when_the_context_changes) {
  ValidateMemo memo;
  std::string gamma = Edit(kGamma, "last_reviewed = 2026-11-01", "last_reviewed = 2025-10-01");
  std::vector<std::pair<std::string, std::string>> entries = {{"gamma", gamma}};
  std::string today = DescribeAll(CheckWithMemo(entries, &memo));
  BOOST_TEST(today.find("due for review") != std::string::npos);
  // A later "today": the review date is older still (an error now).
  Date later{2027, 6, 1};
  BOOST_TEST(DescribeAll(CheckWithMemo(entries, &memo, later)) ==
             DescribeAll(Check(entries, later)));
  BOOST_TEST(memo.reused() == 0u);  // every entry checked again
  BOOST_TEST(memo.checked() == 3u);
  // An entry naming another depends on which entries exist.
  std::string names_delta = Edit(kGamma, "keywords = [\"debt\"]", "related = [\"delta\"]");
  std::string delta = Edit(Edit(kGamma, "Gamma Debt Advice", "Delta Something Else"),
                           "020 7946 0999", "020 7946 0998");
  delta = Edit(Edit(delta, "debt@example.net", "delta@example.net"), "debt.example.net/advice",
               "delta.example.net/advice");
  std::vector<std::pair<std::string, std::string>> both = {{"gamma", names_delta},
                                                           {"delta", delta}};
  BOOST_TEST(DescribeAll(CheckWithMemo(both, &memo)) == DescribeAll(Check(both)));
  std::vector<std::pair<std::string, std::string>> alone = {{"gamma", names_delta}};
  std::string missing = DescribeAll(CheckWithMemo(alone, &memo));
  BOOST_TEST(missing == DescribeAll(Check(alone)));
  BOOST_TEST(missing.find("but there is no such service") != std::string::npos);
}

// LookAlikeInputs covers exactly what the look-alike pass reads: any of it
// changes the hash, a body or a review date does not.
BOOST_AUTO_TEST_CASE(look_alike_inputs_change_with_what_the_pass_reads) {
  Catalogue c = testing::SampleCatalogue();
  const Date today = Date::FromDaysSinceEpoch(20000);
  const uint64_t base = LookAlikeInputs(c, today);
  BOOST_TEST(base != 0u);
  BOOST_TEST(LookAlikeInputs(c, today) == base);
  BOOST_REQUIRE(!c.services.empty());
  auto changed = [&](auto edit) {
    Catalogue copy = c;
    edit(&copy.services.front());
    return LookAlikeInputs(copy, today) != base;
  };
  BOOST_TEST(!changed([](Service* s) { s->body += "\nMore text."; }));
  BOOST_TEST(!changed([](Service* s) { s->source_hash ^= 1; }));
  BOOST_TEST(changed([](Service* s) { s->name += " Two"; }));
  BOOST_TEST(changed([](Service* s) { s->summary += " More."; }));
  BOOST_TEST(changed([](Service* s) { s->contact.phone = "01632 960999"; }));
  BOOST_TEST(changed([](Service* s) { s->contact.text = "07700 900999"; }));
  BOOST_TEST(changed([](Service* s) { s->contact.email = "x@example.org"; }));
  BOOST_TEST(changed([](Service* s) { s->contact.website = "https://x.example.org/"; }));
  BOOST_TEST(changed([](Service* s) { s->not_duplicate_of.push_back("other"); }));
  BOOST_TEST(changed([](Service* s) { s->slug += "-x"; }));
  BOOST_TEST(changed([](Service* s) { s->path += "x"; }));
  BOOST_TEST(LookAlikeInputs(c, Date::FromDaysSinceEpoch(20001)) != base);
  Catalogue fewer = c;
  fewer.services.pop_back();
  BOOST_TEST(LookAlikeInputs(fewer, today) != base);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
