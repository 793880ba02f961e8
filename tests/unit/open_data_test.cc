#include "open_data.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "sample_catalogue.h"

namespace signpost {

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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
