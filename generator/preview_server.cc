#include "preview_server.h"

#include <dirent.h>
#include <fcntl.h>
#include <httplib.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <utility>

#include "security_policy.h"

namespace signpost {

namespace {

namespace fs = std::filesystem;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// realpath(3): resolves every symlink; "" when the path does not exist.
std::string RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return "";
  return buf;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return false;
  *out = std::move(ss).str();
  return true;
}

void Mix(uint64_t* h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    *h ^= c;
    *h *= 1099511628211ull;  // FNV-1a 64
  }
}

void MixNumber(uint64_t* h, uint64_t n) {
  Mix(h, std::string_view(reinterpret_cast<const char*>(&n), sizeof n));
}

}  // namespace

std::string ContentTypeFor(std::string_view path) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
      {".xml", "application/xml"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/vnd.microsoft.icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".sqlite3", "application/vnd.sqlite3"},
      {".sqlite", "application/vnd.sqlite3"},
      {".gz", "application/gzip"},
  };
  std::string lower(path);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(lower, ext)) return std::string(type);
  }
  return "application/octet-stream";
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // 127.0.0.0/8 in dotted quad form only: "127.evil.example" is a DNS name.
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

UrlPathKind ResolveUrlPath(const std::string& root, std::string_view url_path, std::string* file) {
  if (url_path.empty() || url_path[0] != '/') return UrlPathKind::kBadRequest;
  for (unsigned char c : url_path) {
    if (c < 0x20 || c == 0x7f || c == '\\') return UrlPathKind::kBadRequest;
  }
  // Check every segment: only the last may be empty (a folder URL).
  std::string rel;
  bool folder_url = false;
  size_t pos = 1;
  while (pos <= url_path.size()) {
    size_t slash = url_path.find('/', pos);
    if (slash == std::string_view::npos) slash = url_path.size();
    std::string_view segment = url_path.substr(pos, slash - pos);
    bool last = slash == url_path.size();
    if (segment.empty()) {
      if (!last) return UrlPathKind::kBadRequest;  // "//"
      folder_url = true;
    } else {
      if (segment == "." || segment == "..") return UrlPathKind::kBadRequest;
      // Dot files (the .signpost-site marker, editor leftovers) are not part of the site.
      if (segment[0] == '.') return UrlPathKind::kNotFound;
      if (!rel.empty()) rel += '/';
      rel.append(segment);
    }
    pos = slash + 1;
  }

  std::string real_root = RealPath(root);
  if (real_root.empty()) return UrlPathKind::kNotFound;
  std::string candidate = rel.empty() ? real_root : real_root + "/" + rel;
  if (folder_url) candidate += "/index.html";
  std::string real = RealPath(candidate);
  // The resolved file must still be below the root: a symlink may point anywhere.
  if (real.empty() || real.size() <= real_root.size() + 1 ||
      real.compare(0, real_root.size(), real_root) != 0 || real[real_root.size()] != '/') {
    return UrlPathKind::kNotFound;
  }
  struct stat st;
  if (::stat(real.c_str(), &st) != 0) return UrlPathKind::kNotFound;
  if (S_ISDIR(st.st_mode)) {
    if (folder_url) return UrlPathKind::kNotFound;
    return UrlPathKind::kRedirect;
  }
  if (!S_ISREG(st.st_mode)) return UrlPathKind::kNotFound;
  *file = std::move(real);
  return UrlPathKind::kFile;
}

