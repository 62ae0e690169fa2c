mycel::machine! {
    machine "valve" {
        #[derive(Clone, Copy, PartialEq, Eq)]
        states Valve {
            Shut,
            Open,
        }
        edges {
            Shut -> Open on turn,
            Open -> Shut on turn,
        }
    }
}

fn main() {}
