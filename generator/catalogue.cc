#include "catalogue.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace signpost {

namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for all dates.
long DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

template <typename T>
const T* FindBySlug(const std::vector<T>& items, const std::string& slug) {
  for (const T& item : items) {
    if (item.slug == slug) return &item;
  }
  return nullptr;
}

}  // namespace

long Date::DaysSinceEpoch() const { return DaysFromCivil(year, month, day); }

Date Date::FromDaysSinceEpoch(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

Date Date::Today() {
  if (const char* pinned = std::getenv("SIGNPOST_TODAY")) {
    Date d;
    if (std::sscanf(pinned, "%d-%d-%d", &d.year, &d.month, &d.day) == 3 && d.IsValid()) return d;
  }
  std::time_t now = std::time(nullptr);
  return FromDaysSinceEpoch(static_cast<long>(now / 86400));
}

int Date::DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool Date::IsValid() const {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= DaysInMonth(year, month);
}

std::string Date::ToIso() const {
  // By hand for valid dates: the open data and every page print several
  // (snprintf was a measurable part of the export). Anything else keeps
  // printf's exact rendering.
  if (year < 0 || year > 9999 || month < 0 || month > 99 || day < 0 || day > 99) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
  }
  std::string out = "0000-00-00";
  out[0] = static_cast<char>('0' + year / 1000);
  out[1] = static_cast<char>('0' + year / 100 % 10);
  out[2] = static_cast<char>('0' + year / 10 % 10);
  out[3] = static_cast<char>('0' + year % 10);
  out[5] = static_cast<char>('0' + month / 10);
  out[6] = static_cast<char>('0' + month % 10);
  out[8] = static_cast<char>('0' + day / 10);
  out[9] = static_cast<char>('0' + day % 10);
  return out;
}

std::string Date::ToLong() const {
  static const char* kMonths[] = {"January",   "February", "March",    "April",
                                  "May",       "June",     "July",     "August",
                                  "September", "October",  "November", "December"};
  if (!IsValid()) return ToIso();
  return std::to_string(day) + " " + kMonths[month - 1] + " " + std::to_string(year);
}

const Tier* Taxonomy::FindTier(const std::string& slug) const { return FindBySlug(tiers, slug); }
const Category* Taxonomy::FindCategory(const std::string& slug) const {
  return FindBySlug(categories, slug);
}
const Area* Taxonomy::FindArea(const std::string& slug) const { return FindBySlug(areas, slug); }

void KeyPositions::Set(std::string_view key, SourcePos pos) {
  if (!items_.empty() && !unsorted_ && !(KeyOf(items_.back()) < key)) unsorted_ = true;
  items_.push_back({static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(key.size()), pos});
  keys_.append(key);
}

void KeyPositions::Sort() {
  if (unsorted_) {
    // Sorting (first 8 bytes as a big-endian number, index) pairs compares
    // integers nearly always; only keys sharing 8 bytes ("hours[0].opens",
    // "hours[0].closes") compare as strings. The index breaks ties, so of
    // two writes of one key the later sorts last.
    struct Order {
      uint64_t prefix;
      uint32_t index;
    };
    std::vector<Order> order(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) {
      std::string_view key = KeyOf(items_[i]);
      uint64_t prefix = 0;
      for (size_t k = 0; k < 8; ++k) {
        prefix = (prefix << 8) | (k < key.size() ? static_cast<unsigned char>(key[k]) : 0u);
      }
      order[i] = {prefix, static_cast<uint32_t>(i)};
    }
    std::sort(order.begin(), order.end(), [this](const Order& a, const Order& b) {
      if (a.prefix != b.prefix) return a.prefix < b.prefix;
      int c = KeyOf(items_[a.index]).compare(KeyOf(items_[b.index]));
      return c != 0 ? c < 0 : a.index < b.index;
    });
    std::vector<Item> sorted;
    sorted.reserve(items_.size());
    for (const Order& o : order) {
      const Item& item = items_[o.index];
      if (!sorted.empty() && KeyOf(sorted.back()) == KeyOf(item)) {
        sorted.back().pos = item.pos;  // the later write wins
      } else {
        sorted.push_back(item);
      }
    }
    items_ = std::move(sorted);
    unsorted_ = false;
  }
  // Loading is over for this file: 10,000 entries each keeping a vector's
  // spare half would cost megabytes. Overwritten keys leave dead bytes in
  // keys_; they are few and harmless.
  items_.shrink_to_fit();
  keys_.shrink_to_fit();
}

const SourcePos* KeyPositions::Find(std::string_view key) const {
  if (unsorted_) {
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
      if (KeyOf(*it) == key) return &it->pos;
    }
    return nullptr;
  }
  auto it =
      std::lower_bound(items_.begin(), items_.end(), key,
                       [this](const Item& item, std::string_view k) { return KeyOf(item) < k; });
  return it != items_.end() && KeyOf(*it) == key ? &it->pos : nullptr;
}

void KeyPositions::erase(std::string_view key) {
  items_.erase(std::remove_if(items_.begin(), items_.end(),
                              [&](const Item& item) { return KeyOf(item) == key; }),
               items_.end());
}

SourcePos Service::PosOf(std::string_view key) const {
  const SourcePos* pos = positions.Find(key);
  return pos ? *pos : front_matter_pos;
}

bool Service::AcceptsSelfReferral() const {
  for (const auto& r : referral) {
    if (r == "self") return true;
  }
  return false;
}

const Service* Catalogue::FindService(const std::string& slug) const {
  // services are sorted by slug (the loader guarantees it).
  size_t lo = 0, hi = services.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (services[mid].slug < slug) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < services.size() && services[lo].slug == slug ? &services[lo] : nullptr;
}

std::string ReferralLabel(const std::string& route) {
  if (route == "self") return "Self-referral";
  if (route == "gp") return "GP referral";
  if (route == "professional") return "Referral by a professional";
  if (route == "carer") return "Referral by a carer or family member";
  return route;
}

std::string CostLabel(const std::string& cost) {
  if (cost == "free") return "Free";
  if (cost == "donation") return "Free, donations welcome";
  if (cost == "low-cost") return "Low cost";
  if (cost == "paid") return "Paid";
  return cost;
}

std::string DeliveryLabel(const std::string& mode) {
  if (mode == "in-person") return "In person";
  if (mode == "phone") return "By phone";
  if (mode == "video") return "Video call";
  if (mode == "online") return "Online";
  if (mode == "text") return "By text message";
  if (mode == "home-visit") return "Home visits";
  return mode;
}

std::string DayLabel(const std::string& day) {
  static const char* kDays[][2] = {{"mon", "Monday"},   {"tue", "Tuesday"}, {"wed", "Wednesday"},
                                   {"thu", "Thursday"}, {"fri", "Friday"},  {"sat", "Saturday"},
                                   {"sun", "Sunday"}};
  for (auto& d : kDays) {
    if (day == d[0]) return d[1];
  }
  return day;
}

std::string StatusSlug(Status status) {
  switch (status) {
    case Status::kActive:
      return "active";
    case Status::kTemporarilyClosed:
      return "temporarily-closed";
    case Status::kClosed:
      return "closed";
  }
  return "active";
}

}  // namespace signpost
