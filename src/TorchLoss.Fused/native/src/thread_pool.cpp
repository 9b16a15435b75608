#include "thread_pool.h"
#if defined(__linux__)
#include <pthread.h>
#endif

namespace tl::fused {

ThreadPool::ThreadPool(int threads, std::function<void()> thread_init) {
  workers_.reserve(size_t(threads > 1 ? threads - 1 : 0));
  try {
    for (int i = 1; i < threads; ++i) {
      workers_.emplace_back([this, i, thread_init] { work(i, thread_init); });
#if defined(__linux__)
      // Named here rather than by the worker, so the name is in place when the constructor returns.
      pthread_setname_np(workers_.back().native_handle(), kThreadName);
#endif
    }
  } catch (...) {
    stop();  // joins the workers already started: a joinable std::thread must not be destroyed
    throw;
  }
}

ThreadPool::~ThreadPool() { stop(); }

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  start_.notify_all();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
  workers_.clear();
}

void ThreadPool::run(int parts, const std::function<void(int)>& task) {
  if (parts <= 0) return;
  if (parts > size()) parts = size();
  if (parts > 1) {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &task;
    parts_ = parts;
    pending_ = int(workers_.size());
    error_ = nullptr;
    ++generation_;
  }
  if (parts > 1) start_.notify_all();
  std::exception_ptr own;
  try {
    task(0);
  } catch (...) {
    own = std::current_exception();
  }
  if (parts > 1) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    task_ = nullptr;
    if (!own) own = error_;
  }
  if (own) std::rethrow_exception(own);
}

void ThreadPool::work(int index, const std::function<void()>& thread_init) {
  if (thread_init) thread_init();
  uint64_t seen = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
    if (stopping_) return;
    seen = generation_;
    const auto* task = task_;
    const bool mine = index < parts_;
    lock.unlock();
    std::exception_ptr error;
    if (mine) {
      try {
        (*task)(index);
      } catch (...) {
        error = std::current_exception();
      }
    }
    lock.lock();
    if (error && !error_) error_ = error;
    if (--pending_ == 0) done_.notify_one();
  }
}

}  // namespace tl::fused
