//! The same breadth-first search on two threads: one generates the successors of the
//! next run of stored states while the other stores the successors of the current run.

use std::sync::mpsc;

use super::model::Model;
use super::search::{Batch, Search, SearchLimits, Tally, index};
use super::state_space::StateIndex;

/// How many stored states go to the generating thread at once.
const CHUNK: usize = 1024;

/// Explores `model` as [`search`](super::search()) does, with the successors generated
/// on a second thread. The result is the same, state for state and trace for trace: the
/// calling thread stores successors in the same order.
///
/// # Errors
/// The model's error, as soon as [`Model::successors`] returns it.
pub fn search_parallel<M>(
    model: &M,
    limits: SearchLimits<'_>,
    visit: impl FnMut(StateIndex, &[u64]),
) -> Result<Search, M::Error>
where
    M: Model + Sync,
    M::Error: Send,
{
    let mut tally = Tally::start(model, limits, visit);
    let words = model.words().max(1);
    std::thread::scope(|scope| {
        let (to_worker, work) = mpsc::sync_channel::<Vec<u64>>(1);
        let (to_main, done) = mpsc::sync_channel::<Result<Batch, M::Error>>(1);
        scope.spawn(move || {
            let mut scratch = vec![0u64; words];
            for states in work {
                let mut batch = Batch::default();
                let result = batch.generate(model, &states, words, &mut scratch);
                if to_main.send(result.map(|()| batch)).is_err() {
                    break;
                }
            }
        });
        // The run of states handed to the worker and not yet absorbed: [start, end).
        let send = |tally: &Tally<'_, _>, start: usize| -> Option<usize> {
            let end = tally.space.len().min(start + CHUNK);
            (start < end).then(|| {
                let mut states = Vec::with_capacity((end - start) * words);
                for i in start..end {
                    states.extend_from_slice(tally.space.key(index(i)));
                }
                to_worker.send(states).ok().map(|()| end)
            })?
        };
        let mut in_flight: Option<usize> = None;
        while !tally.done() {
            let end = match in_flight.take() {
                Some(end) => end,
                None => match send(&tally, tally.next) {
                    Some(end) => end,
                    None => break,
                },
            };
            let Ok(batch) = done.recv() else { break };
            let batch = batch?;
            // Hand over the following run before storing this one, if it is stored.
            in_flight = send(&tally, end);
            tally.absorb(model, &batch);
        }
        drop(to_worker);
        // Drain a reply the worker may be blocked on, so it sees the closed channel.
        while done.recv().is_ok() {}
        Ok(())
    })?;
    Ok(tally.finish())
}
