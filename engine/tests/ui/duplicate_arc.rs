mycel::net! {
    net Pipeline: u8 {
        places { input: 4, config: 1, output: 4 }
        transitions {
            forward: input + ?input -> output,
        }
    }
}

fn main() {}
