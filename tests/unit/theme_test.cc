#include "theme.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <vector>

namespace signpost {

namespace {

namespace fs = std::filesystem;
namespace mu = kainjow::mustache;

// A theme folder in /tmp holding a layout, the page templates (all but
// `home` trivial) and partials.
class TempTheme {
 public:
  TempTheme() {
    std::string templ = (fs::temp_directory_path() / "signpost-theme-XXXXXX").string();
    dir_ = ::mkdtemp(templ.data());
  }
  ~TempTheme() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  TempTheme(const TempTheme&) = delete;
  TempTheme& operator=(const TempTheme&) = delete;

  const std::string& dir() const { return dir_; }

  void Write(const std::string& rel, const std::string& text) const {
    fs::path path = fs::path(dir_) / rel;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }

  void WriteAll(const std::string& layout, const std::string& home,
                const std::map<std::string, std::string>& partials) const {
    Write("layouts/base.mustache", layout);
    for (const char* const* name = kPageTemplates; *name != nullptr; ++name) {
      Write(std::string("pages/") + *name + ".mustache", "<p>{{page_title}}</p>\n");
    }
    Write("pages/home.mustache", home);
    for (const auto& [name, text] : partials) Write("partials/" + name + ".mustache", text);
  }

 private:
  std::string dir_;
};

std::string Render(const Theme& theme, const mu::data& common, const mu::data& page,
                   const std::string& name = "home") {
  RenderContext ctx(&common);
  ctx.push(&page);
  std::string out, error;
  BOOST_REQUIRE_MESSAGE(theme.Render(name, &ctx, &out, &error), error);
  return out;
}

// An optimized theme (rewritten templates) and the reference (templates as
// written, partials pasted in) loaded from the same folder.
struct ThemePair {
  explicit ThemePair(const TempTheme& files) : optimized(true), pasted(false) {
    Diagnostics diags;
    BOOST_REQUIRE(optimized.Load(files.dir(), &diags));
    BOOST_REQUIRE(pasted.Load(files.dir(), &diags));
  }
  // Renders with both; they must agree byte for byte.
  std::string Check(const mu::data& common, const mu::data& page, const std::string& what = "") {
    std::string expected = Render(pasted, common, page);
    std::string actual = Render(optimized, common, page);
    BOOST_TEST(actual == expected, what);
    return actual;
  }
  Theme optimized;
  Theme pasted;
};

mu::data Object(std::initializer_list<std::pair<const char*, mu::data>> items) {
  mu::data d;
  for (const auto& [key, value] : items) d.set(key, value);
  return d;
}

mu::data List(std::initializer_list<mu::data> items) {
  mu::data d{mu::data::type::list};
  for (const mu::data& item : items) d.push_back(item);
  return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(theme_test)
BOOST_AUTO_TEST_CASE(asset_keys_and_hashed_names) {
  BOOST_TEST(AssetKey("search.js") == "search_js");
  BOOST_TEST(AssetKey("print.css") == "print_css");
  BOOST_TEST(AssetKey("fonts/My-Font.woff2") == "fonts_my_font_woff2");
  std::string a = HashedName("search.js", "x");
  BOOST_TEST(a.size() == std::string("search.12345678.js").size());
  BOOST_TEST(a.rfind("search.", 0) == 0);
  BOOST_TEST(a.substr(a.size() - 3) == ".js");
  BOOST_TEST(HashedName("search.js", "x") == a);  // stable
  BOOST_TEST(HashedName("search.js", "y") != a);  // content-addressed
  BOOST_TEST(HashedName("dir/file.min.css", "x").rfind("dir/file.min.", 0) == 0);
  BOOST_TEST(HashedName("LICENSE", "x").rfind("LICENSE.", 0) == 0);
}

BOOST_AUTO_TEST_CASE(nhsuk_css_loads_nothing_from_other_hosts) {
  std::string css =
      "@font-face{font-family:F;src:url(https://assets.nhs.uk/fonts/a.woff2) format(\"woff2\")}"
      "@font-face{font-family:L;src:url(fonts/local.woff2)}"
      ".a{background:url(/assets/images/nhsuk-icon-cross.svg)}\n"
      "/*# sourceMappingURL=nhsuk-frontend.min.css.map */";
  std::string out = LocaliseNhsukCss(css);
  BOOST_TEST(out.find("assets.nhs.uk") == std::string::npos);
  BOOST_TEST(out.find("url(fonts/local.woff2)") != std::string::npos);
  BOOST_TEST(out.find("url(images/nhsuk-icon-cross.svg)") != std::string::npos);
  BOOST_TEST(out.find("sourceMappingURL") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(escape_matches_kainjow) {
  for (const std::string& text :
       {std::string(""), std::string("plain"), std::string("a & b < c > d \" e ' f"),
        std::string("&&"), std::string("{{x}} \xc3\xa9 <script>")}) {
    BOOST_TEST(HtmlEscape(text) == kainjow::mustache::html_escape(text), text);
  }
}

BOOST_AUTO_TEST_CASE(escape_matches_kainjow_on_every_byte) {
  std::string all;
  for (int c = 1; c < 256; ++c) all.push_back(static_cast<char>(c));
  BOOST_TEST(HtmlEscape(all) == kainjow::mustache::html_escape(all));
  BOOST_TEST(HtmlEscape(all + "&") == kainjow::mustache::html_escape(all + "&"));
}

// RenderContext must find exactly what kainjow's own context finds,
// including a dotted name that only resolves in an outer item.
BOOST_AUTO_TEST_CASE(render_context_resolves_like_kainjow) {
  mu::data outer;
  outer.set("root", "../../");
  outer.set("site", mu::data("title", "Directory"));
  outer.set("contact", mu::data("phone", "outer phone"));
  mu::data page;
  page.set("name", "Page");
  page.set("contact", mu::data("email", "a@example.org"));
  mu::data item;
  item.set("name", "Item");
  item.set("a", mu::data("b", mu::data("c", "deep")));
  const char* names[] = {"name",          "root",    "site.title",   "contact.email",
                         "contact.phone", "contact", "a.b.c",        "a.b",
                         "a.x",           "missing", "site.missing", ".",
                         "a..b",          "",        "site.",        ".a",
                         "a.b.c.",        ".."};
  mu::context<std::string> theirs(&outer);
  theirs.push(&page);
  theirs.push(&item);
  RenderContext ours(&outer);
  ours.push(&page);
  ours.push(&item);
  for (const char* name : names) {
    BOOST_TEST(ours.get(name) == theirs.get(name), name);
    BOOST_TEST(ours.get_partial(name) == nullptr, name);  // unlike kainjow's: see theme.h
  }
  ours.pop();
  theirs.pop();
  for (const char* name : names) BOOST_TEST(ours.get(name) == theirs.get(name), name);
}

BOOST_AUTO_TEST_CASE(offsets_become_lines_and_code_point_columns) {
  int line, column;
  OffsetToLineColumn("ab\ncd", 4, &line, &column);
  BOOST_TEST(line == 2);
  BOOST_TEST(column == 2);
  OffsetToLineColumn("\xc3\xa9\xc3\xa9x", 4, &line, &column);  // "ééx", at x
  BOOST_TEST(line == 1);
  BOOST_TEST(column == 3);
  OffsetToLineColumn("abc", 99, &line, &column);
  BOOST_TEST(column == 4);
}

// Values print as text, whatever they hold: never as a template, or as one
// of the theme's own names.
BOOST_AUTO_TEST_CASE(hostile_values_stay_text) {
  TempTheme files;
  files.WriteAll("{{> p}}\n{{{content}}}\n", "{{name}}\n", {{"p", "{{name}}|{{{name}}}\n"}});
  ThemePair themes(files);
  for (const char* name : {"{{page_title}}", "\x1fT0", "\x1fP0", "<script>&'\"", "{{> p}}"}) {
    std::string out = themes.Check(mu::data(), Object({{"name", name}, {"page_title", "X"}}));
    BOOST_TEST(out.find("X") == std::string::npos, name);
  }
}

// kainjow drops a line holding only a section tag and spaces, and each
// partial is pasted into the line around it: every way a partial can sit
// in its line must come out as if pasted.
BOOST_AUTO_TEST_CASE(partials_anywhere_in_a_line_render_as_pasted) {
  const std::vector<std::string> homes = {
      "{{> p}}\n",
      "  {{> p}}\n",
      "x\n{{> p}}",
      "x{{> p}}y\n",
      "{{#flag}}{{> p}}{{/flag}}\n",
      "{{#flag}}\n{{> p}}\n{{/flag}}\n",
      "{{#list}}\n{{> p}}\n{{/list}}\n",
      "{{#list}}{{> p}}\n{{/list}}\n",
      "{{#list}}\n{{> p}}{{/list}}\n",
      "a\r\n{{> p}}\r\nb\r\n",
      "{{> p}}\n{{> p}}\n{{#flag}}\n{{/flag}}\n{{> q}}\n",
      "{{> q}}\n{{^flag}}\n{{> q}}\n{{/flag}}\n",
      "  {{{html}}}\n{{{html}}}\n{{& html}}\n{{{missing}}}\n{{{flag}}}\n{{{list}}}\n",
      "{{#flag}}\n{{{html}}}\n{{/flag}}\n{{{html}}}",
      "a\n\n{{#flag}}\nb\n{{/flag}}\n",
      "a\n  \n{{#flag}}\n{{/flag}}\nc\n",
      "{{#list}}\nx\ny{{/list}}\n",
      "p\nq{{#flag}}r{{/flag}}\n",
      "p\n{{#flag}} {{/flag}}\n",
      "p\n{{^flag}}\t{{/flag}}\n",
      "p\n{{! note }}\nq\n",
      "{{#list}}\n  a b\n  c\n{{/list}}\n  d\n",
  };
  const std::vector<std::string> partials = {
      "<p>{{a}}</p>\n",
      "{{#flag}}\nX\n{{/flag}}",
      "{{#flag}}\nX\n{{/flag}}\n",
      "\n",
      "",
      "  \n",
      "{{^flag}}\n{{/flag}}\n",
      "text",
      "{{#list}}{{a}}{{/list}}\n",
      "{{{html}}}\n",
      "{{> q}}\n",
      "a\n{{> q}}",
      "  {{#flag}}\n  y\n  {{/flag}}\n",
  };
  std::vector<mu::data> pages = {
      Object({{"flag", true},
              {"a", "1"},
              {"html", "<i>h</i>"},
              {"list", List({Object({{"a", "x"}}), Object({{"b", "y"}})})}}),
      Object({{"flag", false}, {"a", "2"}, {"list", List({})}}),
      Object({{"flag", "s"}, {"html", ""}, {"list", List({Object({}), Object({{"a", ""}})})}}),
  };
  for (const std::string& home : homes) {
    for (const std::string& p : partials) {
      TempTheme files;
      files.WriteAll("<html>\n{{{content}}}\n</html>\n", home, {{"p", p}, {"q", "Q{{a}}\n"}});
      ThemePair themes(files);
      for (int round = 0; round < 2; ++round) {
        for (const mu::data& page : pages) themes.Check(mu::data(), page, home + " with " + p);
      }
    }
  }
}

namespace {

// Random templates and data from a seed, so a failure can be replayed.
class RandomTheme {
 public:
  explicit RandomTheme(uint32_t seed) : rng_(seed) {}

  // A template for partial `self` (-1: a page or the layout); it may
  // include partials after itself, so nothing includes itself.
  std::string Block(int depth, int self, int partials) {
    static const char* const kText[] = {"x", "<p>", "a b", "  ", "\t", "\xc3\xa9", "&amp;", "}"};
    static const char* const kNames[] = {"a",     "b",    "flag",    "list", "obj",
                                         "obj.a", "html", "missing", ".",    "root"};
    static const char* const kSections[] = {"a", "flag", "list", "obj", "missing", "obj.list"};
    std::string out;
    int pieces = 1 + static_cast<int>(Pick(8));
    for (int i = 0; i < pieces; ++i) {
      size_t r = Pick(100);
      if (r < 28) {
        out += kText[Pick(std::size(kText))];
      } else if (r < 48) {
        out += Pick(12) == 0 ? "\r\n" : "\n";
      } else if (r < 63) {
        std::string name = kNames[Pick(std::size(kNames))];
        size_t kind = Pick(4);
        out += kind == 0   ? "{{{" + name + "}}}"
               : kind == 1 ? "{{& " + name + "}}"
                           : "{{" + name + "}}";
      } else if (r < 78 && depth < 3) {
        std::string name = kSections[Pick(std::size(kSections))];
        bool standalone = Pick(2) == 0;
        out += std::string("{{") + (Pick(4) == 0 ? "^" : "#") + name + "}}";
        if (standalone) out += "\n";
        out += Block(depth + 1, self, partials);
        if (standalone) out += "\n";
        out += "{{/" + name + "}}";
        if (standalone || Pick(2) == 0) out += "\n";
      } else if (r < 93 && self + 1 < partials) {
        int target = self + 1 + static_cast<int>(Pick(partials - self - 1));
        if (Pick(3) != 0) out += "\n";
        if (Pick(5) == 0) out += "  ";
        out += "{{> p" + std::to_string(target) + "}}";
        if (Pick(3) != 0) out += "\n";
      } else {
        out += "{{! c }}";
      }
    }
    return out;
  }

  mu::data Value(int depth) {
    static const char* const kStrings[] = {"",      " ",      "v",   "<b>&'\"",
                                           "{{a}}", "\x1fT0", "a b", "line\nbreak"};
    size_t r = Pick(100);
    if (r < 35) return mu::data(kStrings[Pick(std::size(kStrings))]);
    if (r < 50) return mu::data(true);
    if (r < 65) return mu::data(false);
    if (r < 82 && depth < 2) {
      mu::data list{mu::data::type::list};
      for (size_t i = Pick(4); i > 0; --i) {
        list.push_back(Pick(2) == 0 ? Object(depth + 1) : Value(depth + 1));
      }
      return list;
    }
    return Object(depth + 1);
  }

  mu::data Object(int depth) {
    mu::data d;
    if (depth > 2) return d;
    for (const char* name : {"a", "b", "flag", "list", "obj", "html", "root"}) {
      if (Pick(10) < 6) d.set(name, Value(depth));
    }
    return d;
  }

  size_t Pick(size_t n) { return rng_() % n; }

 private:
  std::mt19937 rng_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(random_themes_render_as_pasted) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    RandomTheme random(seed);
    const int partials = 3;
    std::map<std::string, std::string> files_by_name;
    for (int i = 0; i < partials; ++i) {
      files_by_name["p" + std::to_string(i)] = random.Block(0, i, partials);
    }
    std::string layout =
        random.Block(0, -1, partials) + "\n{{{content}}}\n" + random.Block(0, -1, partials);
    std::string home = random.Block(0, -1, partials);
    TempTheme files;
    files.WriteAll(layout, home, files_by_name);
    ThemePair themes(files);
    std::vector<std::pair<mu::data, mu::data>> contexts;
    for (int i = 0; i < 5; ++i) contexts.emplace_back(random.Object(0), random.Object(0));
    for (int round = 0; round < 2; ++round) {
      for (const auto& [common, page] : contexts) {
        themes.Check(common, page, "seed " + std::to_string(seed));
      }
    }
  }
}

// What the rewrite does not handle renders exactly as written.
BOOST_AUTO_TEST_CASE(set_delimiters_and_marker_bytes_turn_the_rewrite_off) {
  for (const std::string& card : {std::string("{{=<% %>=}}\n<p><% name %></p>\n<%={{ }}=%>\n"),
                                  std::string("<p>\x1f{{name}}</p>\n")}) {
    TempTheme files;
    files.WriteAll("{{> card}}\n{{{content}}}\n", "{{> card}}\n", {{"card", card}});
    ThemePair themes(files);
    themes.Check(mu::data(), Object({{"name", "N"}}));
  }
}

// A partial tag spelled with spaces is pasted in like any other; one the
// loader cannot see (after a set-delimiter tag) renders nothing rather
// than a value from the page data read as a template.
BOOST_AUTO_TEST_CASE(partial_tags_never_read_page_data_as_templates) {
  TempTheme files;
  files.WriteAll("{{ > card }}\n{{{content}}}\n",
                 "{{=<% %>=}}\n[<%> name%>][<% > name %>]\n<%={{ }}=%>\n", {{"card", "C\n"}});
  ThemePair themes(files);
  std::string out = themes.Check(mu::data(), Object({{"name", "{{secret}}"}, {"secret", "S"}}));
  BOOST_TEST(out.rfind("C\n", 0) == 0, out);  // {{ > card }} pasted in
  BOOST_TEST(out.find("[][]") != std::string::npos, out);
  BOOST_TEST(out.find('S') == std::string::npos, out);
}

// A list of references renders exactly as a list of copies: names, dotted
// names, nested sections, `.` and look-ups falling through to the page.
BOOST_AUTO_TEST_CASE(references_render_as_copies) {
  TempTheme files;
  files.WriteAll("{{{content}}}\n",
                 "{{#services}}\n<li>{{name}}|{{a.b}}|{{#a}}{{b}}{{page_title}}{{/a}}|{{.}}|"
                 "{{^missing}}none{{/missing}}|{{#list}}[{{.}}]{{/list}}</li>\n{{/services}}\n"
                 "{{^services}}empty{{/services}}\n",
                 {});
  ThemePair themes(files);
  const mu::data first = Object({{"name", "One <&>"},
                                 {"a", Object({{"b", "deep"}})},
                                 {"list", List({mu::data("x"), mu::data("y")})}});
  const mu::data second = Object({{"name", "Two"}, {"a", false}});
  mu::data copies = List({first, second, first});
  mu::data references = List({RenderContext::Reference(&first), RenderContext::Reference(&second),
                              RenderContext::Reference(&first)});
  std::string expected = themes.Check(mu::data(), Object({{"services", copies}, {"page_title", "P"}}));
  std::string actual =
      themes.Check(mu::data(), Object({{"services", references}, {"page_title", "P"}}));
  BOOST_TEST(actual == expected);
  BOOST_TEST(actual.find("One &lt;&amp;&gt;|deep|deepP|") != std::string::npos, actual);
  BOOST_TEST(themes.Check(mu::data(), Object({{"services", mu::data(mu::data::type::list)}}))
                 .find("empty") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
