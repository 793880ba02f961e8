#include "site_writer.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace signpost {

namespace fs = std::filesystem;

namespace {

std::string ErrnoText() { return std::strerror(errno); }

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// `<parent>/.<name>.old-`: where a replaced site waits to be deleted. Hidden,
// and never matched by `<name>.staging-`.
std::string OldPrefix(const fs::path& out) { return "." + out.filename().string() + ".old-"; }

// Deletes `dir` in a detached grandchild process so the build can exit at
// once: removing ~10,000 files costs seconds on a real disk. The deleter
// holds an flock on the folder until it is gone, so Begin() can tell a
// folder still being deleted from one a crash left behind. Only
// async-signal-safe calls run after fork() (the parent may have threads):
// the arguments are built first and the child execs rm. Returns false when
// no deleter could be started; the caller then deletes it itself.
bool DeleteInBackground(const std::string& dir) {
  int lock_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);  // inherited, not CLOEXEC
  if (lock_fd < 0) return false;
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd);
    return false;
  }
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  const char* argv[] = {"rm", "-rf", "--", dir.c_str(), nullptr};
  pid_t child = ::fork();
  if (child == 0) {
    ::setsid();
    if (::fork() != 0) ::_exit(0);  // the grandchild is re-parented to init
    if (null_fd >= 0) {
      ::dup2(null_fd, 0);
      ::dup2(null_fd, 1);
      ::dup2(null_fd, 2);
    }
    ::execv("/bin/rm", const_cast<char* const*>(argv));
    ::_exit(127);  // the folder stays, locked no more: the next Begin() deletes it
  }
  if (null_fd >= 0) ::close(null_fd);
  bool started = false;
  if (child > 0) {
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    started = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  ::close(lock_fd);  // the grandchild keeps the lock
  return started;
}

// Deletes `<parent>/.<name>.old-*` folders that no deleter is working on
// (a previous build crashed, or rm could not run).
void RemoveAbandonedOldSites(const fs::path& out) {
  std::error_code ec;
  std::string prefix = OldPrefix(out);
  std::vector<fs::path> abandoned;
  for (fs::directory_iterator it(out.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    int fd = ::open(it->path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) abandoned.push_back(it->path());
    ::close(fd);
  }
  for (const fs::path& p : abandoned) fs::remove_all(p, ec);
}

}  // namespace

bool IsSafeRelativePath(std::string_view rel) {
  if (rel.empty() || rel.front() == '/') return false;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    if (slash == std::string_view::npos) slash = rel.size();
    std::string_view seg = rel.substr(start, slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (char c : seg) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == 0x7F) return false;
    }
    start = slash + 1;
  }
  return true;
}

SiteWriter::SiteWriter(std::string out_dir) : out_(std::move(out_dir)) {
  while (out_.size() > 1 && out_.back() == '/') out_.pop_back();
}

SiteWriter::~SiteWriter() {
  if (!committed_ && !staging_.empty()) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

bool SiteWriter::Begin(Diagnostics* diags) {
  std::error_code ec;
  fs::path out = fs::absolute(out_, ec);
  if (ec || out_.empty() || out == out.root_path()) {
    diags->Error(out_, 0, 0, "cannot use this folder for the site output",
                 "choose a dedicated folder with --out, for example --out site");
    return false;
  }
  // Never replace a folder that a build did not make: `--out ~` must not
  // delete someone's home folder.
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) {
      diags->Error(out_, 0, 0, "the output path exists and is not a folder",
                   "remove it or choose another folder with --out");
      return false;
    }
    bool empty = fs::is_empty(out, ec);
    if (!empty && !fs::exists(out / kMarkerFile, ec)) {
      diags->Error(out_, 0, 0,
                   "refusing to replace this folder: it was not made by `signpost build`",
                   "remove it yourself or choose another folder with --out");
      return false;
    }
  }
  fs::path parent = out.parent_path();
  if (!fs::is_directory(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) {
      diags->Error(out_, 0, 0, "cannot create the folder " + parent.string() + ": " + ec.message(),
                   "check the path and your permissions");
      return false;
    }
  }
  RemoveAbandonedOldSites(out);
  staging_ =
      (parent / (out.filename().string() + ".staging-" + std::to_string(::getpid()))).string();
  fs::remove_all(staging_, ec);
  if (::mkdir(staging_.c_str(), 0755) != 0) {
    diags->Error(out_, 0, 0, "cannot write the site output: " + staging_ + ": " + ErrnoText(),
                 "check that the folder above --out exists and is writable");
    staging_.clear();
    return false;
  }
  made_dirs_.insert(staging_);
  return Write(kMarkerFile, "This folder was generated by signpost build.\n", diags);
}

