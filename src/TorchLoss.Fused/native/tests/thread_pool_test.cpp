#include <gtest/gtest.h>
#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include "thread_pool.h"

using tl::fused::ThreadPool;

TEST(ThreadPool, RunsEveryPartOnceEachOnItsOwnThreadPartZeroOnTheCaller) {
  ThreadPool pool(3, nullptr);
  ASSERT_EQ(pool.size(), 3);
  for (int parts = 1; parts <= 3; ++parts) {
    std::vector<std::thread::id> ran(static_cast<size_t>(parts));
    std::atomic<int> calls{0};
    pool.run(parts, [&](int p) {
      ran[size_t(p)] = std::this_thread::get_id();
      ++calls;
    });
    EXPECT_EQ(calls.load(), parts);
    EXPECT_EQ(ran[0], std::this_thread::get_id());
    EXPECT_EQ(std::set<std::thread::id>(ran.begin(), ran.end()).size(), size_t(parts));
  }
}

TEST(ThreadPool, RunsThreadInitOnEachWorker) {
  std::atomic<int> started{0};
  {
    ThreadPool pool(4, [&] { ++started; });
    pool.run(4, [](int) {});  // every worker has started once it has run its part
    EXPECT_EQ(started.load(), 3);
  }
}

TEST(ThreadPool, RethrowsAPartsExceptionAfterAllPartsFinish) {
  ThreadPool pool(2, nullptr);
  std::atomic<int> finished{0};
  EXPECT_THROW(pool.run(2, [&](int p) {
    if (p == 1) throw std::runtime_error("part 1");
    ++finished;
  }), std::runtime_error);
  EXPECT_EQ(finished.load(), 1);
  int after = 0;
  pool.run(2, [&](int p) { if (p == 0) ++after; });  // still usable
  EXPECT_EQ(after, 1);
}

TEST(ThreadPool, ManyShortRunsNeitherLoseNorRepeatParts) {
  ThreadPool pool(3, nullptr);
  std::atomic<long> sum{0};
  for (int i = 0; i < 20000; ++i) pool.run(1 + i % 3, [&](int p) { sum += p + 1; });
  // parts 1, 2, 3 in turn: sums 1, 3, 6.
  long expected = 0;
  for (int i = 0; i < 20000; ++i) expected += (i % 3 == 0) ? 1 : (i % 3 == 1 ? 3 : 6);
  EXPECT_EQ(sum.load(), expected);
}

TEST(ThreadPool, PartsRunAtTheSameTime) {
  // Each part waits until all have started: serialised parts would never get there.
  ThreadPool pool(3, nullptr);
  std::atomic<int> arrived{0};
  std::atomic<bool> all_met{true};
  pool.run(3, [&](int) {
    ++arrived;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (arrived.load() < 3)
      if (std::chrono::steady_clock::now() > deadline) {
        all_met = false;
        return;
      }
  });
  EXPECT_TRUE(all_met.load());
}
