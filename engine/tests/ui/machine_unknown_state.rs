mycel::machine! {
    machine "valve" {
        #[derive(Clone, Copy, PartialEq, Eq)]
        states Valve {
            #[initial]
            Shut,
            Open,
        }
        edges {
            Shut -> Opne on turn,
            Open -> Shut on turn,
        }
    }
}

fn main() {}
