mycel::machine! {
    machine "valve" {
        #[derive(Clone, Copy, PartialEq, Eq)]
        states Valve {
            #[initial]
            Shut,
            Open,
            Stuck,
        }
        edges {
            Shut -> Open on turn,
            Open -> Shut on turn,
            Stuck -> Shut on repair,
        }
    }
}

fn main() {}
