//! Two nets declared the way a user declares them, with nothing counted by hand: a job
//! queue, and the request pipeline with a circuit breaker inside. The only numbers are
//! capacities, weights and durations.

pub mod job_queue;
pub mod pipeline;
#[cfg(test)]
mod pipeline_proof;
pub mod rings;
