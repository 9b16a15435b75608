// A fixed set of worker threads that run the parts of one task at a time. Waiting is blocking (condition
// variables, so futexes on Linux): an idle pool uses no CPU and never competes with another pool's spinning.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tl::fused {

class ThreadPool {
 public:
  // The workers' name (15 characters at most on Linux), under which tools and tests find them.
  static constexpr const char* kThreadName = "torchloss-fused";

  // threads - 1 workers (the calling thread takes part 0); thread_init runs once on each worker as it starts.
  ThreadPool(int threads, std::function<void()> thread_init);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return int(workers_.size()) + 1; }

  // Runs task(p) for every p in [0, parts), parts <= size(): part p always on the same thread (0 the caller's),
  // and returns when all have finished. An exception thrown by a part is rethrown here.
  void run(int parts, const std::function<void(int)>& task);

 private:
  void stop();
  void work(int index, const std::function<void()>& thread_init);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const std::function<void(int)>* task_ = nullptr;
  int parts_ = 0;
  int pending_ = 0;
  uint64_t generation_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace tl::fused
