// A small hand-built Catalogue for the search tests, so the search stage is
// tested on its own (without the loader) with services whose ranking is
// known: one per kind of need, a closed one, a hostile name.
#ifndef SIGNPOST_TESTS_UNIT_SEARCH_FIXTURE_H_
#define SIGNPOST_TESTS_UNIT_SEARCH_FIXTURE_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catalogue.h"
#include "fts_database.h"
#include "search_index.h"
#include "site_writer.h"

namespace signpost::testing {

inline Service MakeService(std::string slug, std::string name, std::string summary,
                           std::vector<std::string> categories, std::string tier,
                           std::vector<std::string> areas, std::vector<std::string> referral,
                           std::string cost, std::vector<std::string> keywords, std::string body,
                           std::string phone = "", std::optional<int> age_min = std::nullopt) {
  Service s;
  s.slug = std::move(slug);
  s.path = "content/services/" + s.slug + ".md";
  s.name = std::move(name);
  s.organisation = "Example Trust";
  s.summary = std::move(summary);
  s.categories = std::move(categories);
  s.tier = std::move(tier);
  s.areas = std::move(areas);
  s.referral = std::move(referral);
  s.cost = std::move(cost);
  s.keywords = std::move(keywords);
  s.body = std::move(body);
  s.contact.phone = std::move(phone);
  s.age_min = age_min;
  s.last_reviewed = Date{2026, 9, 1};
  return s;
}

inline Catalogue MakeSearchCatalogue() {
  Catalogue c;
  c.content_dir = "content";
  Taxonomy& t = c.taxonomy;
  t.tiers = {{"staying-well", "Staying well", "", {}},
             {"community-support", "Community support", "", {}},
             {"primary-care", "Primary care", "", {}},
             {"crisis", "Crisis", "", {}}};
  t.categories = {
      {"talking-therapies",
       "Talking therapies and counselling",
       "",
       {"talking therapies", "IAPT", "counselling", "CBT", "low mood", "anxiety", "depression"},
       {}},
      {"peer-support",
       "Peer support",
       "",
       {"peer support", "support group", "lived experience"},
       {}},
      {"social-prescribing",
       "Social prescribing and loneliness",
       "",
       {"social prescribing", "link worker", "lonely", "loneliness", "isolation"},
       {}},
      {"employment-support",
       "Work and employment",
       "",
       {"employment", "job", "jobs", "work", "back to work"},
       {}},
      {"recovery-education",
       "Recovery College and courses",
       "",
       {"recovery college", "courses", "recovery"},
       {}},
      {"debt-and-money", "Debt, money and benefits", "", {"debt", "money", "benefits"}, {}},
      {"crisis-support", "Crisis support", "", {"crisis", "urgent", "suicidal"}, {}},
  };
  t.areas = {{"example-central", "Exampleton Central", "", {"EB1"}, {}},
             {"example-north", "Example North", "", {"EB3"}, {}}};

  c.services = {
      MakeService("example-citizens-advice-debt", "Example Citizens Advice debt help",
                  "Free, confidential advice about debt, bills and benefits.", {"debt-and-money"},
                  "community-support", {"example-central"}, {"self"}, "free", {"money advice"},
                  "## What happens\n\nAn adviser looks at your **debts** with you.",
                  "0300 330 1111"),
      MakeService("example-closed-service", "Example closed anxiety clinic",
                  "An anxiety service that has closed.", {"talking-therapies"}, "primary-care",
                  {"all"}, {"self"}, "free", {}, "Closed.", "", std::nullopt),
      MakeService("example-community-counselling", "Example Community Counselling",
                  "Low-cost counselling from a local charity.", {"talking-therapies"},
                  "community-support", {"example-north"}, {"self"}, "low-cost", {},
                  "Counselling for adults. We offer a *sliding scale*.", "01632 960001", 18),
      MakeService("example-crisis-line", "Example Crisis Line",
                  "A phone line open day and night for people in crisis.", {"crisis-support"},
                  "crisis", {"all"}, {"self", "gp", "professional"}, "free", {},
                  "Call us any time if you feel you cannot cope.", "0800 000 0000"),
      MakeService("example-hostile-entry", "<script>alert(\"x\")</script> & <b>Bold</b> caf\u00e9",
                  "A name with markup: <img src=x onerror=alert(1)>.", {"peer-support"},
                  "community-support", {"example-central"}, {"self"}, "free", {},
                  "Test <em>entry</em>."),
      MakeService("example-ips-employment-support", "Example IPS Employment Support",
                  "An employment specialist helps you find and keep paid work.",
                  {"employment-support"}, "primary-care", {"all"}, {"professional"}, "free",
                  {"IPS"}, "Back to work support for people with mental health problems.",
                  "01632 960002", 18),
      MakeService("example-mind-peer-support", "Example Mind peer support groups",
                  "Friendly weekly groups where adults support each other.", {"peer-support"},
                  "community-support", {"all"}, {"self", "gp"}, "free", {"lonely"},
                  "Groups for people who feel lonely or isolated.", "01632 960003", 18),
      MakeService("example-nhs-talking-therapies", "Example NHS Talking Therapies",
                  "Free NHS talking therapy for anxiety, stress or low mood.",
                  {"talking-therapies"}, "primary-care", {"all"}, {"self", "gp"}, "free",
                  {"IAPT", "CBT", "counselling"},
                  "NHS Talking Therapies (previously called IAPT) offers therapy.\n\n- CBT\n- "
                  "counselling for depression",
                  "020 7946 0104", 18),
      MakeService("example-recovery-college", "Example Recovery College",
                  "Free courses about mental health, wellbeing and recovery.",
                  {"recovery-education", "peer-support"}, "community-support", {"all"},
                  {"self", "gp"}, "free", {},
                  "Courses about recovery, planned by people with "
                  "lived experience.",
                  "01632 960004", 18),
      MakeService("example-social-prescribing", "Example Social Prescribing Link Workers",
                  "Link workers help you find local groups for loneliness, money or housing "
                  "worries.",
                  {"social-prescribing"}, "primary-care", {"all"}, {"gp", "self"}, "free", {},
                  "Ask your GP practice to refer you.", "01632 960005", 18),
  };
  c.services[1].status = Status::kClosed;
  return c;
}

/// A temporary folder removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "signpost-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// The plain text of each service's body, as the build hands it to the
/// index stage.
inline std::vector<std::string> BodyTexts(const Catalogue& catalogue) {
  std::vector<std::string> texts;
  for (const Service& s : catalogue.services) texts.push_back(MarkdownToPlainText(s.body));
  return texts;
}

/// Runs the index stage alone into <dir>/site; returns false on failure.
inline bool BuildSearchSite(const Catalogue& catalogue, const std::string& dir,
                            Diagnostics* diags) {
  SiteWriter writer(dir + "/site");
  return writer.Begin(diags) && writer.Write(SiteWriter::kMarkerFile, "", diags) &&
         WriteSearchIndex(catalogue, BodyTexts(catalogue), &writer, diags) && writer.Commit(diags);
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace signpost::testing

#endif  // SIGNPOST_TESTS_UNIT_SEARCH_FIXTURE_H_
