#include "catalogue.h"

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>

namespace signpost {
namespace {

BOOST_AUTO_TEST_SUITE(catalogue_test)

BOOST_AUTO_TEST_CASE(dates_round_trip_through_days_since_epoch) {
  struct Case {
    Date date;
    long days;
  } cases[] = {
      {{1970, 1, 1}, 0},       {{1969, 12, 31}, -1},    {{2000, 2, 29}, 11016},
      {{2026, 11, 23}, 20780}, {{2024, 12, 31}, 20088},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.date.ToIso()) {
      BOOST_TEST(c.date.DaysSinceEpoch() == c.days);
      BOOST_TEST((Date::FromDaysSinceEpoch(c.days) == c.date));
    }
  }
}

BOOST_AUTO_TEST_CASE(date_validity_knows_leap_years) {
  BOOST_TEST((Date{2024, 2, 29}.IsValid()));
  BOOST_TEST(!(Date{2026, 2, 29}.IsValid()));
  BOOST_TEST((Date{2000, 2, 29}.IsValid()));
  BOOST_TEST(!(Date{1900, 2, 29}.IsValid()));
  BOOST_TEST(!(Date{2026, 13, 1}.IsValid()));
  BOOST_TEST(!(Date{2026, 4, 31}.IsValid()));
}

BOOST_AUTO_TEST_CASE(dates_format_in_nhs_style) {
  BOOST_TEST((Date{2026, 9, 4}.ToIso()) == "2026-09-04");
  BOOST_TEST((Date{2026, 9, 4}.ToLong()) == "4 September 2026");
}

BOOST_AUTO_TEST_CASE(iso_dates_match_printf_for_any_fields) {
  // ToIso writes digits by hand; printf's "%04d-%02d-%02d" is the definition.
  for (int year : {0, 1, 9, 10, 99, 999, 1000, 2026, 9999, 10000, -1, -2026}) {
    for (int month : {0, 1, 9, 10, 12, 99, 100, -1}) {
      for (int day : {0, 1, 9, 10, 31, 99, 100, -5}) {
        char want[64];
        std::snprintf(want, sizeof want, "%04d-%02d-%02d", year, month, day);
        BOOST_TEST((Date{year, month, day}.ToIso()) == want);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(today_can_be_pinned_for_reproducible_runs) {
  ::setenv("SIGNPOST_TODAY", "2026-03-01", 1);
  BOOST_TEST((Date::Today() == Date{2026, 3, 1}));
  ::setenv("SIGNPOST_TODAY", "not a date", 1);
  BOOST_TEST(Date::Today().IsValid());  // falls back to the clock
  ::unsetenv("SIGNPOST_TODAY");
}

BOOST_AUTO_TEST_CASE(find_service_by_slug_in_a_sorted_catalogue) {
  Catalogue c;
  for (const char* slug : {"a", "c", "e"}) {
    Service s;
    s.slug = slug;
    c.services.push_back(s);
  }
  BOOST_TEST(c.FindService("c") == &c.services[1]);
  BOOST_TEST(c.FindService("b") == nullptr);
  BOOST_TEST(c.FindService("z") == nullptr);
}

BOOST_AUTO_TEST_CASE(labels_for_closed_vocabularies) {
  BOOST_TEST(ReferralLabel("self") == "Self-referral");
  BOOST_TEST(CostLabel("donation") == "Free, donations welcome");
  BOOST_TEST(DeliveryLabel("home-visit") == "Home visits");
  BOOST_TEST(DayLabel("sun") == "Sunday");
  BOOST_TEST(StatusSlug(Status::kTemporarilyClosed) == "temporarily-closed");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace signpost