namespace {

// One entry's part of a fingerprint: its path and, when it could be
// stat'ed, its type, size, modification time and inode.
uint64_t EntryHash(const std::string& path, const struct stat* st) {
  uint64_t fields[5] = {};
  if (st != nullptr) {
    fields[0] = static_cast<uint64_t>(st->st_mode);
    fields[1] = static_cast<uint64_t>(st->st_size);
    fields[2] = static_cast<uint64_t>(st->st_mtim.tv_sec);
    fields[3] = static_cast<uint64_t>(st->st_mtim.tv_nsec);
    fields[4] = static_cast<uint64_t>(st->st_ino);
  }
  uint64_t h = XXH3_64bits(path.data(), path.size());
  return XXH3_64bits_withSeed(fields, sizeof fields, h);
}

uint64_t Combine(uint64_t sum, uint64_t count) {
  uint64_t h = 14695981039346656037ull;
  MixNumber(&h, sum);
  MixNumber(&h, count);
  return h;
}

// Adds to *sum one EntryHash per entry below the open folder `fd` (whose
// path is `path`), recursing into sub-folders; closes `fd`. Each entry is
// stat'ed relative to its folder (one path component, not the whole path
// again), and a large folder's entries on two threads: a walk is ~10,000
// stat calls.
void WalkFolder(int fd, const std::string& path, uint64_t* sum, uint64_t* count,
                WalkedFiles* walked) {
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    ::close(fd);
    return;
  }
  std::vector<std::string> names;
  while (const struct dirent* e = ::readdir(d)) {
    std::string_view name(e->d_name);
    if (name != "." && name != "..") names.emplace_back(name);
  }
  struct Entry {
    struct stat st;
    bool stated;
  };
  std::vector<Entry> entries(names.size());
  auto stat_range = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      entries[i].stated =
          ::fstatat(::dirfd(d), names[i].c_str(), &entries[i].st, AT_SYMLINK_NOFOLLOW) == 0;
    }
  };
  constexpr size_t kSplitAt = 2048;
  if (names.size() >= kSplitAt) {
    size_t half = names.size() / 2;
    std::thread other(stat_range, 0, half);
    stat_range(half, names.size());
    other.join();
  } else {
    stat_range(0, names.size());
  }
  std::string child;
  for (size_t i = 0; i < names.size(); ++i) {
    const struct stat& st = entries[i].st;
    child.assign(path).append("/").append(names[i]);
    if (entries[i].stated && walked != nullptr) walked->emplace(child, st);
    *sum += EntryHash(child, entries[i].stated ? &st : nullptr);
    ++*count;
    if (entries[i].stated && S_ISDIR(st.st_mode)) {
      int sub =
          ::openat(::dirfd(d), names[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0) WalkFolder(sub, child, sum, count, walked);  // unreadable: skipped
    }
  }
  ::closedir(d);
}

// `dir` as the walk spells the paths below it (no trailing '/').
std::string WalkRoot(const std::string& dir) {
  std::string root = dir;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return root;
}

// Walks `dir`, adding to *sum and *count; false when it cannot be opened.
bool WalkSum(const std::string& dir, uint64_t* sum, uint64_t* count, WalkedFiles* walked) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  WalkFolder(fd, WalkRoot(dir), sum, count, walked);
  return true;
}

}  // namespace

uint64_t FolderFingerprint(const std::string& dir, WalkedFiles* walked) {
  // The entries' hashes are summed: directory order is arbitrary, and a sum
  // needs no sort of 10,000 paths.
  uint64_t sum = 0, count = 0;
  if (!WalkSum(dir, &sum, &count, walked)) return 0;
  return Combine(sum, count);
}

FolderWatcher::FolderWatcher(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  WatchAll();  // before the first fingerprint: nothing between them is missed
  last_ = Fingerprint();
  last_walk_ = noticed_ = std::chrono::steady_clock::now();
}

FolderWatcher::~FolderWatcher() {
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

void FolderWatcher::WatchAll() {
  all_watched_ = false;
  if (inotify_fd_ < 0) return;
  constexpr uint32_t kEvents = IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE |
                               IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                               IN_ONLYDIR;
  bool all = true;
  for (const std::string& dir : dirs_) {
    // Adding a watch that exists returns the same one: repeating this is cheap.
    int wd = ::inotify_add_watch(inotify_fd_, dir.c_str(), kEvents);
    if (wd < 0) {
      all = false;  // missing (created later?) or out of watches: walk every time
      continue;
    }
    // Spelled as the walk spells them, so an event's path finds its entry.
    const std::string root = WalkRoot(dir);
    watched_[wd] = root;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
      if (!it->is_directory(ec) || it->is_symlink(ec)) continue;
      int sub = ::inotify_add_watch(inotify_fd_, it->path().c_str(), kEvents);
      if (sub < 0) {
        all = false;
        continue;
      }
      watched_[sub] = root + "/" + it->path().lexically_relative(dir).generic_string();
    }
    if (ec) all = false;
  }
  all_watched_ = all;
}

