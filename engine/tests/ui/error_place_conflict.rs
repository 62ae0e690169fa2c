mycel::net! {
    net Pipeline: u8 {
        places { input: 4, output: 4 }
        transitions {
            forward [error = output]: input -> output,
        }
    }
}

fn main() {}
