mycel::net! {
    #[round_robin]
    #[straight_line]
    net Turns: u8 {
        places { a: 1, b: 1 }
        transitions {
            there: a -> b,
            back: b -> a,
        }
    }
}

fn main() {}