bool FolderWatcher::DrainEvents() {
  bool any = false;
  alignas(struct inotify_event) char buf[16384];
  for (;;) {
    ssize_t n = ::read(inotify_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return any;  // EAGAIN: the queue is empty
    any = true;
    // A folder made, moved or gone (or a lost event) can change what must
    // be watched; then WatchAll and a whole walk. Any other event names
    // the file to look at again.
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const struct inotify_event*>(buf + at);
      at += static_cast<ssize_t>(sizeof(struct inotify_event) + event->len);
      if ((event->mask & (IN_ISDIR | IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_Q_OVERFLOW)) !=
          0) {
        rewatch_ = true;
        continue;
      }
      auto folder = watched_.find(event->wd);
      if (folder == watched_.end() || event->len == 0 || event->name[0] == '\0') {
        rewatch_ = true;
        continue;
      }
      pending_.push_back(folder->second + "/" + event->name);
    }
  }
}

uint64_t FolderWatcher::Fingerprint() {
  walked_.clear();
  sum_ = count_ = 0;
  for (const std::string& dir : dirs_) {
    // A folder that cannot be opened counts as one entry of its own, so
    // its coming and going changes the fingerprint.
    if (!WalkSum(dir, &sum_, &count_, &walked_)) sum_ += EntryHash(WalkRoot(dir), nullptr);
  }
  return Combine(sum_, count_);
}

uint64_t FolderWatcher::Update() {
  // The folders holding the named files changed too when files came or went.
  std::vector<std::string> paths = std::move(pending_);
  pending_.clear();
  const size_t files = paths.size();
  for (size_t i = 0; i < files; ++i) {
    size_t slash = paths[i].rfind('/');
    if (slash != std::string::npos && slash > 0) paths.push_back(paths[i].substr(0, slash));
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  for (const std::string& path : paths) {
    // A watched root is no entry of the walk: it was named only as the
    // folder of a file in it.
    bool root = std::any_of(dirs_.begin(), dirs_.end(),
                            [&](const std::string& d) { return WalkRoot(d) == path; });
    if (root) continue;
    auto it = walked_.find(path);
    if (it != walked_.end()) {
      sum_ -= EntryHash(path, &it->second);
      --count_;
      walked_.erase(it);
    }
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0) {
      walked_.emplace(path, st);
      sum_ += EntryHash(path, &st);
      ++count_;
    }
  }
  return Combine(sum_, count_);
}

bool FolderWatcher::Changed() {
  // inotify sees only changes made through this machine's kernel: on a
  // network or VM-shared folder an edit made elsewhere raises no event, so
  // the folders are still walked every few seconds (at 10,000 entries one
  // walk is ~20 ms of CPU: ~0.4% of one core).
  constexpr std::chrono::seconds kWalkAtLeastEvery(5);
  auto now_time = std::chrono::steady_clock::now();
  bool events = inotify_fd_ >= 0 && DrainEvents();  // drained even when not relied on
  if (notified() && !events && now_time - last_walk_ < kWalkAtLeastEvery) return false;
  uint64_t now;
  // Thousands of named files (a branch switched): one walk, on two threads.
  // Otherwise an edit is looked at alone even when the periodic walk is
  // due: that walk waits for the next call without events, so it does not
  // delay a rebuild (unless events never stop coming for half a minute).
  constexpr size_t kLookAtMost = 2048;
  constexpr std::chrono::seconds kWalkAtMostAfter(30);
  if (notified() && events && !rewatch_ && pending_.size() <= kLookAtMost &&
      now_time - last_walk_ < kWalkAtMostAfter) {
    now = Update();  // only what the events named
  } else {
    last_walk_ = now_time;
    // Folders made since the last walk are watched before the fingerprint
    // walk, so it sees their files and nothing later in them is missed.
    if (rewatch_ || !all_watched_) WatchAll();
    rewatch_ = false;
    pending_.clear();
    now = Fingerprint();
  }
  bool changed = now != last_;
  last_ = now;
  if (changed) noticed_ = now_time;
  return changed;
}

