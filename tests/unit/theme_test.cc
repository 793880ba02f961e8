#include "theme.h"

#include <boost/test/unit_test.hpp>

namespace signpost {

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
  namespace mu = kainjow::mustache;
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
    BOOST_TEST(ours.get_partial(name) == theirs.get_partial(name), name);
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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
