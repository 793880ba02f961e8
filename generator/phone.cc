#include "phone.h"

namespace signpost {

namespace {

bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

// Numbers valid on their own without an area code (Ofcom's short codes):
// emergency, NHS 111, police 101, 119, and the 116xxx harmonised services.
bool IsShortNumber(const std::string& d) {
  if (d == "999" || d == "112" || d == "111" || d == "101" || d == "119" || d == "100" ||
      d == "105") {
    return true;
  }
  if (d.size() == 6 && d.compare(0, 3, "116") == 0) return true;
  // SMS short codes (Shout's 85258): five digits, never starting with 0 or 1.
  if (d.size() == 5 && d[0] >= '2') return true;
  return false;
}

}  // namespace

std::string NormalisePhone(std::string_view s) {
  std::string digits;
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  bool international = false;
  if (i < s.size() && s[i] == '+') {
    international = true;
    ++i;
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (!IsSeparator(c)) {
      return "";
    }
  }
  if (!international && digits.compare(0, 4, "0044") == 0) {
    international = true;
    digits.erase(0, 2);
  }
  if (international) {
    if (digits.compare(0, 2, "44") != 0) return "+" + digits;  // not UK: left for PhoneProblem
    digits.erase(0, 2);
    // "+44 (0)20 ..." writes the trunk 0 in brackets; it is not dialled.
    if (!digits.empty() && digits[0] == '0') digits.erase(0, 1);
    digits.insert(0, "0");
  }
  return digits;
}

std::string PhoneProblem(std::string_view s) {
  // Exactly what IsSeparator accepts, plus the leading +.
  static const char kAllowed[] =
      "only digits, spaces, hyphens, dots, brackets and a leading + are allowed";
  bool has_digit = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      has_digit = true;
    } else if (!IsSeparator(c) && c != '+') {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        return std::string("it contains letters (") + kAllowed + ")";
      }
      return "it contains `" + std::string(1, c) + "` (" + kAllowed + ")";
    }
  }
  if (!has_digit) return "it has no digits";
  size_t plus = s.find('+');
  if (plus != std::string_view::npos && s.find_first_not_of(' ') != plus) {
    return "a + can only come first, as in +44 1632 960123";
  }
  if (s.find('+', plus == std::string_view::npos ? 0 : plus + 1) != std::string_view::npos) {
    return "it has more than one +";
  }
  std::string d = NormalisePhone(s);
  if (d.empty()) return "it is not a phone number";
  if (d[0] == '+') return "it is not a UK number (only +44 numbers can be listed)";
  if (d[0] != '0') {
    if (IsShortNumber(d)) return "";
    return "it has " + std::to_string(d.size()) +
           " digits; UK numbers have 10 or 11 digits starting with 0, or are short numbers "
           "such as 111, 116 123 or 85258";
  }
  if (d.size() >= 2 && d[1] == '0') return "it starts with 00 (write +44 or a UK number)";
  if (d.size() >= 2 && (d[1] == '4' || d[1] == '6')) {
    return "no UK numbers start with 0" + std::string(1, d[1]);
  }
  // 01 and 08 numbers can have 10 digits (e.g. 016977 xxxx, 0800 xxxxxx);
  // every other range has 11.
  bool ten_ok = d.size() >= 2 && (d[1] == '1' || d[1] == '8');
  if (d.size() == 11 || (ten_ok && d.size() == 10)) return "";
  return "it has " + std::to_string(d.size()) + " digits; UK numbers starting with 0" +
         std::string(1, d.size() >= 2 ? d[1] : '0') + " have " + (ten_ok ? "10 or 11" : "11");
}

}  // namespace signpost
