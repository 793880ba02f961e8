// `signpost serve`: build once, serve the output folder on loopback, and
// rebuild whenever the content or templates change. A failed rebuild prints
// its diagnostics and leaves the previous site in place (the site writer only
// swaps in complete builds), so the preview keeps working while an editor fixes
// the mistake.
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>

#include "commands.h"
#include "preview_server.h"

namespace signpost {

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void OnStopSignal(int) { g_stop = 1; }

// Without inotify, walk the folders twice a second: fast enough to feel live,
// cheap on a 10,000-entry folder. With it, WatchLoop checks every 50 ms.
constexpr std::chrono::milliseconds kPollInterval(500);

// True when `inner` is `outer` or below it (after resolving what exists).
bool IsWithin(const std::string& inner, const std::string& outer) {
  std::error_code ec;
  std::string a = std::filesystem::weakly_canonical(inner, ec).string();
  if (ec) return false;
  std::string b = std::filesystem::weakly_canonical(outer, ec).string();
  if (ec) return false;
  return a == b || (a.size() > b.size() && a.compare(0, b.size(), b) == 0 && a[b.size()] == '/');
}

}  // namespace

int RunServe(const ServeOptions& options) {
  // Output inside a watched folder would trigger a rebuild after every rebuild.
  for (const std::string* watched : {&options.content_dir, &options.templates_dir}) {
    if (IsWithin(options.out_dir, *watched)) {
      std::fprintf(stderr,
                   "error: the output folder %s is inside %s, which is watched for changes\n"
                   "  hint: choose an --out folder outside the content and templates folders\n",
                   options.out_dir.c_str(), watched->c_str());
      return kExitUsage;
    }
  }

  BuildOptions build;
  build.content_dir = options.content_dir;
  build.templates_dir = options.templates_dir;
  build.out_dir = options.out_dir;
  build.timings = options.timings;
  // On rebuilds: say when the pages are in place, before the search index.
  build.pages_ready = [](const BuildResult& pages) {
    std::fprintf(stderr,
                 "pages rebuilt in %lld ms (%zu entries read again, %zu pages rendered; %zu files "
                 "changed, %zu removed); updating the search index\n",
                 pages.pages_milliseconds, pages.entries_parsed, pages.pages_rendered,
                 pages.files_changed, pages.files_deleted);
  };

  if (!IsLoopbackHost(options.host)) {
    std::fprintf(stderr,
                 "\n*** WARNING: serving on %s, not on loopback (127.0.0.1).\n"
                 "*** Anyone who can reach this machine on port %d can read the preview.\n"
                 "*** The preview server is for local checking only, never for publishing.\n\n",
                 options.host.c_str(), options.port);
  }

  // Kept between rebuilds: only changed entries are parsed again and only
  // pages whose inputs changed are rendered again.
  BuildMemo memo;
  BuildResult first = BuildSite(build, &memo);
  if (first.exit_code == kExitOk) {
    std::fprintf(stderr, "built %zu services into %s/ in %lld ms\n", first.services,
                 options.out_dir.c_str(), first.milliseconds);
  } else {
    std::fprintf(stderr, "serving what is in %s/ (if anything) until the errors are fixed\n",
                 options.out_dir.c_str());
  }

  PreviewServer server(options.out_dir);
  std::string error;
  int port = server.Start(options.host, options.port, &error);
  if (port < 0) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return kExitFailure;
  }
  bool v6 = options.host.find(':') != std::string::npos;
  std::fprintf(stderr, "Serving %s/ at http://%s%s%s:%d/ (press Ctrl-C to stop)\n",
               options.out_dir.c_str(), v6 ? "[" : "", options.host.c_str(), v6 ? "]" : "", port);
  std::fprintf(stderr, "Watching %s/ and %s/ for changes\n", options.content_dir.c_str(),
               options.templates_dir.c_str());

  g_stop = 0;
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  struct sigaction old_int, old_term;
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);

  FolderWatcher watcher({options.content_dir, options.templates_dir});
  WatchLoop(
      &watcher, kPollInterval, [] { return g_stop != 0; },
      [&build, &options, &memo, &watcher] {
        std::fprintf(stderr, "change detected: rebuilding\n");
        // The watcher has just looked at what changed and knows the rest:
        // the load uses that instead of stat'ing 10,000 entries again.
        memo.entries.UseWalked(&watcher.walked());
        // The reported times count from when the watcher began looking.
        build.noticed = watcher.noticed();
        BuildResult result = BuildSite(build, &memo);
        if (result.exit_code == kExitOk) {
          std::fprintf(stderr, "rebuilt %zu services in %lld ms (%zu files changed, %zu removed)\n",
                       result.services, result.milliseconds, result.files_changed,
                       result.files_deleted);
        } else {
          std::fprintf(stderr, "rebuild failed: still serving the previous %s/\n",
                       options.out_dir.c_str());
        }
      });

  std::fprintf(stderr, "\nstopping\n");
  server.Stop();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  return kExitOk;
}

}  // namespace signpost
