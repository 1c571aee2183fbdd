#pragma once
// Keeping freed memory for the next training step.
//
// A training step allocates and frees matrices of the same sizes every time: each layer's
// output and gradient. glibc's malloc gives memory back to the system once more than its trim
// threshold lies free at the top of the heap, and serves large blocks from fresh mappings; either
// way the next step page-faults on memory it had a moment before. keep_freed_memory() raises
// both thresholds for the process, so freed blocks stay in the heap and are reused.
// train::fit, nn::check_network and nn::check_network_directional call it, and so do the
// benchmarks that time a step (what it saves: docs/studies/performance.md, "keep_freed_memory").
// Elsewhere (another C library) it does nothing.
namespace gradlab::fast {

// Idempotent; the process keeps up to 512 MiB of freed memory instead of returning it.
void keep_freed_memory();

}  // namespace gradlab::fast
