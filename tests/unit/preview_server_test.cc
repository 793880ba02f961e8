#include "preview_server.h"

#include <httplib.h>
#include <stdlib.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "security_policy.h"

namespace signpost {

namespace {

namespace fs = std::filesystem;

constexpr char kSecret[] = "TOP-SECRET-OUTSIDE-THE-SITE";

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A temporary folder holding site/ (what is served) and outside/ (what must
// never be served), with symlinks from the one into the other.
struct SiteFixture {
  fs::path dir;
  fs::path site;
  fs::path outside;

  SiteFixture() {
    std::string tmpl = (fs::temp_directory_path() / "signpost-preview-XXXXXX").string();
    BOOST_TEST_REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    site = dir / "site";
    outside = dir / "outside";
    WriteFile(site / "index.html", "<!DOCTYPE html><title>Home</title>home page");
    WriteFile(site / "404.html", "<!DOCTYPE html><title>Not found</title>the 404 page");
    WriteFile(site / "services" / "a" / "index.html", "service a");
    WriteFile(site / "assets" / "search.mjs", "export const x = 1;");
    WriteFile(site / "assets" / "site.css", "body{}");
    WriteFile(site / "data" / "directory.sqlite3", std::string("SQLite format 3\0", 16));
    WriteFile(site / "data" / "shard.json", "{}");
    WriteFile(site / ".signpost-site", "");
    WriteFile(outside / "secret.txt", kSecret);
    WriteFile(outside / "index.html", kSecret);
    fs::create_symlink("../outside/secret.txt", site / "leak.txt");
    fs::create_symlink(outside, site / "leakdir");
    fs::create_symlink("site.css", site / "assets" / "alias.css");  // stays inside: allowed
  }
  ~SiteFixture() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// A fixture plus a running server and a client that sends paths unaltered.
struct ServerFixture : SiteFixture {
  PreviewServer server{site.string()};
  int port = -1;
  std::unique_ptr<httplib::Client> client;

  ServerFixture() {
    std::string error;
    port = server.Start("127.0.0.1", 0, &error);
    BOOST_TEST_REQUIRE(port > 0, error);
    client = std::make_unique<httplib::Client>("127.0.0.1", port);
    client->set_url_encode(false);
    client->set_follow_location(false);
    client->set_connection_timeout(5);
    client->set_read_timeout(5);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(preview_server_test)

BOOST_AUTO_TEST_CASE(content_types_by_extension) {
  struct Case {
    const char* path;
    const char* type;
  } cases[] = {
      {"/x/index.html", "text/html; charset=utf-8"},
      {"a.CSS", "text/css; charset=utf-8"},
      {"search.mjs", "text/javascript; charset=utf-8"},
      {"app.js", "text/javascript; charset=utf-8"},
      {"shard-00.json", "application/json"},
      {"directory.sqlite3", "application/vnd.sqlite3"},
      {"logo.svg", "image/svg+xml"},
      {"font.woff2", "font/woff2"},
      {"sitemap.xml", "application/xml"},
      {"robots.txt", "text/plain; charset=utf-8"},
      {"no-extension", "application/octet-stream"},
      {"archive.tar.zst", "application/octet-stream"},
  };
  for (const Case& c : cases) BOOST_TEST(ContentTypeFor(c.path) == c.type, c.path);
}

BOOST_AUTO_TEST_CASE(loopback_hosts) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) {
    BOOST_TEST(IsLoopbackHost(host), host);
  }
  for (const char* host : {"0.0.0.0", "::", "192.168.1.2", "127.evil.example", "127.0.0", ""}) {
    BOOST_TEST(!IsLoopbackHost(host), host);
  }
}

BOOST_AUTO_TEST_CASE(resolve_url_paths) {
  SiteFixture f;
  struct Case {
    const char* url;
    UrlPathKind kind;
    const char* file;  // relative to the site, for kFile
  } cases[] = {
      {"/", UrlPathKind::kFile, "index.html"},
      {"/index.html", UrlPathKind::kFile, "index.html"},
      {"/services/a/", UrlPathKind::kFile, "services/a/index.html"},
      {"/services/a", UrlPathKind::kRedirect, nullptr},
      {"/assets/alias.css", UrlPathKind::kFile, "assets/site.css"},
      {"/missing", UrlPathKind::kNotFound, nullptr},
      {"/assets/", UrlPathKind::kNotFound, nullptr},  // a folder without index.html
      {"/.signpost-site", UrlPathKind::kNotFound, nullptr},
      {"/leak.txt", UrlPathKind::kNotFound, nullptr},
      {"/leakdir/secret.txt", UrlPathKind::kNotFound, nullptr},
      {"/leakdir/", UrlPathKind::kNotFound, nullptr},
      {"/leakdir", UrlPathKind::kNotFound, nullptr},
      {"/../outside/secret.txt", UrlPathKind::kBadRequest, nullptr},
      {"/assets/../../outside/secret.txt", UrlPathKind::kBadRequest, nullptr},
      {"/./index.html", UrlPathKind::kBadRequest, nullptr},
      {"//etc/passwd", UrlPathKind::kBadRequest, nullptr},
      {"/assets//site.css", UrlPathKind::kBadRequest, nullptr},
      {"/assets\\..\\..\\x", UrlPathKind::kBadRequest, nullptr},
      {"etc/passwd", UrlPathKind::kBadRequest, nullptr},
      {"", UrlPathKind::kBadRequest, nullptr},
      {"/index.html\n", UrlPathKind::kBadRequest, nullptr},
  };
  std::string real_site = fs::canonical(f.site).string();
  for (const Case& c : cases) {
    std::string file;
    UrlPathKind kind = ResolveUrlPath(f.site.string(), c.url, &file);
    BOOST_TEST((kind == c.kind), "url " << c.url);
    if (c.file) BOOST_TEST(file == real_site + "/" + c.file, "url " << c.url);
  }
  std::string file;
  BOOST_TEST((ResolveUrlPath(f.site.string(), std::string("/index.html\0x", 13), &file) ==
              UrlPathKind::kBadRequest));
}

BOOST_AUTO_TEST_CASE(missing_root_is_not_found) {
  std::string file;
  BOOST_TEST((ResolveUrlPath("/nonexistent/signpost/site", "/", &file) == UrlPathKind::kNotFound));
}

BOOST_AUTO_TEST_CASE(serves_pages_with_security_headers) {
  ServerFixture f;
  auto res = f.client->Get("/");
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->body.find("home page") != std::string::npos);
  BOOST_TEST(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
  BOOST_TEST(res->get_header_value("Cache-Control") == "no-cache");
  BOOST_TEST(res->get_header_value("Content-Security-Policy") == kContentSecurityPolicy);
  BOOST_TEST(res->get_header_value("X-Content-Type-Options") == "nosniff");

  res = f.client->Get("/services/a/");
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->body == "service a");

  res = f.client->Get("/assets/search.mjs");
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->get_header_value("Content-Type") == "text/javascript; charset=utf-8");

  res = f.client->Get("/data/directory.sqlite3");
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->body.size() == 16u);  // binary, NUL byte included
  BOOST_TEST(res->get_header_value("Content-Type") == "application/vnd.sqlite3");
}

BOOST_AUTO_TEST_CASE(folder_without_slash_redirects) {
  ServerFixture f;
  auto res = f.client->Get("/services/a");
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 301);
  BOOST_TEST(res->get_header_value("Location") == "/services/a/");
}

