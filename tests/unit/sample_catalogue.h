// A small Catalogue built in C++ for render tests: two areas, three tiers,
// a handful of categories and services covering every field, one closed and
// one temporarily closed service, and one hostile entry.
#ifndef SIGNPOST_TESTS_SAMPLE_CATALOGUE_H_
#define SIGNPOST_TESTS_SAMPLE_CATALOGUE_H_

#include <algorithm>
#include <string>

#include "catalogue.h"

namespace signpost::testing {

inline Service SampleService(const std::string& slug, const std::string& name) {
  Service s;
  s.slug = slug;
  s.path = "content/services/" + slug + ".md";
  s.name = name;
  s.organisation = "Example Trust";
  s.summary = "A service for testing.";
  s.categories = {"talking-therapies"};
  s.tier = "primary-care";
  s.areas = {"north"};
  s.referral = {"gp"};
  s.cost = "free";
  s.last_reviewed = Date{2026, 9, 14};
  s.contact.phone = "01632 960123";
  s.body = "Some text.\n";
  s.body_line = 12;
  return s;
}

inline Catalogue SampleCatalogue() {
  Catalogue c;
  c.content_dir = "content";
  c.site.path = "content/site.toml";
  c.site.title = "Example Directory";
  c.site.base_url = "https://directory.example.org/";
  c.site.language = "en-GB";
  c.site.repository = "https://github.com/example/directory";
  c.site.crisis_contacts = {
      {"Samaritans", "116 123", "", "Talk to someone any time, day or night."},
      {"Shout", "", "85258", "Text SHOUT to 85258."},
  };
  c.taxonomy.path = "content/taxonomy.toml";
  c.taxonomy.tiers = {{"staying-well", "Staying well", "Stay well.", {}},
                      {"primary-care", "Primary care", "Through your GP.", {}},
                      {"crisis", "Crisis", "Urgent help.", {}}};
  c.taxonomy.categories = {
      {"talking-therapies", "Talking therapies", "Talking to a therapist.", {"IAPT"}, {}},
      {"debt-and-money", "Debt and money", "Advice about debt.", {}, {}},
      {"crisis-support", "Crisis support", "Help right now.", {}, {}},
  };
  c.taxonomy.areas = {{"north", "Example North", "The north.", {"EB3"}, {}},
                      {"south", "Example South", "The south.", {"EB7"}, {}}};

  Service tt = SampleService("talking-therapies", "Example Talking Therapies");
  tt.summary = "Free NHS talking therapy for adults. You can refer yourself.";
  tt.areas = {"all"};
  tt.referral = {"self", "gp"};
  tt.age_min = 18;
  tt.delivery = {"in-person", "phone"};
  tt.languages = {"English", "Polish"};
  tt.accessibility = {"step-free", "hearing loop"};
  tt.waiting_time = "Usually 4 to 6 weeks";
  tt.eligibility = "Registered with an Example GP";
  tt.related = {"debt-advice", "old-service"};
  tt.contact.phone = "020 7946 0104";
  tt.contact.text = "07700 900123";
  tt.contact.email = "talk@example.org";
  tt.contact.website = "https://example.org/talk/";
  tt.contact.referral_url = "https://example.org/refer";
  tt.locations = {{"Example Health Centre", "1 Example Road, Exampleton", "EB1 1AA"}};
  tt.hours = {{{"mon", "tue", "wed", "thu", "fri"}, "09:00", "17:00", "", ""},
              {{"sat"}, "10:00", "12:30", "phone", "fortnightly"}};
  tt.body =
      "# What happens\n\nA practitioner calls you.\n\n## Groups\n\n- CBT\n- counselling\n\n"
      "| Day | Group |\n| --- | --- |\n| Monday | Anxiety |\n";

  Service debt = SampleService("debt-advice", "Debt Advice Centre");
  debt.categories = {"debt-and-money"};
  debt.tier = "staying-well";
  debt.areas = {"north", "south"};
  debt.referral = {"self"};
  debt.cost = "donation";

  Service night = SampleService("night-line", "Night Line");
  night.categories = {"crisis-support"};
  night.tier = "crisis";
  night.areas = {"all"};
  night.referral = {"self"};
  night.hours = {{{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "20:00", "08:00", "", ""}};
  night.status = Status::kTemporarilyClosed;
  night.reopens = Date{2027, 3, 1};

  Service closed = SampleService("old-service", "Old Closed Service");
  closed.status = Status::kClosed;

  c.services = {tt, debt, night, closed};
  std::sort(c.services.begin(), c.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  return c;
}

/// A service whose every field is hostile.
inline Service HostileService() {
  Service s = SampleService("hostile", "\"><script>alert(1)</script>{{site.title}}");
  s.organisation = "<img src=x onerror=alert(2)>";
  s.summary = "{{{assets}}} {{#crisis_contacts}}x{{/crisis_contacts}} ' \" & <b>";
  s.contact.phone = "javascript:alert(3)";
  s.contact.email = "\"><script>alert(4)</script>@example.org";
  s.contact.website = "javascript:alert(5)";
  s.contact.referral_url = "JaVaScRiPt:alert(6)";
  s.waiting_time = "</dd><script>alert(7)</script>";
  s.languages = {"<svg onload=alert(8)>"};
  s.locations = {{"<iframe>", "\" onmouseover=\"alert(9)", "EB1 1AA"}};
  s.hours = {{{"mon"}, "<b>", "</b>", "<i>", "<u>"}};
  s.body =
      "<script>alert(10)</script>\n\n[x](javascript:alert(11)) [y](JaVaScRiPt:alert(12)) "
      "[z](javascript&#58;alert(13)) [w](data:text/html,<script>alert(14)</script>) "
      "![img](javascript:alert(15)) <a href=\"javascript:alert(16)\">a</a>\n\n"
      "<img src=x onerror=alert(17)>\n\n{{site.title}}\n";
  return s;
}

}  // namespace signpost::testing

#endif  // SIGNPOST_TESTS_SAMPLE_CATALOGUE_H_
