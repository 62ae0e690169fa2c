mycel::net! {
    net Pipeline: u8 {
        places { input: 4, output: 0 }
        transitions {
            forward: input * 0 -> output,
            back: outptu -> input,
        }
    }
}

fn main() {}