BOOST_AUTO_TEST_CASE(missing_page_gets_the_404_page) {
  ServerFixture f;
  auto res = f.client->Get("/services/nope/");
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 404);
  BOOST_TEST(res->body.find("the 404 page") != std::string::npos);
  BOOST_TEST(res->get_header_value("Content-Security-Policy") == kContentSecurityPolicy);
  BOOST_TEST(res->get_header_value("Cache-Control") == "no-cache");
}

BOOST_AUTO_TEST_CASE(traversal_attempts_never_leave_the_site) {
  ServerFixture f;
  const char* attacks[] = {
      "/../etc/passwd",
      "/../../../../../../etc/passwd",
      "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/%2E%2E/outside/secret.txt",
      "/assets/..%2f..%2foutside%2fsecret.txt",
      "/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
      "/%2e%2e%2foutside%2fsecret.txt",
      "/..%5c..%5coutside%5csecret.txt",
      "//etc/passwd",
      "/%2fetc%2fpasswd",
      "/leak.txt",
      "/leakdir/secret.txt",
      "/leakdir/",
      "/leakdir/index.html",
      "/%00/../etc/passwd",
      "/.signpost-site",
      "/.%2e/outside/secret.txt",
  };
  for (const char* path : attacks) {
    auto res = f.client->Get(path);
    BOOST_TEST_REQUIRE(static_cast<bool>(res), path);
    BOOST_TEST_MESSAGE(path << " -> " << res->status);
    BOOST_TEST(res->status != 200, path << " -> " << res->status);
    BOOST_TEST(res->status >= 400, path << " -> " << res->status);
    BOOST_TEST(res->body.find(kSecret) == std::string::npos, path);
    BOOST_TEST(res->body.find("root:") == std::string::npos, path);
  }
}