void WatchLoop(FolderWatcher* watcher, std::chrono::milliseconds interval,
               const std::function<bool()>& should_stop, const std::function<void()>& rebuild) {
  constexpr std::chrono::milliseconds kSlice(50);
  // While inotify watches every folder a check between events reads one
  // empty queue, so it runs every slice: an edit is noticed within ~50 ms
  // instead of half an interval on average.
  auto wait = [&] { return watcher->notified() ? std::min(interval, kSlice) : interval; };
  auto next = std::chrono::steady_clock::now() + wait();
  while (!should_stop()) {
    std::this_thread::sleep_for(kSlice);
    if (std::chrono::steady_clock::now() < next) continue;
    if (watcher->Changed()) {
      rebuild();
      // Edits made while rebuilding are caught by the next poll; the
      // rebuild's own output never lands in a watched folder.
    }
    next = std::chrono::steady_clock::now() + wait();
  }
}

PreviewServer::PreviewServer(std::string root) : root_(std::move(root)) {}

PreviewServer::~PreviewServer() { Stop(); }

int PreviewServer::Start(const std::string& host, int port, std::string* error) {
  server_ = std::make_unique<httplib::Server>();
  server_->set_default_headers({
      {"Cache-Control", "no-cache"},
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
  });
  // httplib's default sets SO_REUSEPORT, which lets a second process bind the
  // same port and receive some of the requests. SO_REUSEADDR alone still allows
  // a quick restart but refuses a second listener.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->Get(".*",
               [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
  int bound = -1;
  if (port == 0) {
    bound = server_->bind_to_any_port(host);
  } else if (server_->bind_to_port(host, port)) {
    bound = port;
  }
  if (bound <= 0) {
    *error = "cannot listen on " + host + ":" + std::to_string(port) +
             " (is another server using that port, or is the address wrong?)";
    server_.reset();
    return -1;
  }
  listen_returned_ = false;
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_returned_ = true;
  });
  // httplib's stop() does nothing until listen has started, so wait for that:
  // a Stop() right after Start() must not leave the thread blocked in accept.
  while (!server_->is_running() && !listen_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return bound;
}

void PreviewServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void PreviewServer::NotFound(httplib::Response& res) const {
  std::string body;
  std::string page = RealPath(root_ + "/404.html");
  std::string real_root = RealPath(root_);
  bool inside = !page.empty() && !real_root.empty() && page.rfind(real_root + "/", 0) == 0;
  if (!inside || !ReadFile(page, &body)) {
    body =
        "<!DOCTYPE html><html lang=\"en-GB\"><title>Page not found</title>"
        "<h1>Page not found</h1></html>\n";
  }
  res.status = 404;
  res.set_content(std::move(body), "text/html; charset=utf-8");
}

void PreviewServer::Handle(const httplib::Request& req, httplib::Response& res) const {
  std::string file;
  switch (ResolveUrlPath(root_, req.path, &file)) {
    case UrlPathKind::kFile: {
      std::string body;
      if (!ReadFile(file, &body)) {
        res.status = 500;
        res.set_content("Could not read the file.\n", "text/plain; charset=utf-8");
        return;
      }
      res.status = 200;
      res.set_content(std::move(body), ContentTypeFor(file));
      return;
    }
    case UrlPathKind::kRedirect:
      // req.path passed every check above, so it is a clean local path.
      res.set_redirect(req.path + "/", 301);
      return;
    case UrlPathKind::kBadRequest:
      res.status = 400;
      res.set_content("Bad request: the path must not contain \"..\", \".\" or \"//\".\n",
                      "text/plain; charset=utf-8");
      return;
    case UrlPathKind::kNotFound:
      NotFound(res);
      return;
  }
}

}  // namespace signpost
