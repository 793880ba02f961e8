#include "body_texts.h"

#include <utility>

namespace signpost {

BodyTexts::BodyTexts(size_t count) : texts_(count), published_(count, 0) {}

void BodyTexts::Put(size_t index, std::string text) {
  bool wake;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (index >= texts_.size()) return;
    // Far ahead of the reader: wait for it, so texts made faster than the
    // index takes them do not pile up (at 10,000 entries that was ~20 MB of
    // peak memory). The slot the reader needs next is never far ahead, so
    // this cannot deadlock; a closed queue never waits.
    if (index >= next_ + kMaxAhead && !closed_) {
      ++blocked_;
      room_.wait(lock, [&] { return index < next_ + kMaxAhead || closed_; });
      --blocked_;
    }
    texts_[index] = std::move(text);
    published_[index] = 1;
    wake = index == awaited_;
  }
  // One reader (the index thread) waits for one slot at a time: waking it
  // for every other slot cost a futex call per service.
  if (wake) ready_.notify_all();
}

std::string BodyTexts::Take(size_t index) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (index >= texts_.size()) return "";
  awaited_ = index;
  ready_.wait(lock, [&] { return published_[index] || closed_; });
  awaited_ = kNone;
  next_ = index + 1;
  if (blocked_ > 0) room_.notify_all();
  return std::move(texts_[index]);
}

void BodyTexts::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
  room_.notify_all();
}

bool BodyTexts::closed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return closed_;
}

size_t BodyTexts::waiting_puts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return blocked_;
}

}  // namespace signpost
