//! Exhaustive exploration of Ciardo's Kanban net: N=4 (454,475 markings) and N=5
//! (2,546,432 markings), one whole exploration per iteration. Each run first checks
//! the published state count, so a fast wrong answer cannot pass for a result.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use mycel_check::classic::kanban;
use mycel_check::explore::{Options, explore};

fn kanban_states(c: &mut Criterion) {
    let mut group = c.benchmark_group("explore/kanban");
    group.sample_size(10);
    for (n, states) in [(4, 454_475), (5, 2_546_432)] {
        let net = kanban(n);
        let report = explore(&net, Options::new()).expect("Kanban explores");
        assert_eq!(report.states, states, "Kanban N={n}");
        println!(
            "Kanban N={n}: {} states, {} edges, {:.1} bytes/state",
            report.states,
            report.edges,
            report.bytes_per_state()
        );
        group.bench_function(format!("N={n}"), |b| {
            b.iter(|| {
                explore(&net, Options::new())
                    .expect("Kanban explores")
                    .states
            });
        });
    }
    group.finish();
}

criterion_group!(benches, kanban_states);
criterion_main!(benches);