BOOST_AUTO_TEST_CASE(watcher_notices_added_edited_and_removed_files) {
  SiteFixture f;
  fs::path content = f.dir / "content";
  WriteFile(content / "services" / "a.md", "one");
  FolderWatcher watcher({content.string(), (f.dir / "templates-not-there").string()});
  BOOST_TEST(!watcher.Changed());
  WriteFile(content / "services" / "b.md", "new");
  BOOST_TEST(watcher.Changed());
  BOOST_TEST(!watcher.Changed());
  WriteFile(content / "services" / "a.md", "one, edited");
  BOOST_TEST(watcher.Changed());
  fs::remove(content / "services" / "b.md");
  BOOST_TEST(watcher.Changed());
  BOOST_TEST(!watcher.Changed());
  // A folder appearing where there was none (templates created later) counts too.
  WriteFile(f.dir / "templates-not-there" / "page.mustache", "x");
  BOOST_TEST(watcher.Changed());
}

// With inotify the watcher walks the folders only after an event; a folder
// made after the watcher started, and a file in it, still count, as does a
// watched folder deleted and made again.
BOOST_AUTO_TEST_CASE(notified_watcher_sees_new_folders_and_replaced_ones) {
  SiteFixture f;
  fs::path content = f.dir / "content";
  WriteFile(content / "services" / "a.md", "one");
  FolderWatcher watcher({content.string()});
  BOOST_TEST_REQUIRE(watcher.notified());  // Linux: inotify is always there
  BOOST_TEST(!watcher.Changed());
  BOOST_TEST(!watcher.Changed());
  fs::create_directories(content / "new" / "deeper");
  BOOST_TEST(watcher.Changed());
  WriteFile(content / "new" / "deeper" / "b.md", "in a folder made later");
  BOOST_TEST(watcher.Changed());
  BOOST_TEST(!watcher.Changed());
  WriteFile(content / "new" / "deeper" / "b.md", "edited, same folder");
  BOOST_TEST(watcher.Changed());
  fs::remove_all(content / "services");
  BOOST_TEST(watcher.Changed());
  WriteFile(content / "services" / "a.md", "back again");
  BOOST_TEST(watcher.Changed());
  BOOST_TEST(watcher.notified());
  // The watched folder itself replaced: a rename of a new one into its place.
  fs::path fresh = f.dir / "content-new";
  WriteFile(fresh / "services" / "c.md", "replacement");
  fs::rename(content, f.dir / "content-old");
  fs::rename(fresh, content);
  BOOST_TEST(watcher.Changed());
  WriteFile(content / "services" / "c.md", "replacement, edited");
  BOOST_TEST(watcher.Changed());
}

// The walk behind a fingerprint hands over each file's lstat, by path, so
// a rebuild right after it need not stat every entry again.
BOOST_AUTO_TEST_CASE(a_watcher_hands_over_what_its_last_walk_found) {
  ServerFixture f;
  fs::path content = f.dir / "content";
  WriteFile(content / "services" / "a.md", "a");
  WriteFile(content / "site.toml", "title = 'x'");
  WalkedFiles walked;
  uint64_t print = FolderFingerprint(content.string(), &walked);
  BOOST_TEST(print == FolderFingerprint(content.string()));
  std::string a = (content / "services" / "a.md").string();
  BOOST_REQUIRE(walked.count(a) == 1u);
  BOOST_TEST(walked.at(a).st_size == 1);
  BOOST_TEST(walked.count((content / "services").string()) == 1u);
  BOOST_TEST(walked.count((content / "site.toml").string()) == 1u);

  FolderWatcher watcher({content.string()});
  BOOST_TEST(watcher.walked().count(a) == 1u);  // the first walk
  WriteFile(content / "services" / "a.md", "edited");
  BOOST_TEST(watcher.Changed());
  BOOST_REQUIRE(watcher.walked().count(a) == 1u);
  BOOST_TEST(watcher.walked().at(a).st_size == 6);
}

// A folder big enough to be stat'ed on two threads walks like a small one:
// every file found, the same fingerprint twice, any edit seen.
BOOST_AUTO_TEST_CASE(a_large_folder_is_walked_whole) {
  ServerFixture f;
  fs::path content = f.dir / "content";
  for (int i = 0; i < 2100; ++i) {
    WriteFile(content / "services" / ("s-" + std::to_string(i) + ".md"), std::string(i % 7, 'x'));
  }
  WalkedFiles walked;
  uint64_t print = FolderFingerprint(content.string(), &walked);
  BOOST_TEST(walked.size() == 2101u);  // the files and their folder
  BOOST_TEST(walked.at((content / "services" / "s-13.md").string()).st_size == 6);
  BOOST_TEST(FolderFingerprint(content.string()) == print);
  WriteFile(content / "services" / "s-2000.md", "edited");
  BOOST_TEST(FolderFingerprint(content.string()) != print);
  fs::remove(content / "services" / "s-2000.md");
  BOOST_TEST(FolderFingerprint(content.string()) != print);
}

