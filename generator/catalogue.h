// The plain-data content model shared by every stage: load fills it, validate
// reads it, render and index turn it into pages and search data. Nothing here
// knows about TOML, HTML or SQLite.
#ifndef SIGNPOST_CATALOGUE_H_
#define SIGNPOST_CATALOGUE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signpost {

/// A 1-based position in a source file; line 0 means unknown.
struct SourcePos {
  int line = 0;
  int column = 0;
};

/// Where each key of a TOML file was written, by dotted path ("name",
/// "contact.phone", "related[1]", "hours[0].opens"). A vector sorted once
/// after loading rather than a std::map: 10,000 entries of ~45 keys each made
/// map nodes the loader's largest memory and allocation cost, and sorted
/// insertion would be quadratic for a hostile 100,000-item list. Keys live
/// in one buffer and items are 16 bytes: a std::string per key cost 40 bytes
/// plus a heap block for every key over 15 characters.
class KeyPositions {
 public:
  /// Records (or overwrites) where `key` was written.
  void Set(std::string_view key, SourcePos pos);
  /// Sorts what Set appended and releases spare capacity (the loader calls
  /// it once per file); look-ups before it are correct but linear.
  void Sort();
  /// Where `key` was written, or null.
  const SourcePos* Find(std::string_view key) const;
  /// 1 when `key` was written, else 0 (as std::map::count).
  size_t count(std::string_view key) const { return Find(key) ? 1 : 0; }
  /// Forgets `key`.
  void erase(std::string_view key);
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  struct Item {
    uint32_t key_offset;  ///< Into keys_.
    uint32_t key_size;
    SourcePos pos;
  };
  std::string_view KeyOf(const Item& item) const {
    return std::string_view(keys_.data() + item.key_offset, item.key_size);
  }

  std::string keys_;         ///< Every key Set, back to back.
  std::vector<Item> items_;  ///< Sorted by key unless unsorted_.
  bool unsorted_ = false;
};

/// A calendar date (proleptic Gregorian), as TOML local dates are.
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  /// Days since 1970-01-01 (negative before).
  long DaysSinceEpoch() const;
  /// The date `days` after 1970-01-01.
  static Date FromDaysSinceEpoch(long days);
  /// Today's date in UTC, or the date in SIGNPOST_TODAY (YYYY-MM-DD) when set,
  /// so tests and reproducible builds can pin "today".
  static Date Today();
  /// `YYYY-MM-DD`.
  std::string ToIso() const;
  /// "14 September 2026" (NHS content style).
  std::string ToLong() const;
  bool IsValid() const;
  /// Days in `month` (1-12) of `year`, leap years included.
  static int DaysInMonth(int year, int month);
  auto operator<=>(const Date&) const = default;
};

/// One crisis line shown on every page, in site.toml order.
struct CrisisContact {
  std::string name;
  std::string phone;  ///< May be empty when only `text` is given.
  std::string text;   ///< SMS number; may be empty.
  std::string description;
};

/// content/site.toml.
struct SiteConfig {
  std::string path;  ///< The file it came from, for diagnostics.
  std::string title;
  std::string base_url;  ///< Always ends with '/'.
  std::string language = "en-GB";
  std::string repository;  ///< For "Edit this page" / "Report a problem"; may be empty.
  int warn_after_days = 365;
  int error_after_days = 545;
  std::vector<CrisisContact> crisis_contacts;
  /// Where each key was written ("title", "review.warn_after_days",
  /// "crisis_contacts[1].phone"); filled by the loader for diagnostics.
  KeyPositions positions;
  bool loaded = false;  ///< False when site.toml was missing or unusable.
  uint64_t source_hash = 0;  ///< XXH3-64 of the file's bytes.
};

/// A step of the pathway (staying well ... crisis), in order.
struct Tier {
  std::string slug;
  std::string name;
  std::string description;
  SourcePos pos;
};

struct Category {
  std::string slug;
  std::string name;
  std::string description;
  std::vector<std::string> synonyms;  ///< Lay and clinical terms, old names ("IAPT").
  SourcePos pos;
};

struct Area {
  std::string slug;
  std::string name;
  std::string description;
  std::vector<std::string> postcodes;  ///< Postcode districts, e.g. "EX1".
  SourcePos pos;
};

