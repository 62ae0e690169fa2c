mycel::net! {
    #[derive(Clone, Debug)]
    net Pipeline: u8 {
        places { input: 4, output: 4 }
        transitions {
            forward: input -> output,
        }
    }
}

fn main() {}
