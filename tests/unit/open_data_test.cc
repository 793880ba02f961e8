#include "open_data.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "content_fixture.h"
#include "page_context.h"
#include "sample_catalogue.h"

namespace signpost {

namespace {

// The DOM-based export open_data.cc had until the writer was made direct:
// an nlohmann ordered_json per service, dumped. Kept as the oracle the fast
// writer must match byte for byte, escaping included.
using Json = nlohmann::ordered_json;

uint64_t ReferenceFnv1a64(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string ReferenceUuid(std::string_view key) {
  uint64_t hi = ReferenceFnv1a64(key, 14695981039346656037ull);
  uint64_t lo = ReferenceFnv1a64(key, hi ^ 0x9e3779b97f4a7c15ull);
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

std::string ReferenceByDay(const std::vector<std::string>& days) {
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

Json ReferenceServiceJson(const Catalogue& cat, const Service& s) {
  std::string id = ReferenceUuid("service:" + s.slug);
  Json j;
  j["id"] = id;
  std::string org_id = ReferenceUuid("organisation:" + s.organisation);
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
    sc["id"] = ReferenceUuid("schedule:" + s.slug + ":" + std::to_string(i));
    sc["service_id"] = id;
    sc["freq"] = "WEEKLY";
    sc["byday"] = ReferenceByDay(h.days);
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
    sa["id"] = ReferenceUuid("service_area:" + s.slug + ":" + slug);
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
    std::string loc_id = ReferenceUuid("location:" + key);
    std::string street = l.address, city;
    if (size_t comma = l.address.rfind(','); comma != std::string::npos) {
      street = l.address.substr(0, comma);
      city = l.address.substr(comma + 1);
      while (!city.empty() && city.front() == ' ') city.erase(0, 1);
    }
    Json address;
    address["id"] = ReferenceUuid("address:" + key);
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
    sal["id"] = ReferenceUuid("service_at_location:" + key);
    sal["service_id"] = id;
    sal["location_id"] = loc_id;
    sal["location"] = std::move(location);
    sals.push_back(std::move(sal));
  }
  j["service_at_locations"] = std::move(sals);
  Json languages = Json::array();
  for (const std::string& lang : s.languages) {
    languages.push_back({{"id", ReferenceUuid("language:" + s.slug + ":" + lang)},
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
  cost["id"] = ReferenceUuid("cost_option:" + s.slug);
  cost["service_id"] = id;
  cost["option"] = CostLabel(s.cost);
  if (s.cost == "free") cost["amount"] = 0;
  if (!s.cost_note.empty()) cost["amount_description"] = s.cost_note;
  j["cost_options"] = Json::array();
  j["cost_options"].push_back(std::move(cost));
  Json phones = Json::array();
  if (!s.contact.phone.empty()) {
    phones.push_back({{"id", ReferenceUuid("phone:" + s.slug)},
                      {"service_id", id},
                      {"number", s.contact.phone},
                      {"type", "voice"}});
  }
  if (!s.contact.text.empty()) {
    phones.push_back({{"id", ReferenceUuid("text:" + s.slug)},
                      {"service_id", id},
                      {"number", s.contact.text},
                      {"type", "sms"}});
  }
  j["phones"] = std::move(phones);
  Json attributes = Json::array();
  for (const std::string& slug : s.categories) {
    const Category* c = cat.taxonomy.FindCategory(slug);
    Json term;
    term["id"] = ReferenceUuid("category:" + slug);
    term["name"] = c ? c->name : slug;
    term["description"] = c ? c->description : slug;
    term["taxonomy"] = "signpost-categories";
    term["term"] = slug;
    Json attr;
    attr["id"] = ReferenceUuid("attribute:" + s.slug + ":" + slug);
    attr["link_id"] = id;
    attr["taxonomy_term_id"] = term["id"];
    attr["link_type"] = "service";
    attr["taxonomy_term"] = std::move(term);
    attributes.push_back(std::move(attr));
  }
  j["attributes"] = std::move(attributes);
  return j;
}

std::string ReferenceOpenDataJson(const Catalogue& catalogue) {
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
  std::string out = head.substr(0, head.size() - 2);
  bool first = true;
  for (const Service& s : catalogue.services) {
    if (!s.IsPublished()) continue;
    out += first ? "\n" : ",\n";
    first = false;
    out += ReferenceServiceJson(catalogue, s).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  out += "\n]}\n";
  return out;
}

// Text covering every escaping rule: each byte value alone, valid sequences
// at the edges of UTF-8, and invalid ones (which nlohmann replaces).
std::vector<std::string> AwkwardStrings() {
  std::vector<std::string> out = {"",
                                  "plain",
                                  "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF",
                                  "\xC2\x80 \xDF\xBF \xE0\xA0\x80 \xEF\xBF\xBF \xF0\x90\x80\x80",
                                  "quote \" backslash \\ slash / </script>",
                                  std::string("nul \0 inside", 12),
                                  "\b\t\n\f\r\x01\x1F\x7F",
                                  "bad \xFF byte",
                                  "overlong \xC0\xAF",
                                  "surrogate \xED\xA0\x80",
                                  "past max \xF4\x90\x80\x80",
                                  "truncated \xE2\x82",
                                  "lone continuation \x80 then text",
                                  "\xC3",
                                  "mixed \xE2\x82\xAC \xFF \" \n"};
  for (int byte = 0; byte < 256; ++byte) {
    out.push_back("x" + std::string(1, static_cast<char>(byte)) + "y");
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(open_data_test)

BOOST_AUTO_TEST_CASE(maps_fields_to_open_referral_uk) {
  std::string text = OpenDataJson(testing::SampleCatalogue());
  auto json = nlohmann::json::parse(text);
  BOOST_TEST(json["total_items"] == 3);  // the closed service is left out
  const auto& services = json["contents"];
  BOOST_REQUIRE(services.size() == 3u);
  // Sorted by slug: debt-advice, night-line, talking-therapies.
  const auto& tt = services[2];
  BOOST_TEST(tt["name"] == "Example Talking Therapies");
  BOOST_TEST(tt["status"] == "active");
  BOOST_TEST(tt["assured_date"] == "2026-09-14");
  BOOST_TEST(tt["minimum_age"] == 18);
  BOOST_TEST(!tt.contains("maximum_age"));
  BOOST_TEST(tt["url"] == "https://example.org/talk/");
  BOOST_TEST(tt["schedules"][0]["byday"] == "MO,TU,WE,TH,FR");
  BOOST_TEST(tt["schedules"][0]["opens_at"] == "09:00");
  BOOST_TEST(tt["schedules"][0]["description"] == "Monday to Friday, 9am to 5pm");
  BOOST_TEST(tt["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "EB1 1AA");
  BOOST_TEST(tt["languages"][1]["name"] == "Polish");
  BOOST_TEST(tt["attributes"][0]["taxonomy_term"]["term"] == "talking-therapies");
  BOOST_TEST(services[1]["status"] == "temporarily closed");
  BOOST_TEST(services[1]["alert"] == "Temporarily closed. Expected to reopen on 1 March 2027.");
  // Every id is UUID-shaped and the service ids are unique.
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> ids;
  for (const auto& s : services) {
    BOOST_TEST(std::regex_match(s["id"].get<std::string>(), uuid));
    ids.insert(s["id"].get<std::string>());
  }
  BOOST_TEST(ids.size() == 3u);
}

BOOST_AUTO_TEST_CASE(output_is_deterministic_and_ids_stable) {
  BOOST_TEST(OpenDataJson(testing::SampleCatalogue()) == OpenDataJson(testing::SampleCatalogue()));
  BOOST_TEST(StableUuid("service:a") == StableUuid("service:a"));
  BOOST_TEST(StableUuid("service:a") != StableUuid("service:b"));
}

BOOST_AUTO_TEST_CASE(hostile_text_is_json_escaped) {
  Catalogue c = testing::SampleCatalogue();
  c.services.push_back(testing::HostileService());
  c.services.back().name = "bad \"quote\" \\ </script> \x01";
  auto json = nlohmann::json::parse(OpenDataJson(c));
  bool found = false;
  for (const auto& s : json["contents"]) found |= s["name"] == "bad \"quote\" \\ </script> \x01";
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(export_matches_the_dom_writer_byte_for_byte) {
  Catalogue c = testing::SampleCatalogue();
  BOOST_TEST(OpenDataJson(c) == ReferenceOpenDataJson(c));
  c.services.push_back(testing::HostileService());
  BOOST_TEST(OpenDataJson(c) == ReferenceOpenDataJson(c));
  Catalogue empty;
  BOOST_TEST(OpenDataJson(empty) == ReferenceOpenDataJson(empty));
}

// A large directory is streamed to its file in pieces; the pieces must join
// into exactly the document, and the file must hold exactly those bytes.
BOOST_AUTO_TEST_CASE(a_large_export_streams_in_pieces_to_the_same_bytes) {
  Catalogue c = testing::SampleCatalogue();
  std::vector<Service> copies;
  for (int i = 0; i < 300; ++i) {
    for (const Service& s : testing::SampleCatalogue().services) {
      Service copy = s;
      copy.slug = s.slug + "-copy-" + std::to_string(i);
      copies.push_back(copy);
    }
  }
  for (Service& s : copies) c.services.push_back(std::move(s));
  std::sort(c.services.begin(), c.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  std::string text = OpenDataJson(c);
  BOOST_REQUIRE(text.size() > 3 * 256 * 1024);  // several pieces
  BOOST_TEST(text == ReferenceOpenDataJson(c));
  testing::TempDir tmp;
  Diagnostics diags;
  SiteWriter writer(tmp.path() + "/site");
  BOOST_REQUIRE(writer.Begin(&diags));
  BOOST_REQUIRE(WriteOpenData(c, &writer, &diags));
  BOOST_REQUIRE(writer.Commit(&diags));
  std::ifstream in(tmp.path() + "/site/data/services.json", std::ios::binary);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(written == text);
}

// serve's incremental export: unchanged parts are reused, the file is kept
// when no part's text changed, and what is written is always the export.
BOOST_AUTO_TEST_CASE(memo_reuses_parts_and_keeps_an_unchanged_file) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  Catalogue c = testing::SampleCatalogue();
  for (Service& s : c.services) s.source_hash = std::hash<std::string>()(s.slug + s.name);
  OpenDataMemo memo;
  // changed: files moved in; the file's bytes after the build.
  auto build = [&](size_t* changed) {
    Diagnostics diags;
    SiteWriter writer(out);
    writer.set_background_delete(false);
    BOOST_REQUIRE(writer.Begin(&diags));
    BOOST_REQUIRE(WriteOpenData(c, &writer, &diags, &memo));
    BOOST_REQUIRE(writer.Commit(&diags));
    memo.Commit();
    *changed = writer.files_changed();
    std::ifstream in(out + "/data/services.json", std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  size_t changed = 0;
  BOOST_TEST(build(&changed) == OpenDataJson(c));
  BOOST_TEST(build(&changed) == OpenDataJson(c));
  BOOST_TEST(changed == 0u);
  // An edit the export does not show (the body): the entry's part is made
  // again, its text is the same, the file is kept.
  c.services[0].body += "\nMore words.\n";
  c.services[0].source_hash += 1;
  BOOST_TEST(build(&changed) == OpenDataJson(c));
  BOOST_TEST(changed == 0u);
  // An edit it does show.
  c.services[1].name = "A new name";
  c.services[1].source_hash += 1;
  BOOST_TEST(build(&changed) == OpenDataJson(c));
  BOOST_TEST(changed == 1u);
  // A renamed area reaches every part that names it.
  c.taxonomy.areas[0].name = "Renamed area";
  c.taxonomy.source_hash += 1;
  std::string text = build(&changed);
  BOOST_TEST(text == OpenDataJson(c));
  BOOST_TEST(text.find("Renamed area") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_string_field_is_escaped_as_nlohmann_does) {
  // Each awkward string goes into every string field of one service (and
  // of the taxonomy entries it names), with the optional parts present.
  Catalogue base = testing::SampleCatalogue();
  for (const std::string& text : AwkwardStrings()) {
    Catalogue c = base;
    Service s = testing::HostileService();
    s.slug = "a" + text;
    s.name = s.organisation = s.summary = s.cost_note = text;
    s.contact = {text, text, text, "https://example.org/" + text, text};
    s.languages = {text, "English"};
    s.locations = {{text, text + ", " + text, text}, {"", text, ""}};
    s.hours = {{{"mon", "sun"}, text, text, text, text}};
    s.areas = {text, "all"};
    s.categories = {text};
    s.status = Status::kTemporarilyClosed;
    s.reopens = Date{2027, 3, 1};
    s.age_min = 0;
    s.age_max = 120;
    c.services = {s};
    c.taxonomy.categories.push_back({text, text, text, {}, {}});
    c.taxonomy.areas.push_back({text, text, text, {text, "EX1"}, {}});
    BOOST_TEST_CONTEXT("text of " << text.size() << " bytes") {
      BOOST_TEST(OpenDataJson(c) == ReferenceOpenDataJson(c));
    }
  }
}

BOOST_AUTO_TEST_CASE(stable_uuid_keeps_its_values) {
  // Ids are public (other directories link to them): they must never change.
  BOOST_TEST(StableUuid("service:a") == "1234133b-f71a-85c1-8e6a-1cc11e9460f2");
  BOOST_TEST(StableUuid("") == "cbf29ce4-8422-8325-95c5-e55dfb685f30");
  BOOST_TEST(StableUuid("organisation:Example NHS Foundation Trust") ==
             "37e7223f-4c58-8b37-931d-af96f55f3396");
  BOOST_TEST(StableUuid("schedule:talking-therapies:0") == "da80ab21-6177-83ba-90d9-019d197371d8");
  BOOST_TEST(StableUuid("language:x:Polski \xC5\x82") == "a1d6cbb7-e181-80f4-96dc-65be663f4578");
  BOOST_TEST(StableUuid("category:talking-therapies") == "3a7058b4-03e4-8f25-a7d3-47be3abec90c");
  for (const std::string& text : AwkwardStrings())
    BOOST_TEST(StableUuid(text) == ReferenceUuid(text));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
