#include "page_context.h"

#include <boost/test/unit_test.hpp>

namespace signpost {

BOOST_AUTO_TEST_SUITE(page_context_test)

BOOST_AUTO_TEST_CASE(phone_links_dial_digits_in_plus44_form) {
  struct Case {
    const char* phone;
    const char* tel;
  };
  const Case cases[] = {
      {"020 7946 0104", "tel:+442079460104"},
      {"01632 960123", "tel:+441632960123"},
      {"+44 20 7946 0104", "tel:+442079460104"},
      {"(01632) 960-123", "tel:+441632960123"},
      {"116 123", "tel:116123"},
      {"999", "tel:999"},
      {"111", "tel:111"},
      {"0800 123 4567", "tel:+448001234567"},
      {"", ""},
      {"javascript:alert(1)", ""},
      {"call us", ""},
      {"\"><script>", ""},
  };
  for (const Case& c : cases) BOOST_TEST(TelHref(c.phone) == c.tel, c.phone);
  BOOST_TEST(SmsHref("85258") == "sms:85258");
  BOOST_TEST(SmsHref("07700 900123") == "sms:+447700900123");
}

BOOST_AUTO_TEST_CASE(times_in_plain_words) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {{"09:00", "9am"},      {"17:00", "5pm"},     {"17:30", "5:30pm"},
                        {"12:00", "midday"},   {"12:15", "12:15pm"}, {"00:00", "midnight"},
                        {"24:00", "midnight"}, {"00:30", "12:30am"}, {"9:00", "9:00"},
                        {"25:00", "25:00"},    {"<b>", "<b>"}};
  for (const Case& c : cases) BOOST_TEST(FormatTime(c.in) == c.out, c.in);
}

BOOST_AUTO_TEST_CASE(days_grouped_into_ranges) {
  using V = std::vector<std::string>;
  BOOST_TEST(FormatDays(V{"mon", "tue", "wed", "thu", "fri"}) == "Monday to Friday");
  BOOST_TEST(FormatDays(V{"fri", "mon", "wed", "tue", "thu"}) == "Monday to Friday");
  BOOST_TEST(FormatDays(V{"sat", "sun"}) == "Saturday and Sunday");
  BOOST_TEST(FormatDays(V{"mon", "wed", "fri"}) == "Monday, Wednesday and Friday");
  BOOST_TEST(FormatDays(V{"mon", "tue", "wed", "sat"}) == "Monday to Wednesday and Saturday");
  BOOST_TEST(FormatDays(V{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) == "Every day");
  BOOST_TEST(FormatDays(V{"thu"}) == "Thursday");
}

BOOST_AUTO_TEST_CASE(hours_in_plain_words) {
  Hours weekday{{"mon", "tue", "wed", "thu", "fri"}, "09:00", "17:00", "", ""};
  BOOST_TEST(FormatHours(weekday) == "Monday to Friday, 9am to 5pm");
  Hours overnight{{"fri", "sat"}, "20:00", "08:00", "", ""};
  BOOST_TEST(FormatHours(overnight) == "Friday and Saturday, 8pm to 8am (overnight)");
  Hours to_midnight{{"sun"}, "18:00", "24:00", "", ""};
  BOOST_TEST(FormatHours(to_midnight) == "Sunday, 6pm to midnight");
  Hours always{{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "00:00", "24:00", "", ""};
  BOOST_TEST(FormatHours(always) == "Every day, 24 hours");
}

BOOST_AUTO_TEST_CASE(ages_lists_and_urls) {
  BOOST_TEST(FormatAges(16, std::nullopt) == "16 and over");
  BOOST_TEST(FormatAges(std::nullopt, 25) == "Up to 25");
  BOOST_TEST(FormatAges(16, 25) == "16 to 25");
  BOOST_TEST(FormatAges(std::nullopt, std::nullopt) == "");
  BOOST_TEST(JoinWords({}) == "");
  BOOST_TEST(JoinWords({"a"}) == "a");
  BOOST_TEST(JoinWords({"a", "b"}) == "a and b");
  BOOST_TEST(JoinWords({"a", "b", "c"}) == "a, b and c");
  BOOST_TEST(SentenceList({"Self-referral", "GP referral", "Referral by a professional"}) ==
             "Self-referral, GP referral and referral by a professional");
  BOOST_TEST(SentenceList({"In person", "By phone"}) == "In person and by phone");
  BOOST_TEST(DisplayUrl("https://www.example.org/talk/") == "example.org/talk");
  BOOST_TEST(IsHttpLink("https://example.org/x"));
  BOOST_TEST(IsHttpLink("HTTP://example.org"));
  BOOST_TEST(!IsHttpLink("javascript:alert(1)"));
  BOOST_TEST(!IsHttpLink("mailto:a@b.c"));
  BOOST_TEST(!IsHttpLink("https://exa mple.org"));
  BOOST_TEST(IndexLetter("mind") == "M");
  BOOST_TEST(IndexLetter("\"Quoted\"") == "Q");
  BOOST_TEST(IndexLetter("123 Club") == "#");
  BOOST_TEST(IndexLetter("\xc3\x89quipe") == "#");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
