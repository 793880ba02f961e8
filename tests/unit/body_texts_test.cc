#include "body_texts.h"

#include <boost/test/unit_test.hpp>
#include <atomic>
#include <chrono>
#include <thread>

namespace signpost {
namespace {

// Waits (up to 10 s) until `n` Puts are held back: a test of the wait then
// cannot pass merely because the producer had not reached Put yet.
bool PutsWaiting(const BodyTexts& texts, size_t n) {
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (texts.waiting_puts() != n) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(body_texts_test)

BOOST_AUTO_TEST_CASE(take_waits_for_put_in_any_order) {
  BodyTexts texts(100);
  std::thread producer([&] {
    // Published out of order, as two render threads would.
    for (int i = 99; i >= 0; i -= 2) texts.Put(i, "text " + std::to_string(i));
    for (int i = 0; i < 100; i += 2) texts.Put(i, "text " + std::to_string(i));
  });
  for (int i = 0; i < 100; ++i) BOOST_TEST(texts.Take(i) == "text " + std::to_string(i));
  producer.join();
  BOOST_TEST(!texts.closed());
}

BOOST_AUTO_TEST_CASE(close_releases_a_waiting_reader) {
  BodyTexts texts(3);
  texts.Put(0, "first");
  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    texts.Close();
  });
  BOOST_TEST(texts.Take(0) == "first");
  BOOST_TEST(texts.Take(1) == "");  // never published: released by Close()
  closer.join();
  BOOST_TEST(texts.closed());
  BOOST_TEST(texts.Take(2) == "");
  texts.Close();  // idempotent
}

// Texts made far faster than the index takes them wait instead of piling
// up in memory; the reader taking the next slot lets them through.
BOOST_AUTO_TEST_CASE(a_put_far_ahead_of_the_reader_waits_for_it) {
  BodyTexts texts(BodyTexts::kMaxAhead + 10);
  std::atomic<bool> done{false};
  std::thread producer([&] {
    texts.Put(BodyTexts::kMaxAhead, "far ahead");
    done = true;
  });
  BOOST_REQUIRE(PutsWaiting(texts, 1));
  BOOST_TEST(!done);
  texts.Put(0, "first");  // the slot the reader needs is never held back
  BOOST_TEST(texts.Take(0) == "first");
  producer.join();
  BOOST_TEST(done);
  BOOST_TEST(texts.Take(BodyTexts::kMaxAhead) == "far ahead");
}

// A reader that stops (the index failed) closes the queue: the pages must
// not wait for it.
BOOST_AUTO_TEST_CASE(close_releases_a_waiting_put) {
  BodyTexts texts(BodyTexts::kMaxAhead + 10);
  std::thread producer([&] { texts.Put(BodyTexts::kMaxAhead + 5, "never taken"); });
  BOOST_REQUIRE(PutsWaiting(texts, 1));
  texts.Close();
  producer.join();
  BOOST_TEST(texts.closed());
}

BOOST_AUTO_TEST_CASE(out_of_range_slots_are_ignored) {
  BodyTexts texts(1);
  texts.Put(5, "nowhere");
  BOOST_TEST(texts.Take(5) == "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