/// content/taxonomy.toml. Vectors keep file order (tiers are the pathway order).
struct Taxonomy {
  std::string path;
  std::vector<Tier> tiers;
  std::vector<Category> categories;
  std::vector<Area> areas;
  /// Where each key was written ("tiers[0].slug", "areas[2].postcodes[1]").
  KeyPositions positions;
  bool loaded = false;  ///< False when taxonomy.toml was missing or unusable.
  uint64_t source_hash = 0;  ///< XXH3-64 of the file's bytes.

  const Tier* FindTier(const std::string& slug) const;
  const Category* FindCategory(const std::string& slug) const;
  const Area* FindArea(const std::string& slug) const;
};

struct Contact {
  std::string phone;
  std::string text;
  std::string email;
  std::string website;
  std::string referral_url;
};

struct Location {
  std::string name;
  std::string address;
  std::string postcode;
};

/// One row of opening hours. `opens`/`closes` are "HH:MM"; "24:00" is
/// midnight; closes < opens runs past midnight.
struct Hours {
  std::vector<std::string> days;  ///< mon tue wed thu fri sat sun
  std::string opens;
  std::string closes;
  std::string channel;  ///< Optional, e.g. "phone".
  std::string note;     ///< Optional, e.g. "fortnightly".
};

enum class Status { kActive, kTemporarilyClosed, kClosed };

/// One service entry: content/services/<slug>.md.
struct Service {
  std::string slug;  ///< The file name without ".md"; also the URL.
  std::string path;  ///< The path used in diagnostics (as found under --content).

  std::string name;
  std::string organisation;
  std::string summary;
  std::vector<std::string> categories;  ///< Category slugs, >= 1.
  std::string tier;                     ///< Tier slug.
  std::vector<std::string> areas;       ///< Area slugs or the single "all".
  std::vector<std::string> referral;    ///< self | gp | professional | carer
  std::string cost;                     ///< free | donation | low-cost | paid
  Date last_reviewed;
  Status status = Status::kActive;
  std::optional<Date> reopens;
  std::optional<int> age_min;
  std::optional<int> age_max;
  std::vector<std::string> delivery;  ///< in-person | phone | video | online | text | home-visit
  std::vector<std::string> languages;
  std::vector<std::string> accessibility;
  std::vector<std::string> keywords;
  std::string waiting_time;
  std::string cost_note;
  std::string eligibility;
  std::vector<std::string> related;           ///< Service slugs.
  std::vector<std::string> not_duplicate_of;  ///< Service slugs.
  Contact contact;
  std::vector<Location> locations;
  std::vector<Hours> hours;

  /// XXH3-64 of the entry file's bytes: everything the entry says, so an
  /// incremental build (signpost serve) can tell a changed entry.
  uint64_t source_hash = 0;

  std::string body;   ///< Markdown after the closing "+++".
  int body_line = 0;  ///< 1-based line of the .md where `body` starts.

  /// The opening "+++" line: where missing required fields are reported.
  SourcePos front_matter_pos;
  /// Where each key was written, by dotted path: "name", "contact.phone",
  /// "related[1]", "hours[0].opens", "locations[2].postcode".
  KeyPositions positions;

  /// Where `key` was written, or the front-matter line when it was not.
  SourcePos PosOf(std::string_view key) const;
  bool AcceptsSelfReferral() const;
  bool IsPublished() const { return status != Status::kClosed; }
  bool CoversAllAreas() const { return areas.size() == 1 && areas[0] == "all"; }
};

/// Everything loaded from a content folder.
struct Catalogue {
  std::string content_dir;
  SiteConfig site;
  Taxonomy taxonomy;
  std::vector<Service> services;  ///< Sorted by slug.
  /// Slugs of services/*.md files that exist but could not be loaded (their
  /// errors are reported on those files), sorted: references to them are
  /// not reported again as "no such service".
  std::vector<std::string> unloaded_slugs;

  const Service* FindService(const std::string& slug) const;
};

/// Display names for the closed vocabularies, e.g. "self" -> "Self-referral".
std::string ReferralLabel(const std::string& route);
std::string CostLabel(const std::string& cost);
std::string DeliveryLabel(const std::string& mode);
std::string DayLabel(const std::string& day);  ///< "mon" -> "Monday"
std::string StatusSlug(Status status);         ///< "active" | "temporarily-closed" | "closed"

}  // namespace signpost

#endif  // SIGNPOST_CATALOGUE_H_