bool SiteWriter::MakeDirs(const std::string& dir, Diagnostics* diags) {
  // Caller holds mutex_.
  if (made_dirs_.count(dir)) return true;
  std::string parent = fs::path(dir).parent_path().string();
  if (!MakeDirs(parent, diags)) return false;
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    diags->Error(dir, 0, 0, "cannot create folder: " + ErrnoText(),
                 "check free disk space and permissions");
    return false;
  }
  made_dirs_.insert(dir);
  return true;
}

bool SiteWriter::EnsureParent(std::string_view rel, Diagnostics* diags) {
  if (!IsSafeRelativePath(rel)) {
    std::lock_guard<std::mutex> lock(mutex_);
    diags->Error(std::string(rel), 0, 0, "refusing to write outside the site folder",
                 "output paths come from slugs; use only a-z, 0-9 and '-'");
    return false;
  }
  std::string full = staging_ + "/" + std::string(rel);
  std::lock_guard<std::mutex> lock(mutex_);
  return MakeDirs(fs::path(full).parent_path().string(), diags);
}

bool SiteWriter::Write(std::string_view rel, std::string_view bytes, Diagnostics* diags) {
  if (staging_.empty()) return false;
  if (!EnsureParent(rel, diags)) return false;
  std::string full = staging_ + "/" + std::string(rel);
  int fd = ::open(full.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  bool ok = fd >= 0 && WriteAll(fd, bytes);
  if (fd >= 0 && ::close(fd) != 0) ok = false;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!ok) {
    diags->Error(full, 0, 0, "cannot write file: " + ErrnoText(),
                 "check free disk space and permissions");
    return false;
  }
  bytes_written_ += bytes.size();
  ++files_written_;
  return true;
}

bool SiteWriter::CopyFile(const std::string& source, std::string_view rel, Diagnostics* diags) {
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    std::lock_guard<std::mutex> lock(mutex_);
    diags->Error(source, 0, 0, "cannot read this file: " + ErrnoText(),
                 "check that it exists (run the setup script to install theme assets)");
    return false;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Write(rel, bytes, diags);
}

bool SiteWriter::Commit(Diagnostics* diags) {
  if (staging_.empty()) return false;
  std::error_code ec;
  if (fs::exists(out_, ec)) {
    // Swap in one step: readers see either the old site or the new one.
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, out_.c_str(), RENAME_EXCHANGE) != 0) {
      diags->Error(out_, 0, 0, "cannot replace the site folder: " + ErrnoText(),
                   "check permissions on the folder above --out");
      return false;
    }
    committed_ = true;
    // staging_ now holds the previous site. Move it out of the way under a
    // hidden name and let a detached process delete it.
    fs::path out = fs::absolute(out_, ec);
    std::string old = (out.parent_path() / (OldPrefix(out) + std::to_string(::getpid()))).string();
    fs::remove_all(old, ec);
    if (::rename(staging_.c_str(), old.c_str()) != 0) {
      fs::remove_all(staging_, ec);
    } else if (!background_delete_ || !DeleteInBackground(old)) {
      fs::remove_all(old, ec);
    }
    return true;
  }
  if (::rename(staging_.c_str(), out_.c_str()) != 0) {
    diags->Error(out_, 0, 0, "cannot create the site folder: " + ErrnoText(),
                 "check permissions on the folder above --out");
    return false;
  }
  committed_ = true;
  return true;
}

}  // namespace signpost
