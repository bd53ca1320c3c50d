#include "webhooks/inbox_writer.hpp"

#include <chrono>
#include <future>
#include <pqxx/pqxx>
#include <stdexcept>

#include "db/connection_pool.hpp"
#include "http/metrics_registry.hpp"
#include "log/logger.hpp"
#include "webhooks/inbox_batch_write.hpp"

namespace reos::webhooks {

struct InboxWriter::Pending {
  InboxEntry entry;
  std::promise<InboxReceipt> done;
};

std::size_t InboxWriter::weight(const Pending& p) {
  return p.entry.events.empty() ? 1 : p.entry.events.size();
}

InboxWriter::InboxWriter(InboxWriterOptions options, const queue::JobQueue& queue,
                         http::MetricsRegistry* metrics)
    : options_(std::move(options)), queue_(queue) {
  if (metrics) {
    batch_sizes_ = &metrics
                        ->histogram("reos_webhook_inbox_batch_entries",
                                    "Webhook requests committed per inbox transaction", {},
                                    {1, 2, 4, 8, 16, 32, 64, 128, 256, 512})
                        .with({});
    commit_seconds_ =
        &metrics
             ->histogram("reos_webhook_inbox_commit_seconds", "Duration of one inbox group commit",
                         {}, http::default_latency_buckets())
             .with({});
  }
  const int n = options_.writers < 1 ? 1 : options_.writers;
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { run(); });
}

InboxWriter::~InboxWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  gathered_.notify_all();
  for (std::thread& t : threads_) t.join();
  for (Pending* p : waiting_) {
    p->done.set_exception(
        std::make_exception_ptr(std::runtime_error("webhook inbox: shutting down")));
  }
}

InboxWriter::Arrival::Arrival(InboxWriter& writer) : writer_(&writer) {
  std::lock_guard lock(writer.mutex_);
  ++writer.announced_;
}

InboxWriter::Arrival::Arrival(Arrival&& other) noexcept : writer_(other.writer_) {
  other.writer_ = nullptr;
}

InboxWriter::Arrival::~Arrival() {
  if (writer_) writer_->depart();
}

void InboxWriter::depart() {
  std::lock_guard lock(mutex_);
  --announced_;
  notify_writers();
}

void InboxWriter::notify_writers() {
  if (gathering_) {
    // Only when the group is full: a wake-up per arriving request would cost the gathering
    // writer a context switch each; otherwise it takes the queue when max_wait ends.
    if (waiting_.size() >= options_.max_batch) gathered_.notify_one();
  } else if (idle_writers_ > 0 && may_start()) {
    wake_.notify_one();
  }
}

InboxReceipt InboxWriter::commit(InboxEntry entry, Arrival* arrival) {
  Pending pending{std::move(entry), {}};
  std::future<InboxReceipt> result = pending.done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (arrival && arrival->writer_ == this) {
      arrival->writer_ = nullptr;
      --announced_;
    }
    if (stopping_) throw std::runtime_error("webhook inbox: shutting down");
    waiting_.push_back(&pending);
    waiting_events_ += weight(pending);
    notify_writers();
  }
  return result.get();  // `pending` lives on this stack until a writer has answered
}

bool InboxWriter::may_start() const {
  // A second writer only joins for heavy queues (100-event requests): its transaction then
  // runs on the other core. For single events it would halve every group instead.
  if (waiting_.empty() || gathering_) return false;
  if (writing_ == 0 || waiting_events_ >= options_.parallel_events) return true;
  // ...or when the group in flight has stalled (options: stall_after).
  return writing_ == 1 && std::chrono::steady_clock::now() - write_started_ >= options_.stall_after;
}

void InboxWriter::run() {
  db::ConnectionPtr conn;
  for (;;) {
    std::vector<Pending*> batch;
    {
      std::unique_lock lock(mutex_);
      ++idle_writers_;
      // While a group is in flight and requests wait, look again after stall_after: a stalled
      // commit sends no notification.
      while (!stopping_ && !may_start()) {
        if (writing_ > 0 && !waiting_.empty()) {
          wake_.wait_for(lock, options_.stall_after);
        } else {
          wake_.wait(lock);
        }
      }
      --idle_writers_;
      if (stopping_) return;
      // Under load (requests announced, or the last group had company) wait a little so this
      // transaction covers the requests in flight; an idle hub commits at once.
      if ((announced_ > 0 || last_batch_ > 1) && waiting_.size() < options_.max_batch &&
          options_.max_wait.count() > 0) {
        gathering_ = true;
        gathered_.wait_for(lock, options_.max_wait,
                           [this] { return stopping_ || waiting_.size() >= options_.max_batch; });
        gathering_ = false;
      }
      while (!waiting_.empty() && batch.size() < options_.max_batch) {
        waiting_events_ -= weight(*waiting_.front());
        batch.push_back(waiting_.front());
        waiting_.pop_front();
      }
      last_batch_ = batch.size();
      ++writing_;
      write_started_ = std::chrono::steady_clock::now();
      notify_writers();  // entries beyond max_batch, or a heavy queue, may use the other writer
    }
    try {
      if (!conn || !conn->is_open()) conn = db::connect(options_.conninfo);
      write(*conn, batch);
    } catch (const std::exception& e) {
      conn.reset();
      log::error("webhook inbox: cannot reach the database", {{"error", e.what()}});
      for (Pending* p : batch) p->done.set_exception(std::current_exception());
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // no hot reconnect loop
    }
    std::lock_guard lock(mutex_);
    --writing_;
    notify_writers();
  }
}

void InboxWriter::write(pqxx::connection_base& conn, const std::vector<Pending*>& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<const InboxEntry*> entries;
  entries.reserve(batch.size());
  for (const Pending* p : batch) entries.push_back(&p->entry);
  try {
    const std::vector<InboxReceipt> receipts = write_inbox_batch(conn, entries, queue_);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->done.set_value(receipts[i]);
  } catch (const pqxx::broken_connection&) {
    for (Pending* p : batch) p->done.set_exception(std::current_exception());
    return;
  } catch (const std::exception& e) {
    if (batch.size() == 1) {
      batch.front()->done.set_exception(std::current_exception());
      return;
    }
    // One entry's data (say, a payload PostgreSQL refuses) must not fail the other
    // requests that happened to share its transaction: write them one by one.
    log::warn("webhook inbox: group commit failed; writing its entries one by one",
              {{"error", e.what()}, {"entries", std::to_string(batch.size())}});
    for (Pending* p : batch) {
      try {
        p->done.set_value(write_inbox_batch(conn, {&p->entry}, queue_).front());
      } catch (const std::exception&) {
        p->done.set_exception(std::current_exception());
      }
    }
  }
  if (batch_sizes_) batch_sizes_->observe(static_cast<double>(batch.size()));
  if (commit_seconds_)
    commit_seconds_->observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

}  // namespace reos::webhooks
