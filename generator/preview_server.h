// `signpost serve`'s moving parts: a static file server that never serves
// anything outside the output folder (cpp-httplib underneath), and a polling
// watcher that notices edits to the content and templates folders.
#ifndef SIGNPOST_PREVIEW_SERVER_H_
#define SIGNPOST_PREVIEW_SERVER_H_

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace signpost {

/// The Content-Type for a file by its extension; application/octet-stream when unknown.
std::string ContentTypeFor(std::string_view path);

/// True for names that only reach this machine: 127.0.0.0/8, ::1, localhost.
bool IsLoopbackHost(const std::string& host);

enum class UrlPathKind {
  kFile,        ///< *file is a regular file inside the root.
  kRedirect,    ///< A folder asked for without its trailing '/': redirect to url + "/".
  kNotFound,    ///< Missing, not a regular file, a dot file, or a symlink leading out.
  kBadRequest,  ///< Not a clean absolute path: "..", ".", "//", '\\', control bytes.
};

/// Maps a decoded URL path ("/services/x/") to a file below `root`; folder
/// URLs map to their index.html. Symlinks are resolved and must stay inside
/// the root. On kFile, *file is the resolved absolute path to open.
UrlPathKind ResolveUrlPath(const std::string& root, std::string_view url_path, std::string* file);

/// The lstat of each file one folder walk found, by its path as the walk
/// spelled it (the folder it started from, then "/name"...).
using WalkedFiles = std::unordered_map<std::string, struct stat>;

/// A hash of every name, type, size and modification time below `dir` (not
/// following symlinks); changes when anything is added, removed or edited.
/// With `walked`, what each file's lstat gave is added to it.
uint64_t FolderFingerprint(const std::string& dir, WalkedFiles* walked = nullptr);

/// Remembers the fingerprints of some folders and says when they change.
/// The fingerprints decide; inotify only says where to look: while every
/// folder below `dirs` is watched and no event has arrived, Changed()
/// returns false without walking 10,000 files; after events naming files,
/// it looks again at those files only (and their folders), updating the
/// fingerprint and walked() in place. It still walks everything every 5 s,
/// for edits made on another machine to a shared folder (which raise no
/// event), and after an event about a folder or a lost event. Without
/// inotify (or while a folder is missing) every call walks them.
class FolderWatcher {
 public:
  /// Takes the first fingerprints now.
  explicit FolderWatcher(std::vector<std::string> dirs);
  ~FolderWatcher();
  FolderWatcher(const FolderWatcher&) = delete;
  FolderWatcher& operator=(const FolderWatcher&) = delete;
  /// True when any folder differs from the last call (or from construction).
  bool Changed();
  /// True when Changed() is cheap between events (inotify is watching every
  /// folder), so it may be called often.
  bool notified() const { return inotify_fd_ >= 0 && all_watched_; }
  /// The lstat of every file below the folders as of the last Changed():
  /// the rebuild that follows a change need not stat every entry again.
  /// Valid until the next Changed().
  const WalkedFiles& walked() const { return walked_; }
  /// The fingerprint of the folders as of the last Changed().
  uint64_t fingerprint() const { return last_; }
  /// When the last Changed() that found a change began looking.
  std::chrono::steady_clock::time_point noticed() const { return noticed_; }

 private:
  /// Walks every folder (filling walked_, sum_ and count_) and hashes what
  /// it found.
  uint64_t Fingerprint();
  /// Looks again at the files events named (pending_) and at their folders,
  /// updating walked_, sum_ and count_; returns the new fingerprint.
  uint64_t Update();
  /// Adds a watch on every folder below dirs_ (again after any event: new
  /// folders appear); all_watched_ says whether that worked for all.
  void WatchAll();
  /// Reads every queued event; true when there was any. Names the files
  /// they were about in pending_; sets rewatch_ when one was about a folder
  /// (or could not be placed, or events were lost).
  bool DrainEvents();

  std::vector<std::string> dirs_;
  uint64_t last_;
  int inotify_fd_ = -1;
  bool all_watched_ = false;
  bool rewatch_ = false;  ///< An event said folders came or went.
  std::chrono::steady_clock::time_point last_walk_;
  std::chrono::steady_clock::time_point noticed_;
  WalkedFiles walked_;
  /// The fingerprint's parts: a sum of one hash per entry (any order gives
  /// the same sum, so one entry can be taken out and put back) and a count.
  uint64_t sum_ = 0, count_ = 0;
  std::unordered_map<int, std::string> watched_;  ///< inotify watch -> folder path
  std::vector<std::string> pending_;              ///< Paths events named.
};

/// Polls `watcher` every `interval` (every 50 ms while it is notified()) and
/// calls `rebuild` after each change, until `should_stop` returns true
/// (checked at least every 100 ms).
void WatchLoop(FolderWatcher* watcher, std::chrono::milliseconds interval,
               const std::function<bool()>& should_stop, const std::function<void()>& rebuild);

/// Serves the files of one folder over HTTP on a background thread. Every
/// response carries the site's Content-Security-Policy and Cache-Control:
/// no-cache; unknown paths get the folder's 404.html with status 404.
class PreviewServer {
 public:
  /// `root` is the folder to serve; it may not exist yet (requests then 404).
  explicit PreviewServer(std::string root);
  /// Stops the server if it is still running.
  ~PreviewServer();
  PreviewServer(const PreviewServer&) = delete;
  PreviewServer& operator=(const PreviewServer&) = delete;

  /// Binds host:port (port 0 picks a free one) and starts serving. Returns
  /// the bound port, or -1 with *error saying why.
  int Start(const std::string& host, int port, std::string* error);
  /// Stops serving and waits for the server thread. Safe to call twice.
  void Stop();

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) const;
  void NotFound(httplib::Response& res) const;

  std::string root_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};
};

}  // namespace signpost

#endif  // SIGNPOST_PREVIEW_SERVER_H_
