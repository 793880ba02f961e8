#include "phone.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace signpost {

namespace {

struct Valid {
  const char* written;
  const char* normalised;
};
std::ostream& operator<<(std::ostream& os, const Valid& v) { return os << v.written; }

const Valid kValid[] = {
    {"01632 960123", "01632960123"},
    {"01632960123", "01632960123"},
    {"(01632) 960 123", "01632960123"},
    {"01632-960-123", "01632960123"},
    {"+44 1632 960123", "01632960123"},
    {"+44 (0)1632 960123", "01632960123"},
    {"0044 1632 960123", "01632960123"},
    {"020 7946 0123", "02079460123"},
    {"07700 900123", "07700900123"},
    {"0800 123456", "0800123456"},
    {"0800 123 4567", "08001234567"},
    {"016977 1234", "0169771234"},
    {"999", "999"},
    {"111", "111"},
    {"116 123", "116123"},
    {"116 006", "116006"},
    {"85258", "85258"},
    {"  01632 960123", "01632960123"},
};

struct Invalid {
  const char* written;
  const char* problem;
};
std::ostream& operator<<(std::ostream& os, const Invalid& v) { return os << v.written; }

const Invalid kInvalid[] = {
    {"0800 SAMARITANS",
     "it contains letters (only digits, spaces, hyphens, dots, brackets and a leading + are "
     "allowed)"},
    {"01632 960123 ext 4",
     "it contains letters (only digits, spaces, hyphens, dots, brackets and a leading + are "
     "allowed)"},
    {"01632/960123",
     "it contains `/` (only digits, spaces, hyphens, dots, brackets and a leading + are allowed)"},
    {"", "it has no digits"},
    {"0163 296", "it has 7 digits; UK numbers starting with 01 have 10 or 11"},
    {"020 7946 012", "it has 10 digits; UK numbers starting with 02 have 11"},
    {"07700 9001234", "it has 12 digits; UK numbers starting with 07 have 11"},
    {"1234",
     "it has 4 digits; UK numbers have 10 or 11 digits starting with 0, or are short "
     "numbers such as 111, 116 123 or 85258"},
    {"12345",
     "it has 5 digits; UK numbers have 10 or 11 digits starting with 0, or are short "
     "numbers such as 111, 116 123 or 85258"},
    {"+33 1 23 45 67 89", "it is not a UK number (only +44 numbers can be listed)"},
    {"0033 1 23 45 67 89", "it starts with 00 (write +44 or a UK number)"},
    {"01632 +960123", "a + can only come first, as in +44 1632 960123"},
    {"04123 456789", "no UK numbers start with 04"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(phone_test)

BOOST_DATA_TEST_CASE(valid_numbers, boost::unit_test::data::make(kValid), v) {
  BOOST_TEST(PhoneProblem(v.written) == "");
  BOOST_TEST(NormalisePhone(v.written) == v.normalised);
}

BOOST_DATA_TEST_CASE(invalid_numbers, boost::unit_test::data::make(kInvalid), v) {
  BOOST_TEST(PhoneProblem(v.written) == v.problem);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
