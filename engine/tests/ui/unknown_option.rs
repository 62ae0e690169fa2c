mycel::net! {
    net Pipeline: u8 {
        places { input: 4, output: 4 }
        transitions {
            forward [priorty = 2]: input -> output,
        }
    }
}

fn main() {}
