#include "queue/job.hpp"

namespace reos::queue {

const char* to_string(JobStatus status) {
  switch (status) {
    case JobStatus::queued:
      return "queued";
    case JobStatus::running:
      return "running";
    case JobStatus::succeeded:
      return "succeeded";
    case JobStatus::failed:
      return "failed";
    case JobStatus::dead:
      return "dead";
  }
  return "queued";
}

std::optional<JobStatus> parse_job_status(std::string_view text) {
  for (JobStatus s : {JobStatus::queued, JobStatus::running, JobStatus::succeeded,
                      JobStatus::failed, JobStatus::dead}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

}  // namespace reos::queue
