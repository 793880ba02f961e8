#include "body_texts.h"

#include <utility>

namespace signpost {

BodyTexts::BodyTexts(size_t count) : texts_(count), published_(count, 0) {}

void BodyTexts::Put(size_t index, std::string text) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (index >= texts_.size()) return;
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
  return std::move(texts_[index]);
}

void BodyTexts::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

bool BodyTexts::closed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return closed_;
}

}  // namespace signpost
