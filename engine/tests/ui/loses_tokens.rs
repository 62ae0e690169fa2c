mycel::net! {
    net Pairs: u8 {
        places { input: 4, output: 4 }
        transitions {
            pair: input * 2 -> output,
        }
    }
}

fn main() {}