// After events that name files, the watcher looks again at those files only;
// what it then holds (fingerprint and every file's lstat) must be what a
// whole walk of the folders finds, whatever the edits were.
BOOST_AUTO_TEST_CASE(looking_at_named_files_equals_a_whole_walk) {
  ServerFixture f;
  fs::path content = f.dir / "content";
  fs::path templates = f.dir / "templates";
  for (int i = 0; i < 20; ++i) {
    WriteFile(content / "services" / ("s-" + std::to_string(i) + ".md"), "entry");
  }
  WriteFile(content / "site.toml", "title = 'x'");
  WriteFile(templates / "pages" / "home.mustache", "<h1>{{title}}</h1>");
  std::vector<std::string> dirs = {content.string() + "/", templates.string()};
  FolderWatcher watcher(dirs);
  BOOST_REQUIRE(watcher.notified());
  auto same_as_a_whole_walk = [&](const std::string& what) {
    BOOST_TEST_CONTEXT(what) {
      FolderWatcher fresh(dirs);
      BOOST_TEST(watcher.fingerprint() == fresh.fingerprint());
      BOOST_TEST(watcher.walked().size() == fresh.walked().size());
      for (const auto& [path, st] : fresh.walked()) {
        auto it = watcher.walked().find(path);
        BOOST_REQUIRE(it != watcher.walked().end());
        BOOST_TEST(it->second.st_ino == st.st_ino);
        BOOST_TEST(it->second.st_size == st.st_size);
        BOOST_TEST(it->second.st_mtim.tv_nsec == st.st_mtim.tv_nsec);
      }
    }
  };
  WriteFile(content / "services" / "s-3.md", "entry, edited");
  BOOST_TEST(watcher.Changed());
  same_as_a_whole_walk("edit");
  WriteFile(content / "services" / "new.md", "a new entry");
  BOOST_TEST(watcher.Changed());
  same_as_a_whole_walk("new file");
  fs::remove(content / "services" / "s-4.md");
  BOOST_TEST(watcher.Changed());
  same_as_a_whole_walk("deleted file");
  // An editor's safe save: a temporary file renamed over the entry.
  WriteFile(content / "services" / ".s-5.md.swp", "saved");
  fs::rename(content / "services" / ".s-5.md.swp", content / "services" / "s-5.md");
  BOOST_TEST(watcher.Changed());
  same_as_a_whole_walk("renamed over");
  WriteFile(content / "site.toml", "title = 'y'");
  WriteFile(templates / "pages" / "home.mustache", "<h1>{{title}}!</h1>");
  BOOST_TEST(watcher.Changed());
  same_as_a_whole_walk("top-level and template files");
  BOOST_TEST(!watcher.Changed());
}

BOOST_AUTO_TEST_CASE(fingerprint_of_a_missing_folder_is_stable) {
  BOOST_TEST(FolderFingerprint("/nonexistent/signpost/x") ==
             FolderFingerprint("/nonexistent/signpost/x"));
}

BOOST_AUTO_TEST_CASE(edit_triggers_rebuild_and_new_output_is_served) {
  ServerFixture f;
  fs::path content = f.dir / "content";
  WriteFile(content / "services" / "a.md", "before");
  FolderWatcher watcher({content.string()});
  std::atomic<bool> stop{false};
  std::atomic<int> rebuilds{0};
  std::thread loop([&] {
    WatchLoop(
        &watcher, std::chrono::milliseconds(20), [&] { return stop.load(); },
        [&] {
          WriteFile(f.site / "rebuilt.html", "rebuilt output");
          rebuilds++;
        });
  });
  WriteFile(content / "services" / "a.md", "after the edit");
  // Bounded wait, no timing assertion: only that the rebuild happened at all.
  for (int i = 0; i < 1000 && rebuilds.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop = true;
  loop.join();
  BOOST_TEST_REQUIRE(rebuilds.load() >= 1);
  auto res = f.client->Get("/rebuilt.html");
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->body == "rebuilt output");
}

BOOST_AUTO_TEST_CASE(stop_is_idempotent_and_frees_the_port) {
  SiteFixture f;
  PreviewServer server(f.site.string());
  std::string error;
  int port = server.Start("127.0.0.1", 0, &error);
  BOOST_TEST_REQUIRE(port > 0);
  server.Stop();
  server.Stop();
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2);
  BOOST_TEST(!client.Get("/"));
}

// Regression: httplib's default SO_REUSEPORT let a second server share the port.
BOOST_AUTO_TEST_CASE(second_server_on_a_busy_port_is_refused) {
  SiteFixture f;
  PreviewServer first(f.site.string());
  std::string error;
  int port = first.Start("127.0.0.1", 0, &error);
  BOOST_TEST_REQUIRE(port > 0);
  PreviewServer second(f.site.string());
  BOOST_TEST(second.Start("127.0.0.1", port, &error) == -1);
  BOOST_TEST(error.find(std::to_string(port)) != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
