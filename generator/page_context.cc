#include "page_context.h"

#include <cctype>
#include <cstdio>

#include "markdown.h"

namespace signpost {

namespace {

constexpr const char* kDayOrder[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int DayIndex(const std::string& day) {
  for (int i = 0; i < 7; ++i) {
    if (day == kDayOrder[i]) return i;
  }
  return -1;
}

bool ParseTime(std::string_view hhmm, int* h, int* m) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return false;
  for (int i : {0, 1, 3, 4}) {
    if (!std::isdigit(static_cast<unsigned char>(hhmm[i]))) return false;
  }
  *h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  *m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  return *h <= 24 && *m <= 59 && !(*h == 24 && *m != 0);
}

}  // namespace

std::string DialNumber(std::string_view phone) {
  // Anything but a number in common spacing is not dialled at all.
  for (char c : phone) {
    if (!std::isdigit(static_cast<unsigned char>(c)) &&
        std::string_view(" +()-.").find(c) == std::string_view::npos) {
      return "";
    }
  }
  std::string digits;
  bool plus = false;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c == '+' && digits.empty()) {
      plus = true;
    }
  }
  if (digits.empty()) return "";
  if (plus) return "+" + digits;
  // A full UK national number (0 + 9 or 10 digits) dials the same from any
  // phone in +44 form; short numbers (999, 116 123, 85258) stay as they are.
  if (digits[0] == '0' && digits.size() >= 10 && digits.size() <= 11 && digits[1] != '0') {
    return "+44" + digits.substr(1);
  }
  return digits;
}

std::string TelHref(std::string_view phone) {
  std::string n = DialNumber(phone);
  return n.empty() ? "" : "tel:" + n;
}

std::string SmsHref(std::string_view number) {
  std::string n = DialNumber(number);
  return n.empty() ? "" : "sms:" + n;
}

std::string FormatTime(std::string_view hhmm) {
  int h, m;
  if (!ParseTime(hhmm, &h, &m)) return std::string(hhmm);
  if ((h == 0 || h == 24) && m == 0) return "midnight";
  if (h == 12 && m == 0) return "midday";
  int h12 = h % 12 == 0 ? 12 : h % 12;
  const char* suffix = h < 12 ? "am" : "pm";
  char buf[16];
  if (m == 0) {
    std::snprintf(buf, sizeof buf, "%d%s", h12, suffix);
  } else {
    std::snprintf(buf, sizeof buf, "%d:%02d%s", h12, m, suffix);
  }
  return buf;
}

std::string FormatDays(const std::vector<std::string>& days) {
  bool present[7] = {};
  std::vector<std::string> unknown;
  for (const std::string& d : days) {
    int i = DayIndex(d);
    if (i >= 0) {
      present[i] = true;
    } else {
      unknown.push_back(d);
    }
  }
  int count = 0;
  for (bool p : present) count += p;
  if (count == 7 && unknown.empty()) return "Every day";
  std::vector<std::string> parts;
  for (int i = 0; i < 7;) {
    if (!present[i]) {
      ++i;
      continue;
    }
    int j = i;
    while (j + 1 < 7 && present[j + 1]) ++j;
    if (j - i >= 2) {
      parts.push_back(DayLabel(kDayOrder[i]) + " to " + DayLabel(kDayOrder[j]));
    } else {
      for (int k = i; k <= j; ++k) parts.push_back(DayLabel(kDayOrder[k]));
    }
    i = j + 1;
  }
  for (const std::string& u : unknown) parts.push_back(u);
  return JoinWords(parts);
}

std::string FormatHours(const Hours& hours) {
  std::string days = FormatDays(hours.days);
  int oh, om, ch, cm;
  std::string times;
  if (ParseTime(hours.opens, &oh, &om) && ParseTime(hours.closes, &ch, &cm)) {
    int open = oh * 60 + om, close = ch * 60 + cm;
    if (open == 0 && close == 24 * 60) {
      times = "24 hours";
    } else {
      times = FormatTime(hours.opens) + " to " + FormatTime(hours.closes);
      if (close < open && close != 0) times += " (overnight)";
    }
  } else {
    times = hours.opens + " to " + hours.closes;
  }
  if (days.empty()) return times;
  return days + ", " + times;
}

std::string FormatAges(std::optional<int> min, std::optional<int> max) {
  if (min && max) return std::to_string(*min) + " to " + std::to_string(*max);
  if (min) return std::to_string(*min) + " and over";
  if (max) return "Up to " + std::to_string(*max);
  return "";
}

std::string JoinWords(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string SentenceList(const std::vector<std::string>& labels) {
  std::vector<std::string> items;
  for (size_t i = 0; i < labels.size(); ++i) {
    std::string item = labels[i];
    // "By phone" -> "by phone" mid-sentence, but "GP referral" keeps its capital.
    if (i > 0 && item.size() > 1 && std::isupper(static_cast<unsigned char>(item[0])) &&
        std::islower(static_cast<unsigned char>(item[1]))) {
      item[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(item[0])));
    }
    items.push_back(item);
  }
  return JoinWords(items);
}

std::string SortKey(std::string_view name) {
  std::string key;
  for (char c : name) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return key;
}

std::string IndexLetter(std::string_view name) {
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isspace(u) || u == '"' || u == '\'' || u == '(') continue;
    if (std::isalpha(u) && u < 0x80) return std::string(1, static_cast<char>(std::toupper(u)));
    return "#";
  }
  return "#";
}

std::string DisplayUrl(std::string_view url) {
  std::string s(url);
  for (const char* prefix : {"https://", "http://"}) {
    if (s.rfind(prefix, 0) == 0) {
      s.erase(0, std::string(prefix).size());
      break;
    }
  }
  if (s.rfind("www.", 0) == 0) s.erase(0, 4);
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

bool IsHttpLink(std::string_view url) {
  std::string lower;
  for (char c : url) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
    lower.push_back(static_cast<char>(std::tolower(u)));
  }
  return (lower.rfind("https://", 0) == 0 || lower.rfind("http://", 0) == 0) && IsSafeUrl(url);
}

}  // namespace signpost
