#include "open_data.h"

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

#include "page_context.h"

namespace signpost {

namespace {

using Json = nlohmann::ordered_json;

uint64_t Fnv1a64(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string ByDay(const std::vector<std::string>& days) {
  static const char* kMap[][2] = {{"mon", "MO"}, {"tue", "TU"}, {"wed", "WE"}, {"thu", "TH"},
                                  {"fri", "FR"}, {"sat", "SA"}, {"sun", "SU"}};
  std::string out;
  for (const auto& pair : kMap) {
    for (const std::string& d : days) {
      if (d == pair[0]) {
        if (!out.empty()) out += ',';
        out += pair[1];
        break;
      }
    }
  }
  return out;
}

Json ServiceJson(const Catalogue& cat, const Service& s) {
  std::string id = StableUuid("service:" + s.slug);
  Json j;
  j["id"] = id;
  std::string org_id = StableUuid("organisation:" + s.organisation);
  j["organization_id"] = org_id;
  j["name"] = s.name;
  j["description"] = s.summary;
  if (IsHttpLink(s.contact.website)) j["url"] = s.contact.website;
  if (!s.contact.email.empty()) j["email"] = s.contact.email;
  j["status"] = s.status == Status::kTemporarilyClosed ? "temporarily closed" : "active";
  j["fees"] = s.cost_note.empty() ? CostLabel(s.cost) : CostLabel(s.cost) + ". " + s.cost_note;
  if (s.age_min) j["minimum_age"] = *s.age_min;
  if (s.age_max) j["maximum_age"] = *s.age_max;
  j["assured_date"] = s.last_reviewed.ToIso();
  if (s.status == Status::kTemporarilyClosed) {
    j["alert"] = s.reopens
                     ? "Temporarily closed. Expected to reopen on " + s.reopens->ToLong() + "."
                     : "Temporarily closed.";
  }
  Json schedules = Json::array();
  for (size_t i = 0; i < s.hours.size(); ++i) {
    const Hours& h = s.hours[i];
    Json sc;
    sc["id"] = StableUuid("schedule:" + s.slug + ":" + std::to_string(i));
    sc["service_id"] = id;
    sc["freq"] = "WEEKLY";
    sc["byday"] = ByDay(h.days);
    sc["description"] = FormatHours(h);
    sc["opens_at"] = h.opens;
    sc["closes_at"] = h.closes;
    if (!h.channel.empty()) sc["attending_type"] = h.channel;
    if (!h.note.empty()) sc["notes"] = h.note;
    schedules.push_back(std::move(sc));
  }
  j["schedules"] = std::move(schedules);
  Json areas = Json::array();
  for (const std::string& slug : s.areas) {
    const Area* a = cat.taxonomy.FindArea(slug);
    Json sa;
    sa["id"] = StableUuid("service_area:" + s.slug + ":" + slug);
    sa["service_id"] = id;
    sa["name"] = a ? a->name : "All areas";
    if (a) sa["extent"] = JoinWords(a->postcodes);
    areas.push_back(std::move(sa));
  }
  j["service_areas"] = std::move(areas);
  Json sals = Json::array();
  for (size_t i = 0; i < s.locations.size(); ++i) {
    const Location& l = s.locations[i];
    std::string key = s.slug + ":" + std::to_string(i);
    std::string loc_id = StableUuid("location:" + key);
    std::string street = l.address, city;
    if (size_t comma = l.address.rfind(','); comma != std::string::npos) {
      street = l.address.substr(0, comma);
      city = l.address.substr(comma + 1);
      while (!city.empty() && city.front() == ' ') city.erase(0, 1);
    }
    Json address;
    address["id"] = StableUuid("address:" + key);
    address["location_id"] = loc_id;
    address["address_1"] = street;
    address["city"] = city;
    address["state_province"] = "";
    address["postal_code"] = l.postcode;
    address["country"] = "GB";
    address["address_type"] = "physical";
    Json location;
    location["id"] = loc_id;
    location["location_type"] = "physical";
    if (!l.name.empty()) location["name"] = l.name;
    location["addresses"] = Json::array();
    location["addresses"].push_back(std::move(address));
    Json sal;
    sal["id"] = StableUuid("service_at_location:" + key);
    sal["service_id"] = id;
    sal["location_id"] = loc_id;
    sal["location"] = std::move(location);
    sals.push_back(std::move(sal));
  }
  j["service_at_locations"] = std::move(sals);
  Json languages = Json::array();
  for (const std::string& lang : s.languages) {
    languages.push_back({{"id", StableUuid("language:" + s.slug + ":" + lang)},
                         {"service_id", id},
                         {"name", lang}});
  }
  j["languages"] = std::move(languages);
  Json org;
  org["id"] = org_id;
  org["name"] = s.organisation;
  org["description"] = s.organisation;
  j["organization"] = std::move(org);
  Json cost;
  cost["id"] = StableUuid("cost_option:" + s.slug);
  cost["service_id"] = id;
  cost["option"] = CostLabel(s.cost);
  if (s.cost == "free") cost["amount"] = 0;
  if (!s.cost_note.empty()) cost["amount_description"] = s.cost_note;
  j["cost_options"] = Json::array();
  j["cost_options"].push_back(std::move(cost));
  // HSDS 3.0 service.phones: not in ORUK's compiled service schema, which
  // allows extra properties.
  Json phones = Json::array();
  if (!s.contact.phone.empty()) {
    phones.push_back({{"id", StableUuid("phone:" + s.slug)},
                      {"service_id", id},
                      {"number", s.contact.phone},
                      {"type", "voice"}});
  }
  if (!s.contact.text.empty()) {
    phones.push_back({{"id", StableUuid("text:" + s.slug)},
                      {"service_id", id},
                      {"number", s.contact.text},
                      {"type", "sms"}});
  }
  j["phones"] = std::move(phones);
  Json attributes = Json::array();
  for (const std::string& slug : s.categories) {
    const Category* c = cat.taxonomy.FindCategory(slug);
    Json term;
    term["id"] = StableUuid("category:" + slug);
    term["name"] = c ? c->name : slug;
    term["description"] = c ? c->description : slug;
    term["taxonomy"] = "signpost-categories";
    term["term"] = slug;
    Json attr;
    attr["id"] = StableUuid("attribute:" + s.slug + ":" + slug);
    attr["link_id"] = id;
    attr["taxonomy_term_id"] = term["id"];
    attr["link_type"] = "service";
    attr["taxonomy_term"] = std::move(term);
    attributes.push_back(std::move(attr));
  }
  j["attributes"] = std::move(attributes);
  return j;
}

}  // namespace

std::string StableUuid(std::string_view key) {
  uint64_t hi = Fnv1a64(key, 14695981039346656037ull);
  uint64_t lo = Fnv1a64(key, hi ^ 0x9e3779b97f4a7c15ull);
  // Version 8 (custom) and the RFC 4122 variant, so validators accept it.
  hi = (hi & ~0xF000ull) | 0x8000ull;
  lo = (lo & ~(0xC000ull << 48)) | (0x8000ull << 48);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

std::string OpenDataJson(const Catalogue& catalogue) {
  size_t n = 0;
  for (const Service& s : catalogue.services) n += s.IsPublished();
  Json page;
  page["total_items"] = n;
  page["total_pages"] = 1;
  page["page_number"] = 1;
  page["size"] = n;
  page["first_page"] = true;
  page["last_page"] = true;
  page["empty"] = n == 0;
  page["contents"] = Json::array();
  std::string head = page.dump();
  // Serialise one service at a time: a DOM of 10,000 services would cost
  // hundreds of MB. One service per line keeps diffs of the export readable.
  std::string out = head.substr(0, head.size() - 2);  // drop "]}"
  bool first = true;
  for (const Service& s : catalogue.services) {
    if (!s.IsPublished()) continue;
    out += first ? "\n" : ",\n";
    first = false;
    // Invalid UTF-8 can't reach here (the loader refuses it), but never throw.
    out += ServiceJson(catalogue, s).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  out += "\n]}\n";
  return out;
}

bool WriteOpenData(const Catalogue& catalogue, SiteWriter* writer, Diagnostics* diags) {
  return writer->Write("data/services.json", OpenDataJson(catalogue), diags);
}

}  // namespace signpost
