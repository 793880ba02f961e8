#include "scaffold.h"

#include <vector>

namespace signpost {

namespace {

// "#   a, b, c" comment lines no wider than 90 columns.
std::string CommentList(const std::vector<std::string>& items) {
  if (items.empty()) return "#   (see taxonomy.toml)\n";
  std::string out, line = "#  ";
  for (size_t i = 0; i < items.size(); ++i) {
    std::string item = " " + items[i] + (i + 1 < items.size() ? "," : "");
    if (line.size() + item.size() > 90) {
      out += line + "\n";
      line = "#  ";
    }
    line += item;
  }
  return out + line + "\n";
}

template <typename T>
std::vector<std::string> Slugs(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const T& item : items) out.push_back(item.slug);
  return out;
}

}  // namespace

std::string ServiceSkeleton(const std::string& slug, const Taxonomy& taxonomy, const Date& today) {
  std::string t;
  t += "+++\n";
  t += "# A new service entry: content/services/" + slug + ".md\n";
  t += "# The file name is the slug: the page will be /services/" + slug + "/.\n";
  t += "# Replace every value starting with TODO, then run: ./build/signpost check\n";
  t += "# Text goes in \"double quotes\"; lists go in [square brackets]; a line starting\n";
  t += "# with # is a comment and is ignored. CONTRIBUTING.md explains every field.\n";
  t += "\n";
  t += "# The service's name as people know it.\n";
  t += "name = \"TODO: the service's name\"\n";
  t += "# Who runs it (a charity, an NHS trust, a council).\n";
  t += "organisation = \"TODO: the organisation that runs it\"\n";
  t += "# One plain sentence, at most 200 characters, no formatting: who it helps and how.\n";
  t += "summary = \"TODO: one sentence saying who the service is for and what it offers\"\n";
  t += "# One or more category slugs from taxonomy.toml:\n";
  t += CommentList(Slugs(taxonomy.categories));
  t += "categories = [\"TODO: a category slug\"]\n";
  t += "# Where it sits on the pathway: one tier slug from taxonomy.toml:\n";
  t += CommentList(Slugs(taxonomy.tiers));
  t += "tier = \"TODO: a tier slug\"\n";
  t += "# The areas it covers, from taxonomy.toml, or [\"all\"] for the whole borough:\n";
  t += CommentList(Slugs(taxonomy.areas));
  t += "areas = [\"TODO: an area slug, or all\"]\n";
  t += "# Who can refer: any of self, gp, professional, carer.\n";
  t += "referral = [\"TODO: self, gp, professional or carer\"]\n";
  t += "# One of: free, donation, low-cost, paid.\n";
  t += "cost = \"TODO: free, donation, low-cost or paid\"\n";
  t += "# The date you last checked these details with the service (no quotes).\n";
  t += "last_reviewed = " + today.ToIso() + "\n";
  t += "\n";
  t += "# Optional fields: remove the # at the start of a line to use it.\n";
  t += "# status = \"active\"                  # active, temporarily-closed or closed\n";
  // A date four weeks ahead: an example in the past would itself be wrong.
  t += "# reopens = " + Date::FromDaysSinceEpoch(today.DaysSinceEpoch() + 28).ToIso() +
       "                # only with status = \"temporarily-closed\"\n";
  t += "# ages = { min = 16, max = 25 }       # age limits; either can be left out\n";
  t += "# delivery = [\"in-person\", \"phone\"]  # in-person, phone, video, online, text, "
       "home-visit\n";
  t += "# languages = [\"English\"]\n";
  t += "# accessibility = [\"step-free\", \"hearing-loop\"]\n";
  t += "# keywords = [\"extra words people search for\"]\n";
  t += "# waiting_time = \"Usually 2 to 4 weeks\"\n";
  t += "# cost_note = \"Sessions cost 10 pounds\"\n";
  t += "# eligibility = \"Women only\"\n";
  t += "# related = [\"another-service-slug\"]  # other entries' file names without .md\n";
  t += "# not_duplicate_of = []               # if the checker wrongly calls this a duplicate\n";
  t += "\n";
  t += "# How to get in touch: keep at least one line, delete the ones you do not need.\n";
  t += "[contact]\n";
  t += "phone = \"TODO: a UK phone number, e.g. 01632 960123\"\n";
  t += "# text = \"07700 900123\"                # a number people can text\n";
  t += "# email = \"help@example.org\"\n";
  t += "# website = \"https://example.org/service\"\n";
  t += "# referral_url = \"https://example.org/refer\"  # an online referral form\n";
  t += "\n";
  t += "# Where it happens: copy the block for each place; delete it for phone/online only.\n";
  t += "# [[locations]]\n";
  t += "# name = \"Example Health Centre\"\n";
  t += "# address = \"1 Example Road, Exampleton\"\n";
  t += "# postcode = \"EX1 1AA\"\n";
  t += "\n";
  t += "# Opening hours: copy the block for each set of days. Times are HH:MM;\n";
  t += "# a closing time of \"24:00\" is midnight, and one earlier than the opening\n";
  t += "# time runs past midnight.\n";
  t += "# [[hours]]\n";
  t += "# days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\n";
  t += "# opens = \"09:00\"\n";
  t += "# closes = \"17:00\"\n";
  t += "# channel = \"phone\"                   # optional: how, if not in person\n";
  t += "# note = \"fortnightly\"                # optional\n";
  t += "+++\n";
  t += "## What happens\n";
  t += "\n";
  t += "TODO: what the service offers and what to expect, in plain English.\n";
  t += "\n";
  t += "## Who it is for\n";
  t += "\n";
  t += "TODO: who can use it (ages, area, needs) and who cannot.\n";
  t += "\n";
  t += "## How to get in touch\n";
  t += "\n";
  t += "TODO: how to refer or self-refer, and what happens next.\n";
  return t;
}

}  // namespace signpost
