mycel::machine! {
    machine "valve" {
        #[derive(Clone, Copy, PartialEq, Eq)]
        states Valve {
            #[initial]
            Shut,
            #[timeout]
            Open,
        }
        edges {
            Shut -> Open on turn,
            Open -> Shut on turn,
            Shut -> Shut on timeout,
        }
    }
}

fn main() {}
