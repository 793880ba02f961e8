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
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
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

void KeyPositions::Set(const std::string& key, SourcePos pos) {
  if (!items_.empty() && !unsorted_ && !(items_.back().first < key)) unsorted_ = true;
  items_.emplace_back(key, pos);
}

void KeyPositions::Sort() {
  if (!unsorted_) return;
  // Stable, so of two writes of one key the later stays last and wins.
  std::stable_sort(items_.begin(), items_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, SourcePos>> unique;
  unique.reserve(items_.size());
  for (auto& item : items_) {
    if (!unique.empty() && unique.back().first == item.first) {
      unique.back().second = item.second;
    } else {
      unique.push_back(std::move(item));
    }
  }
  items_ = std::move(unique);
  unsorted_ = false;
}

const SourcePos* KeyPositions::Find(std::string_view key) const {
  if (unsorted_) {
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
      if (it->first == key) return &it->second;
    }
    return nullptr;
  }
  auto it = std::lower_bound(
      items_.begin(), items_.end(), key,
      [](const auto& item, std::string_view k) { return std::string_view(item.first) < k; });
  return it != items_.end() && it->first == key ? &it->second : nullptr;
}

void KeyPositions::erase(std::string_view key) {
  items_.erase(std::remove_if(items_.begin(), items_.end(),
                              [&](const auto& item) { return item.first == key; }),
               items_.end());
}

SourcePos Service::PosOf(const std::string& key) const {
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
