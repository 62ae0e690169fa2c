mycel::net! {
    net Batcher: u8 {
        places { input: 8, batch: 2 }
        transitions {
            gather [sink]: input * 3 -> batch * 3,
        }
    }
}

fn main() {}
