#include "pipeline_exec/pipeline_handlers.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#endif

#include "pipeline_exec/batch_process_handler.hpp"
#include "pipeline_exec/job_kinds.hpp"
#include "pipeline_exec/sink_handlers.hpp"
#include "pipeline_exec/source_pull_handler.hpp"

namespace reos::pipeline_exec {
namespace {

// A page job allocates several MB (the page's records, parsed and canonical, the statement's
// input) on whichever worker thread ran it; glibc keeps freed memory in that thread's arena,
// so with several workers the resident size crept up with the number of pages synced.
// Handing it back keeps it flat, but malloc_trim walks and consolidates the whole heap (it was
// ~10% of a sync's CPU when run after every page): it runs only once the resident size is
// above kTrimAboveBytes, so a page's memory is reused by the next page instead of being
// returned and asked for again (bench/mls_sync: peak RSS at 10,000 and 100,000 listings).
constexpr long long kTrimAboveBytes = 96LL << 20;

#ifdef __GLIBC__
long long resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%lld %lld", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * ::sysconf(_SC_PAGESIZE) : 0;
}
#endif

template <class Fn>
queue::JobHandler returning_memory(Fn handle) {
  return [handle](const queue::Job& job) {
    auto outcome = handle(job);
#ifdef __GLIBC__
    if (resident_bytes() > kTrimAboveBytes) ::malloc_trim(0);
#endif
    return outcome;
  };
}

}  // namespace

std::map<std::string, queue::JobHandler> pipeline_handlers(PipelineRuntime& runtime) {
  PipelineRuntime* rt = &runtime;
  return {
      {kSourcePull,
       returning_memory([rt](const queue::Job& job) { return handle_source_pull(*rt, job); })},
      {kPipelineProcess,
       returning_memory([rt](const queue::Job& job) { return handle_pipeline_process(*rt, job); })},
      {kSinkNotify, [rt](const queue::Job& job) { return handle_sink_notify(*rt, job); }},
      {kSinkExport, [rt](const queue::Job& job) { return handle_sink_export(*rt, job); }},
  };
}

void register_pipeline_handlers(queue::WorkerPool& pool, PipelineRuntime& runtime) {
  for (auto& [kind, handler] : pipeline_handlers(runtime)) pool.register_handler(kind, handler);
}

}  // namespace reos::pipeline_exec
