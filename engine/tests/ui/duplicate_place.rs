mycel::net! {
    net Pipeline: u8 {
        places { input: 4, output: 4, input: 2 }
        transitions {
            forward: input -> output,
        }
    }
}

fn main() {}
