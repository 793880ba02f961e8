#include "loader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>

#include "content_fixture.h"

namespace signpost {

namespace {

using testing::TempDir;

// A complete, valid entry; cases edit it with one find/replace.
const std::string kEntry =
    "+++\n"                                     // 1
    "name = \"Alpha Talking Therapies\"\n"      // 2
    "organisation = \"Example NHS Trust\"\n"    // 3
    "summary = \"Free therapy for adults.\"\n"  // 4
    "categories = [\"talking-therapies\"]\n"    // 5
    "tier = \"primary-care\"\n"                 // 6
    "areas = [\"example-north\"]\n"             // 7
    "referral = [\"self\", \"gp\"]\n"           // 8
    "cost = \"free\"\n"                         // 9
    "last_reviewed = 2026-09-14\n"              // 10
    "ages = { min = 16 }\n"                     // 11
    "related = [\"beta-peer-support\"]\n"       // 12
    "\n"                                        // 13
    "[contact]\n"                               // 14
    "phone = \"01632 960123\"\n"                // 15
    "\n"                                        // 16
    "[[locations]]\n"                           // 17
    "name = \"Example Health Centre\"\n"        // 18
    "postcode = \"EX1 1AA\"\n"                  // 19
    "\n"                                        // 20
    "[[hours]]\n"                               // 21
    "days = [\"mon\", \"tue\"]\n"               // 22
    "opens = \"09:00\"\n"                       // 23
    "closes = \"17:00\"\n"                      // 24
    "+++\n"                                     // 25
    "## What happens\n";                        // 26

std::string Edit(std::string text, const std::string& find, const std::string& replace) {
  size_t at = text.find(find);
  if (at == std::string::npos) throw std::runtime_error("fixture text not found: " + find);
  return text.replace(at, find.size(), replace);
}

struct Parsed {
  bool ok;
  Service service;
  Diagnostics diags;
};

Parsed Parse(std::string_view text) {
  Parsed p;
  p.ok = ParseServiceEntry("content/services/alpha.md", "alpha", text, &p.service, &p.diags);
  p.diags.Sort();
  return p;
}

// One bad-input case: edit kEntry (or replace it whole), expect exactly one
// diagnostic at line:col with this message.
struct Case {
  const char* name;
  std::string text;
  int line;
  int column;
  std::string message;
  std::optional<std::string> hint = std::nullopt;  ///< Checked when given.
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

const Case kCases[] = {
    {"no_front_matter", "name = \"x\"\n", 1, 1,
     "the file does not start with front matter (a +++ line)"},
    {"empty_file", "", 1, 1, "the file is empty: it has no front matter"},
    {"front_matter_not_closed", "+++\nname = \"x\"\n## Body\n", 1, 1,
     "front matter is not closed: add a line with +++ after the last field"},
    {"toml_syntax_error", Edit(kEntry, "tier = \"primary-care\"", "tier = primary-care"), 6, 8,
     "`primary-care` needs double quotes around it",
     "put text in straight double quotes, for example: tier = \"primary-care\""},
    // Errors not recognised keep toml++'s own words.
    {"unrecognised_syntax_error", Edit(kEntry, "cost = \"free\"", "cost \"free\""), 9, 6,
     "TOML syntax error: Error while parsing key-value pair: expected '=', saw '\"'",
     "check this line: text needs double quotes around it, lists need square brackets, and each "
     "field is written as name = value"},
    {"control_character_inside_text", Edit(kEntry, "Free therapy", "Free\x01therapy"), 4, 16,
     "this text contains an invisible control character",
     "delete it and type the text again; it was probably pasted from another program"},
    // toml++ 3.3 says "cannot redefine existing string 'cost'".
    {"field_written_twice", Edit(kEntry, "cost = \"free\"\n", "cost = \"free\"\ncost = \"paid\"\n"),
     10, 1, "`cost` is written twice", "each field can be written only once: delete one of them"},
    {"section_written_twice",
     Edit(kEntry, "+++\n## What", "[contact]\nemail = \"help@example.org\"\n+++\n## What"), 25, 1,
     "the [contact] section is written twice",
     "each section can be written only once: move its fields under the first [contact] line and "
     "delete the second"},
    {"phone_without_quotes", Edit(kEntry, "phone = \"01632 960123\"", "phone = 01632 960123"), 15,
     9, "a phone number must be written in double quotes",
     "put the phone number in quotes: phone = \"01632 960123\""},
    {"phone_without_quotes_no_spaces",
     Edit(kEntry, "phone = \"01632 960123\"", "phone = 07700900123"), 15, 9,
     "a phone number must be written in double quotes",
     "put the phone number in quotes: phone = \"07700900123\""},
    {"number_with_leading_zero", Edit(kEntry, "{ min = 16 }", "{ min = 016 }"), 11, 16,
     "a number cannot start with 0", "write the number without the leading 0: min = 16"},
    {"missing_closing_quote",
     Edit(kEntry, "summary = \"Free therapy for adults.\"", "summary = \"Free therapy for adults."),
     4, 36, "this text has no closing double quote",
     "add a \" at the end of the text; text must start and end on the same line"},
    {"curly_quotes",
     Edit(kEntry, "name = \"Alpha Talking Therapies\"",
          "name = \xE2\x80\x9C"
          "Alpha Talking Therapies\xE2\x80\x9D"),
     2, 8, "curly quotes cannot be used around text",
     "use straight quotes \" instead of curly quotes; word processors change them"},
    {"curly_single_quotes",
     Edit(kEntry, "tier = \"primary-care\"", "tier = \xE2\x80\x98primary-care\xE2\x80\x99"), 6, 8,
     "curly quotes cannot be used around text",
     "use straight quotes \" instead of curly quotes; word processors change them"},
    {"date_that_does_not_exist", Edit(kEntry, "2026-09-14", "2026-02-30"), 10, 17,
     "there is no such date as 2026-02-30: February 2026 has 28 days",
     "write dates as year-month-day, e.g. 2026-10-12, without quotes"},
    {"date_that_does_not_exist_in_a_leap_year", Edit(kEntry, "2026-09-14", "2028-02-30"), 10, 17,
     "there is no such date as 2028-02-30: February 2028 has 29 days",
     "write dates as year-month-day, e.g. 2026-10-12, without quotes"},
    {"date_with_month_13", Edit(kEntry, "2026-09-14", "2026-13-01"), 10, 17,
     "there is no such date as 2026-13-01: the month must be 01 to 12",
     "write dates as year-month-day, e.g. 2026-10-12, without quotes"},
    {"date_written_day_first", Edit(kEntry, "2026-09-14", "12/10/2026"), 10, 17,
     "`12/10/2026` is not a date written year-month-day",
     "write dates as year-month-day, e.g. 2026-10-12, without quotes"},
    {"date_written_day_first_with_zero", Edit(kEntry, "2026-09-14", "01/02/2026"), 10, 17,
     "`01/02/2026` is not a date written year-month-day",
     "write dates as year-month-day, e.g. 2026-02-01, without quotes"},
    {"wrong_type_text", Edit(kEntry, "summary = \"Free therapy for adults.\"", "summary = 42"), 4,
     11, "`summary` must be text (in double quotes), not a whole number"},
    {"wrong_type_list", Edit(kEntry, "areas = [\"example-north\"]", "areas = \"example-north\""), 7,
     9, "`areas` must be a list of text in square brackets, not text"},
    {"wrong_type_list_item", Edit(kEntry, "[\"talking-therapies\"]", "[\"talking-therapies\", 3]"),
     5, 36, "item 2 of `categories` must be text (in double quotes), not a whole number"},
    {"related_is_a_path",
     Edit(kEntry, "related = [\"beta-peer-support\"]", "related = \"../../x\""), 12, 11,
     "`related` must be a list of text in square brackets, not text"},
    {"date_in_quotes", Edit(kEntry, "last_reviewed = 2026-09-14", "last_reviewed = \"2026-09-14\""),
     10, 17, "`last_reviewed` must be a date like 2026-09-14 (without quotes), not text"},
    {"date_with_time",
     Edit(kEntry, "last_reviewed = 2026-09-14", "last_reviewed = 2026-09-14T10:00:00"), 10, 17,
     "`last_reviewed` must be a date like 2026-09-14 (without quotes), not a date and time"},
    {"missing_required_field", Edit(kEntry, "tier = \"primary-care\"\n", ""), 1, 1,
     "missing required field `tier`"},
    {"missing_contact", Edit(kEntry, "[contact]\nphone = \"01632 960123\"\n", ""), 1, 1,
     "missing the [contact] section",
     "add a line [contact] at the end of the front matter (just above the closing +++), and "
     "below it a line such as phone = \"01632 960123\""},
    {"missing_hours_opens", Edit(kEntry, "opens = \"09:00\"\n", ""), 21, 1,
     "missing required field `opens` in [[hours]]"},
    {"unknown_key", Edit(kEntry, "categories =", "catagories ="), 5, 1,
     "unknown field `catagories`; did you mean `categories`?"},
    {"unknown_key_no_suggestion", Edit(kEntry, "cost = \"free\"\n", "cost = \"free\"\nfoo = 1\n"),
     10, 1, "unknown field `foo`"},
    {"unknown_key_in_contact", Edit(kEntry, "phone =", "phnoe = \"x\"\nphone ="), 15, 1,
     "unknown field `phnoe` in [contact]; did you mean `phone`?"},
    {"unknown_key_in_locations", Edit(kEntry, "postcode =", "postocde = \"x\"\npostcode ="), 19, 1,
     "unknown field `postocde` in [[locations]]; did you mean `postcode`?"},
    {"unknown_key_in_hours", Edit(kEntry, "closes =", "close = \"x\"\ncloses ="), 24, 1,
     "unknown field `close` in [[hours]]; did you mean `closes`?"},
    {"unknown_key_in_ages", Edit(kEntry, "{ min = 16 }", "{ min = 16, mx = 25 }"), 11, 20,
     "unknown field `mx` in ages; did you mean `max`?"},
    {"ages_not_a_table", Edit(kEntry, "ages = { min = 16 }", "ages = 16"), 11, 8,
     "`ages` must be age limits in curly brackets, not a whole number",
     "write it as: ages = { min = 16 } (add max = ... for an upper age limit)"},
    {"ages_as_text_with_plus", Edit(kEntry, "ages = { min = 16 }", "ages = \"18+\""), 11, 8,
     "`ages` must be age limits in curly brackets, not text",
     "write it as: ages = { min = 18 } (add max = ... for an upper age limit)"},
    {"ages_as_text_range", Edit(kEntry, "ages = { min = 16 }", "ages = \"16-25\""), 11, 8,
     "`ages` must be age limits in curly brackets, not text",
     "write it as: ages = { min = 16, max = 25 }"},
    {"ages_unquoted_plus", Edit(kEntry, "ages = { min = 16 }", "ages = 18+"), 11, 8,
     "`18+` is not an age",
     "write age limits as whole numbers in curly brackets, e.g. ages = { min = 18 }"},
    {"contact_not_a_table",
     Edit(kEntry, "[contact]\nphone = \"01632 960123\"\n", "contact = \"x\"\n"), 14, 11,
     "`contact` must be a [contact] section, not text",
     "start a section with [contact] on its own line and put its fields below it"},
    {"age_out_of_range", Edit(kEntry, "{ min = 16 }", "{ min = 500 }"), 11, 16,
     "`min` in ages must be between 0 and 120, not 500",
     "write an age in years, from 0 to 120; leave `max` out when there is no upper age limit"},
    {"max_age_out_of_range", Edit(kEntry, "{ min = 16 }", "{ min = 16, max = 130 }"), 11, 26,
     "`max` in ages must be between 0 and 120, not 130",
     "write an age in years, from 0 to 120; leave `max` out when there is no upper age limit"},
    {"hours_not_an_array_of_tables", Edit(kEntry, "[[hours]]", "[hours]"), 21, 1,
     "`hours` must be one or more [[hours]] sections, not a table"},
    {"status_not_in_vocabulary",
     Edit(kEntry, "cost = \"free\"", "cost = \"free\"\nstatus = \"Closed\""), 10, 10,
     "`status` cannot be `Closed`; did you mean `closed`?"},
    {"invalid_utf8",
     Edit(kEntry, "Free therapy",
          "Fr\xC3\xA9"
          "e \xFF"
          "therapy"),
     4, 17, "the file is not valid UTF-8 (byte 0xff)"},
    {"truncated_utf8_at_end", kEntry + "caf\xC3", 27, 4, "the file is not valid UTF-8 (byte 0xc3)"},
    {"nul_byte", Edit(kEntry, "Example NHS", std::string("Exa\0mple NHS", 12)), 3, 20,
     "the file contains a NUL byte (a zero byte)"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(loader_test)

BOOST_DATA_TEST_CASE(bad_entry_gives_exact_diagnostic, boost::unit_test::data::make(kCases), c) {
  Parsed p = Parse(c.text);
  BOOST_TEST_REQUIRE(p.diags.items().size() == 1u);
  const Diagnostic& d = p.diags.items()[0];
  BOOST_TEST(d.path == "content/services/alpha.md");
  BOOST_TEST(d.line == c.line);
  BOOST_TEST(d.column == c.column);
  BOOST_TEST(d.message == c.message);
  if (c.hint) BOOST_TEST(d.hint == *c.hint);
  BOOST_TEST((d.severity == Severity::kError));
}

BOOST_AUTO_TEST_CASE(valid_entry_has_no_diagnostics_and_keeps_every_field) {
  Parsed p = Parse(kEntry);
  BOOST_TEST(p.ok);
  BOOST_TEST(p.diags.empty());
  const Service& s = p.service;
  BOOST_TEST(s.slug == "alpha");
  BOOST_TEST(s.name == "Alpha Talking Therapies");
  BOOST_TEST(s.referral == (std::vector<std::string>{"self", "gp"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.last_reviewed.ToIso() == "2026-09-14");
  BOOST_TEST(*s.age_min == 16);
  BOOST_TEST(!s.age_max.has_value());
  BOOST_TEST(s.contact.phone == "01632 960123");
  BOOST_TEST_REQUIRE(s.hours.size() == 1u);
  BOOST_TEST(s.hours[0].closes == "17:00");
  BOOST_TEST(s.locations[0].postcode == "EX1 1AA");
  BOOST_TEST(s.body == "## What happens\n");
  BOOST_TEST(s.body_line == 26);
  BOOST_TEST((s.status == Status::kActive));
}

BOOST_AUTO_TEST_CASE(positions_point_into_the_md_file) {
  Parsed p = Parse(kEntry);
  const Service& s = p.service;
  auto at = [&](const char* key) {
    SourcePos pos = s.PosOf(key);
    return std::to_string(pos.line) + ":" + std::to_string(pos.column);
  };
  BOOST_TEST(at("name") == "2:8");
  BOOST_TEST(at("referral[1]") == "8:21");
  BOOST_TEST(at("ages.min") == "11:16");
  BOOST_TEST(at("contact.phone") == "15:9");
  BOOST_TEST(at("locations[0].postcode") == "19:12");
  BOOST_TEST(at("hours[0].days[1]") == "22:16");
  BOOST_TEST(at("hours[0].opens") == "23:9");
  BOOST_TEST(at("not_written") == "1:1");  // the opening +++ line
}

BOOST_AUTO_TEST_CASE(utf8_bom_is_accepted) {
  Parsed p = Parse("\xEF\xBB\xBF" + kEntry);
  BOOST_TEST(p.ok);
  BOOST_TEST(p.diags.empty());
  BOOST_TEST(p.service.PosOf("name").line == 2);
}

BOOST_AUTO_TEST_CASE(crlf_line_endings_are_accepted) {
  std::string crlf;
  for (char c : kEntry) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  Parsed p = Parse(crlf);
  BOOST_TEST(p.ok);
  BOOST_TEST(p.diags.empty());
  BOOST_TEST(p.service.name == "Alpha Talking Therapies");
  BOOST_TEST(p.service.PosOf("hours[0].opens").line == 23);
  BOOST_TEST(p.service.body_line == 26);
}

BOOST_AUTO_TEST_CASE(hints_say_how_to_fix) {
  auto hint = [](const std::string& text) {
    Parsed p = Parse(text);
    return p.diags.items().empty() ? std::string() : p.diags.items()[0].hint;
  };
  BOOST_TEST(hint(Edit(kEntry, "last_reviewed = 2026-09-14", "last_reviewed = \"2026-09-14\"")) ==
             "remove the quotes: last_reviewed = 2026-09-14");
  BOOST_TEST(hint(Edit(kEntry, "related = [\"beta-peer-support\"]", "related = \"../../x\"")) ==
             "name other entries by their slug (the file name without .md), not by a path: "
             "related = [\"x\"]");
  BOOST_TEST(hint(Edit(kEntry, "tier = \"primary-care\"\n", "")) ==
             "add a line such as: tier = \"primary-care\"");
  BOOST_TEST(hint(Edit(kEntry, "categories =", "catagories =")) == "rename it to `categories`");
}

BOOST_AUTO_TEST_CASE(every_problem_in_one_entry_is_reported) {
  std::string text = Edit(kEntry, "summary = \"Free therapy for adults.\"", "summary = 42");
  text = Edit(text, "tier = \"primary-care\"\n", "");
  text = Edit(text, "categories =", "catagories =");
  Parsed p = Parse(text);
  // The misspelt `catagories` is not also reported as a missing `categories`.
  BOOST_TEST(p.diags.items().size() == 3u);
}

BOOST_AUTO_TEST_CASE(regression_huge_lists_load_in_linear_time) {
  // Sorted insertion of key positions was quadratic when lists arrived out of
  // key order (accessibility is read after languages and keywords).
  std::string languages = "languages = [", accessibility = "accessibility = [";
  for (int i = 0; i < 60000; ++i) {
    languages += "\"a\",";
    accessibility += "\"b\",";
  }
  std::string text = Edit(kEntry, "cost = \"free\"\n",
                          "cost = \"free\"\n" + languages + "]\n" + accessibility + "]\n");
  Parsed p = Parse(text);
  BOOST_TEST(p.diags.empty());
  BOOST_TEST(p.service.accessibility.size() == 60000u);
  SourcePos last = p.service.PosOf("accessibility[59999]");
  BOOST_TEST(last.line == 11);
  BOOST_TEST(last.column == 18 + 4 * 59999);
}

// UTF-8 for one code point below U+10000.
std::string Utf8(char32_t c) {
  if (c < 0x80) return std::string(1, static_cast<char>(c));
  if (c < 0x800) return {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
  return {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          static_cast<char>(0x80 | (c & 0x3F))};
}

// The code points toml++ 3.3's is_non_ascii_horizontal_whitespace() sends
// to __builtin_unreachable() (its mask and block size, copied from
// unicode_autogenerated.h). The loader keeps them from toml++; the sweep
// below hands toml++ every other one, so under UBSan a wrong copy fails.
bool TomlppHazard(char32_t c) {
  if (c <= 0xA0 || c >= 0xFEFF || c == 0x3000) return false;
  const uint64_t block = (static_cast<uint64_t>(c) - 0xA0) / 0x3FA;
  return !((1ull << block) & 0x7FFFFFFFFFFFF75Eull) && block != 5 && block != 7;
}

// Such a character wherever whitespace may stand (after a value, in a bare
// key, at the start of a line) is a syntax error at the character, found
// before toml++ parses: never undefined behaviour, a crash or a wrong
// position.
BOOST_AUTO_TEST_CASE(regression_non_ascii_where_whitespace_may_be) {
  int checked = 0;
  for (char32_t c = 0xA1; c < 0xFEFF; ++c) {
    if ((c >= 0xD800 && c <= 0xDFFF) || !TomlppHazard(c)) continue;
    const std::string ch = Utf8(c);
    struct Where {
      std::string text;
      int column;
    };
    for (const Where& w : {Where{"+++\nname = \"x\"" + ch + "\n+++\n", 11},
                           Where{"+++\nname" + ch + " = \"x\"\n+++\n", 5},
                           Where{"+++\n" + ch + "name = \"x\"\n+++\n", 1}}) {
      Parsed p = Parse(w.text);
      BOOST_TEST_CONTEXT("U+" << std::hex << static_cast<unsigned>(c) << " at column " << std::dec
                              << w.column) {
        BOOST_TEST(!p.ok);
        BOOST_TEST_REQUIRE(p.diags.items().size() == 1u);
        const Diagnostic& d = p.diags.items()[0];
        BOOST_TEST(d.line == 2);
        BOOST_TEST(d.column == w.column);
        BOOST_TEST(d.message.rfind("TOML syntax error: ", 0) == 0);
      }
      ++checked;
    }
  }
  BOOST_TEST(checked == 3 * 3019);
}

// Every other non-ASCII character after a value reaches toml++ (safe for
// them), which either reads it as whitespace or reports it where it stands.
BOOST_AUTO_TEST_CASE(non_ascii_that_toml_handles_goes_to_toml) {
  for (char32_t c = 0x80; c < 0x10000; ++c) {
    if ((c >= 0xD800 && c <= 0xDFFF) || TomlppHazard(c)) continue;
    Parsed p = Parse("+++\nname = \"x\"" + Utf8(c) + "\n+++\n");
    if (p.diags.items().empty()) continue;  // whitespace to toml++ (U+00A0, U+3000, ...)
    BOOST_TEST_CONTEXT("U+" << std::hex << static_cast<unsigned>(c)) {
      BOOST_TEST(p.diags.items()[0].line == 2);
      BOOST_TEST(p.diags.items()[0].column == 11);
    }
  }
}

// Accented letters are ordinary text inside strings and comments; only
// the places toml++ reads as possible whitespace are refused.
BOOST_AUTO_TEST_CASE(accented_letters_in_strings_and_comments_are_text) {
  // "\é" in a one-line string reaches toml++: its own error (unknown escape).
  Parsed p = Parse(Edit(kEntry, "name = \"Alpha Talking Therapies\"\n",
                        "name = \"Caf\xC3\xA9 \\\xC3\xA9\"\n"));
  BOOST_TEST(!p.ok);
  BOOST_TEST_REQUIRE(p.diags.items().size() == 1u);
  BOOST_TEST(p.diags.items()[0].line == 2);

  p = Parse(Edit(kEntry,
                 "name = \"Alpha Talking Therapies\"\n"
                 "organisation = \"Example NHS Trust\"\n"
                 "summary = \"Free therapy for adults.\"\n",
                 "name = \"Caf\xC3\xA9 \\\"\xC3\xA9\\\"\" # caf\xC3\xA9 \xC2\xA1\n"
                 "organisation = '''\xC3\xA9\n\xC3\xA9'''\n"
                 "summary = \"\"\"\xC3\xA9 \\\n   \xE3\x80\x80 x\xC3\xA9\"\"\"\"\n"));
  BOOST_TEST(p.diags.items().empty());
  BOOST_TEST(p.service.name == "Caf\xC3\xA9 \"\xC3\xA9\"");
  BOOST_TEST(p.service.organisation == "\xC3\xA9\n\xC3\xA9");
  BOOST_TEST(p.service.summary == "\xC3\xA9 x\xC3\xA9\"");
}

BOOST_AUTO_TEST_CASE(multi_line_string_hazards_are_refused_where_toml_would_misread_them) {
  struct Case {
    std::string summary;
    int line, column;
    std::string starts;
  };
  for (const Case& c : {
           // after a backslash
           Case{"summary = \"\"\"a\\\xC3\xA9\"\"\"\n", 4, 16, "TOML syntax error: '\\"},
           // first on a line continued by a line-ending backslash
           Case{"summary = \"\"\"a \\\n  \xC3\xA9\"\"\"\n", 5, 3,
                "TOML syntax error: a line continued"},
           Case{"summary = \"\"\"a \\  \n\n\xC3\xA9\"\"\"\n", 6, 1,
                "TOML syntax error: a line continued"},
           // after the string closes, even with extra quotes
           Case{"summary = \"\"\"a\"\"\"\"\"\xC3\xA9\n", 4, 20, "TOML syntax error: unexpected"},
           Case{"summary = '''a'''''\xC3\xA9\n", 4, 20, "TOML syntax error: unexpected"},
       }) {
    Parsed p = Parse(Edit(kEntry, "summary = \"Free therapy for adults.\"\n", c.summary));
    BOOST_TEST_CONTEXT(c.summary) {
      BOOST_TEST(!p.ok);
      BOOST_TEST_REQUIRE(p.diags.items().size() == 1u);
      BOOST_TEST(p.diags.items()[0].line == c.line);
      BOOST_TEST(p.diags.items()[0].column == c.column);
      BOOST_TEST(p.diags.items()[0].message.rfind(c.starts, 0) == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(key_positions_last_write_wins_and_sorting_is_optional) {
  KeyPositions k;
  k.Set("b", {2, 1});
  k.Set("a", {1, 1});
  k.Set("b", {3, 1});
  BOOST_TEST(k.Find("b")->line == 3);  // before Sort: linear, still right
  k.Sort();
  BOOST_TEST(k.size() == 2u);
  BOOST_TEST(k.Find("b")->line == 3);
  BOOST_TEST(k.Find("a")->line == 1);
  BOOST_TEST(!k.Find("c"));
  k.erase("a");
  BOOST_TEST(k.count("a") == 0u);
  BOOST_TEST(k.count("b") == 1u);
}

BOOST_AUTO_TEST_CASE(oversized_text_is_refused_without_parsing) {
  std::string big = kEntry + std::string(kMaxEntryBytes, 'x');
  Parsed p = Parse(big);
  BOOST_TEST(!p.ok);
  BOOST_TEST_REQUIRE(p.diags.items().size() == 1u);
  BOOST_TEST(p.diags.items()[0].line == 0);
  BOOST_TEST(p.diags.items()[0].message ==
             "the file is " + std::to_string(big.size()) +
                 " bytes; content files may be at most 1048576 bytes (1 MiB)");
}

// ---- whole content folders ------------------------------------------------

struct Loaded {
  bool readable;
  Catalogue catalogue;
  SourceMap sources;
  Diagnostics diags;
};

Loaded Load(const std::string& content_dir) {
  Loaded l;
  l.readable = LoadCatalogue(content_dir, &l.catalogue, &l.sources, &l.diags);
  l.diags.Sort();
  return l;
}

// The single diagnostic about `path`, as "line:col: message".
std::string Only(const Loaded& l, const std::string& path) {
  std::string out;
  int n = 0;
  for (const Diagnostic& d : l.diags.items()) {
    if (d.path != path) continue;
    ++n;
    out = std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
  }
  return n == 1 ? out : std::to_string(n) + " diagnostics";
}

BOOST_AUTO_TEST_CASE(loads_the_valid_fixture) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  Loaded l = Load(dir.path() + "/content");
  BOOST_TEST(l.readable);
  BOOST_TEST(l.diags.empty());
  BOOST_TEST_REQUIRE(l.catalogue.services.size() == 2u);
  BOOST_TEST(l.catalogue.services[0].slug == "alpha-talking-therapies");
  BOOST_TEST(l.catalogue.services[1].path == dir.path() + "/content/services/beta-peer-support.md");
  BOOST_TEST(l.catalogue.site.base_url == "https://directory.example.org/");
  BOOST_TEST(l.catalogue.site.crisis_contacts.size() == 2u);
  BOOST_TEST(l.catalogue.taxonomy.categories[0].synonyms.size() == 2u);
  BOOST_TEST(l.catalogue.taxonomy.areas[1].postcodes[0] == "EX9");
  std::string line;
  BOOST_TEST(l.sources.GetLine(l.catalogue.services[1].path, 2, &line));
  BOOST_TEST(line == "name = \"Beta Peer Support\"");
  BOOST_TEST(l.sources.GetLine(dir.path() + "/content/site.toml", 1, &line));
}

BOOST_AUTO_TEST_CASE(services_are_sorted_by_slug_whatever_the_directory_order) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string beta = testing::ReadFile(dir.path() + "/content/services/beta-peer-support.md");
  for (const char* slug : {"zz-last", "0-first", "m-middle"}) {
    std::string text = Edit(beta, "Beta Peer Support", std::string("Service ") + slug);
    dir.Write(std::string("content/services/") + slug + ".md", text);
  }
  Loaded l = Load(dir.path() + "/content");
  std::vector<std::string> slugs;
  for (const Service& s : l.catalogue.services) slugs.push_back(s.slug);
  BOOST_TEST(slugs == (std::vector<std::string>{"0-first", "alpha-talking-therapies",
                                                "beta-peer-support", "m-middle", "zz-last"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(symlink_out_of_content_is_refused_and_never_read) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string secret = dir.Write("secret.txt", "+++\nname = \"TOP SECRET\"\n+++\n");
  std::string link = dir.path() + "/content/services/leak.md";
  BOOST_TEST_REQUIRE(::symlink(secret.c_str(), link.c_str()) == 0);
  Loaded l = Load(dir.path() + "/content");
  BOOST_TEST(Only(l, link) ==
             "0:0: this is a symbolic link; service entries must be ordinary files");
  BOOST_TEST(!l.catalogue.FindService("leak"));
  std::string line;
  BOOST_TEST(!l.sources.GetLine(link, 2, &line));  // the target was never read
  for (const Diagnostic& d : l.diags.items()) {
    BOOST_TEST(d.message.find("secret") == std::string::npos);
    BOOST_TEST(d.hint.find("secret") == std::string::npos);
  }
  BOOST_TEST(l.readable);  // a content error (exit 1), not an I/O failure
}

BOOST_AUTO_TEST_CASE(source_text_is_kept_only_for_files_with_diagnostics) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string beta = testing::ReadFile(dir.path() + "/content/services/beta-peer-support.md");
  std::string broken = dir.Write("content/services/broken.md",
                                 Edit(beta, "name = \"Beta Peer Support\"", "name = 42"));
  Loaded l = Load(dir.path() + "/content");
  std::string good = l.catalogue.services[0].path;
  // The broken entry's text was kept for its echo; the good one's is read
  // again when asked for, and only while it is unchanged.
  std::filesystem::remove(broken);
  std::string line;
  BOOST_TEST(l.sources.GetLine(broken, 2, &line));
  BOOST_TEST(line == "name = 42");
  BOOST_TEST(l.sources.GetLine(good, 1, &line));
  BOOST_TEST(line == "+++");
  SourceMap fresh;
  Catalogue c;
  Diagnostics d;
  LoadCatalogue(dir.path() + "/content", &c, &fresh, &d);
  dir.Write("content/services/alpha-talking-therapies.md", "+++\nchanged\n");
  BOOST_TEST(!fresh.GetLine(good, 1, &line));
}

BOOST_AUTO_TEST_CASE(symlinked_site_toml_is_refused) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string target = dir.path() + "/content/site.toml";
  std::filesystem::rename(target, dir.path() + "/real-site.toml");
  BOOST_TEST_REQUIRE(::symlink((dir.path() + "/real-site.toml").c_str(), target.c_str()) == 0);
  Loaded l = Load(dir.path() + "/content");
  BOOST_TEST(Only(l, target) ==
             "0:0: this is a symbolic link; content files must be ordinary files");
}

BOOST_AUTO_TEST_CASE(five_megabyte_file_is_refused) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string path = dir.Write("content/services/huge.md", kEntry + std::string(5 << 20, 'x'));
  Loaded l = Load(dir.path() + "/content");
  BOOST_TEST(Only(l, path) == "0:0: the file is " + std::to_string(kEntry.size() + (5 << 20)) +
                                  " bytes; content files may be at most 1048576 bytes (1 MiB)");
  BOOST_TEST(!l.catalogue.FindService("huge"));
}

BOOST_AUTO_TEST_CASE(file_names_must_be_slugs) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string path = dir.Write("content/services/My Service.md", kEntry);
  Loaded l = Load(dir.path() + "/content");
  BOOST_TEST(Only(l, path) ==
             "0:0: the file name must be a slug (lower-case letters, digits and hyphens)");
  for (const Diagnostic& d : l.diags.items()) {
    if (d.path == path) BOOST_TEST(d.hint == "rename `My Service.md` to `my-service.md`");
  }
  BOOST_TEST(l.catalogue.services.size() == 2u);
}

BOOST_AUTO_TEST_CASE(other_files_and_sub_folders_are_errors) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string txt = dir.Write("content/services/notes.txt", "hello");
  std::string markdown = dir.Write("content/services/gamma.markdown", kEntry);
  dir.Write("content/services/old/delta.md", kEntry);
  dir.Write("content/services/.gitkeep", "");
  Loaded l = Load(dir.path() + "/content");
  BOOST_TEST(Only(l, txt) ==
             "0:0: only .md files belong in the services folder; `notes.txt` is not one");
  BOOST_TEST(Only(l, markdown) ==
             "0:0: only .md files belong in the services folder; `gamma.markdown` is not one");
  BOOST_TEST(Only(l, dir.path() + "/content/services/old") ==
             "0:0: sub-folders are not allowed in the services folder");
  BOOST_TEST(l.diags.items().size() == 3u);  // .gitkeep is fine
  for (const Diagnostic& d : l.diags.items()) {
    if (d.path == markdown) BOOST_TEST(d.hint == "rename `gamma.markdown` to `gamma.md`");
  }
}

BOOST_AUTO_TEST_CASE(missing_settings_and_empty_services_are_reported) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/content/services");
  Loaded l = Load(dir.path() + "/content");
  BOOST_TEST(Only(l, dir.path() + "/content/site.toml") == "0:0: file not found");
  BOOST_TEST(Only(l, dir.path() + "/content/taxonomy.toml") == "0:0: file not found");
  BOOST_TEST(Only(l, dir.path() + "/content/services") ==
             "0:0: there are no service entries (.md files) in this folder");
  BOOST_TEST(!l.catalogue.site.loaded);
}

BOOST_AUTO_TEST_CASE(missing_content_folder_is_not_readable) {
  TempDir dir;
  Loaded l = Load(dir.path() + "/nope");
  BOOST_TEST(!l.readable);
  BOOST_TEST(Only(l, dir.path() + "/nope") ==
             "0:0: the content folder does not exist or is not a folder");
}

struct SettingsCase {
  const char* name;
  const char* file;
  const char* find;
  const char* replace;
  std::string expected;
};
std::ostream& operator<<(std::ostream& os, const SettingsCase& c) { return os << c.name; }

const SettingsCase kSettingsCases[] = {
    {"site_unknown_key", "site.toml",
     "title =", "titel =", "1:1: unknown field `titel`; did you mean `title`?"},
    {"site_unknown_key_in_review", "site.toml", "warn_after_days", "warn_after_day",
     "7:1: unknown field `warn_after_day` in [review]; did you mean `warn_after_days`?"},
    {"site_missing_title", "site.toml", "title = \"Fixture Directory\"\n", "",
     "1:1: missing required field `title`"},
    {"site_threshold_wrong_type", "site.toml", "warn_after_days = 365", "warn_after_days = \"365\"",
     "7:19: `warn_after_days` in [review] must be a whole number, not text"},
    {"site_crisis_contact_unknown_key", "site.toml", "description = \"Text SHOUT to 85258.\"",
     "descripton = \"Text SHOUT to 85258.\"",
     "18:1: unknown field `descripton` in [[crisis_contacts]]; did you mean `description`?"},
    {"taxonomy_unknown_key", "taxonomy.toml", "synonyms =", "synonym =",
     "15:1: unknown field `synonym` in [[categories]]; did you mean `synonyms`?"},
    {"taxonomy_unknown_top_level", "taxonomy.toml", "[[tiers]]\nslug = \"staying-well\"",
     "[[teirs]]\nslug = \"staying-well\"", "1:3: unknown field `teirs`; did you mean `tiers`?"},
    {"taxonomy_missing_name", "taxonomy.toml", "name = \"Peer support\"\n", "",
     "17:1: missing required field `name` in [[categories]]"},
    {"taxonomy_syntax_error", "taxonomy.toml", "name = \"Peer support\"", "name = \"Peer support",
     "19:21: this text has no closing double quote"},
};

BOOST_DATA_TEST_CASE(settings_files_are_checked, boost::unit_test::data::make(kSettingsCases), c) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string path = dir.path() + "/content/" + c.file;
  dir.Write(std::string("content/") + c.file, Edit(testing::ReadFile(path), c.find, c.replace));
  Loaded l = Load(dir.path() + "/content");
  BOOST_TEST(Only(l, path) == c.expected);
}

// ---- the entry cache (signpost serve) ----------------------------------------

// What a load produced, for comparing loads with and without the cache.
std::string Snapshot(const Catalogue& c, const Diagnostics& diags) {
  std::string out;
  for (const Service& s : c.services) {
    out += s.slug + "|" + s.name + "|" + std::to_string(s.source_hash) + "|" + s.body + "|" +
           std::to_string(s.positions.size()) + "\n";
  }
  for (const Diagnostic& d : diags.items()) {
    out += d.path + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
           d.message + "\n";
  }
  return out;
}

BOOST_AUTO_TEST_CASE(entry_cache_reparses_only_changed_files) {
  TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string content = dir.path() + "/content";
  std::string beta = testing::ReadFile(content + "/services/beta-peer-support.md");
  // Enough entries for both loader threads.
  for (int i = 0; i < 200; ++i) {
    std::string slug = "copy-" + std::to_string(i);
    dir.Write("content/services/" + slug + ".md", Edit(beta, "Beta Peer Support", "Copy " + slug));
  }
  dir.Write("content/services/broken-entry.md", Edit(beta, "cost = \"free\"", "cost \"free\""));
  EntryCache cache;
  auto load = [&](std::string* snapshot) {
    Catalogue c;
    SourceMap sources;
    Diagnostics diags;
    BOOST_TEST(LoadCatalogue(content, &c, &sources, &diags, &cache));
    diags.Sort();
    *snapshot = Snapshot(c, diags);
    // The broken entry's line is still echoed from a cached load.
    std::string line;
    BOOST_TEST(sources.GetLine(content + "/services/broken-entry.md", 9, &line));
    BOOST_TEST(line == "cost \"free\"");
    cache.Restore(&c);
    return c.services.size();
  };
  auto fresh = [&] {
    Loaded l = Load(content);
    return Snapshot(l.catalogue, l.diags);
  };
  std::string first, second;
  load(&first);
  BOOST_TEST(cache.parsed() == 203u);
  BOOST_TEST(first == fresh());
  load(&second);
  BOOST_TEST(cache.reused() == 203u);
  BOOST_TEST(cache.parsed() == 0u);
  BOOST_TEST(second == first);

  // An edit of the same length still counts (modification time).
  std::string path = content + "/services/copy-7.md";
  std::string text = testing::ReadFile(path);
  dir.Write("content/services/copy-7.md", Edit(text, "Copy copy-7", "Copy copy-X"));
  // A removed file and a new one.
  std::filesystem::remove(content + "/services/copy-8.md");
  dir.Write("content/services/new-one.md", Edit(beta, "Beta Peer Support", "A new one"));
  std::string third;
  load(&third);
  BOOST_TEST(cache.parsed() == 2u);
  BOOST_TEST(cache.reused() == 201u);
  BOOST_TEST(third == fresh());
  BOOST_TEST(third.find("Copy copy-X") != std::string::npos);
  BOOST_TEST(third.find("copy-8|") == std::string::npos);

  // Without Restore() the services are gone from the cache: parsed again.
  {
    Catalogue c;
    SourceMap sources;
    Diagnostics diags;
    LoadCatalogue(content, &c, &sources, &diags, &cache);
  }
  std::string fourth;
  load(&fourth);
  BOOST_TEST(cache.parsed() == 202u);  // all but the broken entry, which has no Service
  BOOST_TEST(fourth == third);
}

// The "valid" fixture plus 150 copies of one entry (enough for both loader
// threads), loaded again and again through one EntryCache, as serve does.
struct CachedCopies {
  TempDir dir;
  std::string content = dir.path() + "/content";
  EntryCache cache;

  CachedCopies() {
    testing::CopyFixture("valid", dir);
    std::string beta = testing::ReadFile(content + "/services/beta-peer-support.md");
    for (int i = 0; i < 150; ++i) {
      std::string slug = "copy-" + std::to_string(i);
      dir.Write("content/services/" + slug + ".md",
                Edit(beta, "Beta Peer Support", "Copy " + slug));
    }
  }
  // A snapshot of a load through the cache (given its services back after).
  std::string CachedLoad() {
    Catalogue c;
    SourceMap sources;
    Diagnostics diags;
    LoadCatalogue(content, &c, &sources, &diags, &cache);
    diags.Sort();
    std::string snapshot = Snapshot(c, diags);
    cache.Restore(&c);
    return snapshot;
  }
  // A snapshot of a load of the same folder without a cache.
  std::string FreshLoad() {
    Loaded l = Load(content);
    return Snapshot(l.catalogue, l.diags);
  }
  void EditEntry(const std::string& slug, const std::string& from, const std::string& to) {
    std::string text = testing::ReadFile(content + "/services/" + slug + ".md");
    dir.Write("content/services/" + slug + ".md", Edit(text, from, to));
  }
};

// serve's watcher walks the folder (lstat of every file) just before each
// rebuild; the load that follows takes those results instead of stat'ing
// every entry again, once.
BOOST_AUTO_TEST_CASE(entry_cache_takes_a_walk_made_just_before_the_load) {
  CachedCopies f;
  auto walk = [&] {
    std::unordered_map<std::string, struct stat> walked;
    for (const auto& e : std::filesystem::directory_iterator(f.content + "/services")) {
      struct stat st;
      BOOST_REQUIRE(::lstat(e.path().c_str(), &st) == 0);
      walked.emplace(e.path().string(), st);
    }
    return walked;
  };
  BOOST_TEST(f.CachedLoad() == f.FreshLoad());

  // A walk that saw the edit: that entry alone is parsed again.
  f.EditEntry("copy-40", "Copy copy-40", "Copy copy-40 edited");
  auto after = walk();
  f.cache.UseWalked(&after);
  std::string edited = f.CachedLoad();
  BOOST_TEST(f.cache.parsed() == 1u);
  BOOST_TEST(edited == f.FreshLoad());
  BOOST_TEST(edited.find("Copy copy-40 edited") != std::string::npos);

  // The walk is what the load goes by: an edit made after it is not seen
  // by this load (the watcher's next walk sees it and rebuilds) ...
  auto before = walk();
  f.EditEntry("copy-41", "Copy copy-41", "Copy copy-41 edited");
  f.cache.UseWalked(&before);
  BOOST_TEST(f.CachedLoad() == edited);
  BOOST_TEST(f.cache.parsed() == 0u);
  // ... and a walk is used once: the next load stats the files itself.
  std::string later = f.CachedLoad();
  BOOST_TEST(f.cache.parsed() == 1u);
  BOOST_TEST(later == f.FreshLoad());
  BOOST_TEST(later.find("Copy copy-41 edited") != std::string::npos);
}

// Every entry loads, so a load after an edit gets the previous build's
// vector back and re-parses in place; a broken, then fixed, entry moves
// between that path and the one that builds a new vector.
BOOST_AUTO_TEST_CASE(entry_cache_edits_in_place_equal_fresh_loads) {
  CachedCopies f;
  BOOST_TEST(f.CachedLoad() == f.FreshLoad());
  const size_t all = f.cache.parsed();

  f.EditEntry("copy-40", "Copy copy-40", "Copy copy-40 edited");
  std::string edited = f.CachedLoad();
  BOOST_TEST(f.cache.parsed() == 1u);
  BOOST_TEST(f.cache.reused() == all - 1);
  BOOST_TEST(edited == f.FreshLoad());
  BOOST_TEST(edited.find("Copy copy-40 edited") != std::string::npos);

  f.EditEntry("copy-41", "cost = \"free\"", "cost \"free\"");  // now broken: left out
  std::string broken = f.CachedLoad();
  BOOST_TEST(f.cache.parsed() == 1u);
  BOOST_TEST(broken == f.FreshLoad());
  BOOST_TEST(broken.find("copy-41|") == std::string::npos);

  f.EditEntry("copy-41", "cost \"free\"", "cost = \"free\"");  // fixed: back in its place
  std::string fixed = f.CachedLoad();
  BOOST_TEST(f.cache.parsed() == 1u);
  BOOST_TEST(fixed == f.FreshLoad());
  BOOST_TEST(fixed == edited);

  f.EditEntry("copy-42", "Copy copy-42", "Copy copy-42 again");
  BOOST_TEST(f.CachedLoad() == f.FreshLoad());
  BOOST_TEST(f.cache.parsed() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
