//! The engine's own validation runs while compiling: a declaration it refuses never
//! becomes a program, even when it is written by hand instead of by `net!`.
use mycel::net::{Declaration, PlaceSpec};

const REFUSED: Declaration<u8, 1, 0, 0, 1> =
    match Declaration::__new(&[PlaceSpec { name: "empty", capacity: 0 }], &[], &[], false) {
        Ok(declaration) => declaration,
        Err(_) => panic!("a place of capacity 0 is refused"),
    };

fn main() {
    let _net = mycel::sched::Net::declared(REFUSED);
}
